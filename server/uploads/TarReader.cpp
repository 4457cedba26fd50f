#include "uploads/TarReader.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <set>

namespace reelgate::server::uploads {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kBlock = 512;

std::string field(const char* data, std::size_t size) {
    return std::string(data, strnlen(data, size));
}

std::uint64_t octal(const char* data, std::size_t size) {
    std::uint64_t value = 0;
    std::size_t i = 0;
    while (i < size && (data[i] == ' ' || data[i] == '\0'))
        ++i;
    for (; i < size && data[i] >= '0' && data[i] <= '7'; ++i)
        value = value * 8 + static_cast<std::uint64_t>(data[i] - '0');
    return value;
}

bool checksumOk(const std::array<char, kBlock>& header) {
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < kBlock; ++i)
        sum += (i >= 148 && i < 156) ? 32u : static_cast<unsigned char>(header[i]);
    return sum == octal(header.data() + 148, 8);
}

// pax extended header: records "<len> key=value\n".
void readPax(const std::string& data, std::string& path, std::uint64_t& size, bool& hasSize) {
    std::size_t pos = 0;
    while (pos < data.size()) {
        const auto space = data.find(' ', pos);
        if (space == std::string::npos)
            throw TarError("damaged pax header");
        const std::size_t length = std::stoul(data.substr(pos, space - pos));
        if (length == 0 || pos + length > data.size())
            throw TarError("damaged pax header");
        const std::string record = data.substr(space + 1, length - (space - pos) - 2);
        const auto eq = record.find('=');
        if (eq != std::string::npos) {
            const std::string key = record.substr(0, eq);
            if (key == "path")
                path = record.substr(eq + 1);
            else if (key == "size") {
                size = std::stoull(record.substr(eq + 1));
                hasSize = true;
            } else if (key == "linkpath")
                throw TarError("the package contains a link");
        }
        pos += length;
    }
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

std::vector<std::string> extractTar(const fs::path& archive, const fs::path& destination,
                                    const TarLimits& limits) {
    std::ifstream in(archive, std::ios::binary);
    if (!in)
        throw TarError("cannot read the uploaded package");
    std::vector<std::string> written;
    std::set<std::string> seen;
    std::uint64_t totalBytes = 0;
    std::string paxPath;
    std::uint64_t paxSize = 0;
    bool paxHasSize = false;
    std::array<char, kBlock> header{};
    std::vector<char> buffer(1 << 20);

    while (true) {
        if (!in.read(header.data(), kBlock))
            throw TarError("the package ends in the middle of the archive");
        if (std::all_of(header.begin(), header.end(), [](char c) { return c == 0; }))
            break; // end-of-archive marker
        if (!checksumOk(header))
            throw TarError("the package is not a valid tar archive (bad header checksum)");
        const char type = header[156];
        std::string name = field(header.data(), 100);
        const std::string prefix = field(header.data() + 345, 155);
        if (!prefix.empty() && std::memcmp(header.data() + 257, "ustar", 5) == 0)
            name = prefix + "/" + name;
        std::uint64_t size = octal(header.data() + 124, 12);
        if (!paxPath.empty())
            name = paxPath;
        if (paxHasSize)
            size = paxSize;
        paxPath.clear();
        paxHasSize = false;
        const std::uint64_t padded = (size + kBlock - 1) / kBlock * kBlock;

        if (type == 'x') {
            if (size > 1 << 20)
                throw TarError("damaged pax header");
            std::string data(static_cast<std::size_t>(padded), '\0');
            if (!in.read(data.data(), static_cast<std::streamsize>(padded)))
                throw TarError("the package ends in the middle of the archive");
            data.resize(static_cast<std::size_t>(size));
            readPax(data, paxPath, paxSize, paxHasSize);
            continue;
        }
        if (type == 'g') { // global pax header: nothing we use
            in.seekg(static_cast<std::streamoff>(padded), std::ios::cur);
            continue;
        }
        while (name.size() > 2 && name.rfind("./", 0) == 0)
            name.erase(0, 2);
        const bool directory = type == '5';
        if (directory) {
            while (!name.empty() && name.back() == '/')
                name.pop_back();
            if (name.empty() || name == ".")
                continue;
        }
        if (type == '1' || type == '2')
            throw TarError("the package contains a link ('" + name + "'); only files are allowed");
        if (type == '3' || type == '4' || type == '6')
            throw TarError("the package contains a device or pipe ('" + name + "')");
        if (!directory && type != '0' && type != '\0' && type != '7')
            throw TarError("the package contains an entry of unsupported type '" +
                           std::string(1, type) + "'");
        if (!isSafeRelativePath(name))
            throw TarError("the package contains an unsafe path ('" + name +
                           "'): absolute paths, '..' and unusual characters are refused");
        const fs::path target = destination / name;
        if (directory) {
            fs::create_directories(target);
            continue;
        }
        if (!seen.insert(name).second)
            throw TarError("the package contains '" + name + "' twice");
        if (written.size() + 1 > limits.maxFiles)
            throw TarError("the package has too many files");
        totalBytes += size;
        if (totalBytes > limits.maxBytes)
            throw TarError("the package is larger than allowed");
        fs::create_directories(target.parent_path());
        std::ofstream out(target, std::ios::binary | std::ios::trunc);
        std::uint64_t left = size;
        while (left > 0) {
            const auto chunk =
                static_cast<std::streamsize>(std::min<std::uint64_t>(left, buffer.size()));
            if (!in.read(buffer.data(), chunk))
                throw TarError("the package ends in the middle of '" + name + "'");
            out.write(buffer.data(), chunk);
            left -= static_cast<std::uint64_t>(chunk);
        }
        if (!out.flush())
            throw TarError("cannot write '" + name + "' (disk full?)");
        in.seekg(static_cast<std::streamoff>(padded - size), std::ios::cur);
        written.push_back(name);
    }
    return written;
}

} // namespace reelgate::server::uploads
