#include "uploads/TarReader.h"

#include "reelgate/core/Text.h"

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <set>
#include <unistd.h>

namespace reelgate::server::uploads {
namespace fs = std::filesystem;

namespace {

struct ArchiveDeleter {
    void operator()(archive* a) const { archive_read_free(a); }
};

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0)
            close(fd);
    }
};

std::string shown(const std::string& name) {
    return "'" + core::printable(name, 80) + "'";
}

void writeAll(int fd, const char* data, std::size_t size, const std::string& name) {
    while (size > 0) {
        const ssize_t n = write(fd, data, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            throw std::runtime_error("cannot write " + name +
                                     " while extracting: " + std::strerror(errno));
        data += n;
        size -= static_cast<std::size_t>(n);
    }
}

// The entry's name as the archive has it (raw bytes; pax names are UTF-8 already).
std::string entryName(archive_entry* entry) {
    if (const char* name = archive_entry_pathname(entry))
        return name;
    if (const char* name = archive_entry_pathname_utf8(entry))
        return name;
    return {};
}

// A file where a folder should be is the package's fault; anything else is the server's.
void makeFolders(const fs::path& folder, const std::string& name) {
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec == std::errc::file_exists || ec == std::errc::not_a_directory)
        throw TarError("the package contains " + shown(name) + " as a file and a folder");
    if (ec)
        throw std::runtime_error("cannot create a folder while extracting: " + ec.message());
}

} // namespace

bool isSafeRelativePath(const std::string& path) {
    if (path.empty() || path.size() > 1024 || path.front() == '/')
        return false;
    std::size_t start = 0;
    while (start <= path.size()) {
        auto end = path.find('/', start);
        if (end == std::string::npos)
            end = path.size();
        const std::string part = path.substr(start, end - start);
        if (part.empty() || part == "." || part == ".." || part.size() > 255)
            return false;
        for (char c : part) {
            const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
            if (!ok)
                return false;
        }
        start = end + 1;
    }
    return true;
}

std::vector<std::string> extractTar(const fs::path& archivePath, const fs::path& destination,
                                    const TarLimits& limits) {
    std::unique_ptr<archive, ArchiveDeleter> reader(archive_read_new());
    archive_read_support_format_tar(reader.get()); // ustar, pax, GNU; no filters: no compression
    if (archive_read_open_filename(reader.get(), archivePath.c_str(), 1 << 16) != ARCHIVE_OK)
        throw TarError("the package is not a valid tar archive");
    std::vector<std::string> written;
    std::set<std::string> seen;
    std::size_t entries = 0;
    std::uint64_t totalBytes = 0;
    std::vector<char> buffer(1 << 16);

    while (true) {
        archive_entry* entry = nullptr;
        const int status = archive_read_next_header(reader.get(), &entry);
        if (status == ARCHIVE_EOF)
            break;
        if (status != ARCHIVE_OK && status != ARCHIVE_WARN)
            throw TarError(entries == 0 ? "the package is not a valid tar archive"
                                        : "the package is damaged after its first " +
                                              std::to_string(entries) + " entries");
        if (++entries > limits.maxEntries)
            throw TarError("the package has too many entries (at most " +
                           std::to_string(limits.maxEntries) + ")");
        std::string name = entryName(entry);
        // A name that is not text is refused before anything else looks at it.
        if (core::checkText(name, {1024, false, false}) != core::TextProblem::None)
            throw TarError("the package contains a name that is not UTF-8 text without control "
                           "characters (" +
                           shown(name) + ")");
        if (status == ARCHIVE_WARN)
            throw TarError("the package has a damaged header at " + shown(name));
        while (name.size() > 2 && name.rfind("./", 0) == 0)
            name.erase(0, 2);
        const auto type = archive_entry_filetype(entry);
        if (archive_entry_hardlink(entry) || archive_entry_symlink(entry) || type == AE_IFLNK)
            throw TarError("the package contains a link (" + shown(name) +
                           "); only files are allowed");
        if (type == AE_IFCHR || type == AE_IFBLK || type == AE_IFIFO || type == AE_IFSOCK)
            throw TarError("the package contains a device or pipe (" + shown(name) + ")");
        const bool directory = type == AE_IFDIR;
        if (!directory && type != AE_IFREG)
            throw TarError("the package contains an entry of unsupported type at " + shown(name));
        if (directory) {
            while (!name.empty() && name.back() == '/')
                name.pop_back();
            if (name.empty() || name == ".")
                continue;
        }
        if (!isSafeRelativePath(name))
            throw TarError("the package contains an unsafe path (" + shown(name) +
                           "): absolute paths, '..' and unusual characters are refused");
        const fs::path target = destination / name;
        if (directory) {
            makeFolders(target, name);
            continue;
        }
        if (archive_entry_sparse_count(entry) > 0)
            throw TarError("the package contains a sparse file (" + shown(name) + ")");
        if (!seen.insert(name).second)
            throw TarError("the package contains " + shown(name) + " twice");
        const la_int64_t size = archive_entry_size_is_set(entry) ? archive_entry_size(entry) : 0;
        if (size < 0)
            throw TarError("the package has a damaged header at " + shown(name));
        totalBytes += static_cast<std::uint64_t>(size);
        if (totalBytes > limits.maxBytes)
            throw TarError("the package is larger than allowed");
        makeFolders(target.parent_path(), name);
        Fd out{open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644)};
        if (out.fd < 0 && (errno == EEXIST || errno == EISDIR || errno == ENOTDIR))
            throw TarError("the package contains " + shown(name) + " as a file and a folder");
        if (out.fd < 0)
            throw std::runtime_error("cannot create " + name +
                                     " while extracting: " + std::strerror(errno));
        std::uint64_t got = 0;
        while (true) {
            const la_ssize_t n = archive_read_data(reader.get(), buffer.data(), buffer.size());
            if (n == 0)
                break;
            if (n < 0)
                throw TarError("the package ends in the middle of " + shown(name));
            got += static_cast<std::uint64_t>(n);
            if (got > static_cast<std::uint64_t>(size))
                throw TarError("the package has a damaged entry at " + shown(name));
            writeAll(out.fd, buffer.data(), static_cast<std::size_t>(n), name);
        }
        if (got != static_cast<std::uint64_t>(size))
            throw TarError("the package ends in the middle of " + shown(name));
        written.push_back(name);
    }
    return written;
}

} // namespace reelgate::server::uploads
