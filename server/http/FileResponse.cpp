#include "http/FileResponse.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <mutex>

namespace reelgate::server::http {
namespace {

// A read-only mapping of a whole file. Published package files never change once written, so
// one mapping serves every request for that file: bytes go from the page cache straight into
// the socket, with no read() copy and no per-request open/fstat.
struct MappedFile {
    const char* data = nullptr;
    std::size_t size = 0;
    MappedFile() = default;
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    ~MappedFile() {
        if (data && size)
            ::munmap(const_cast<char*>(data), size);
    }
};

constexpr std::size_t kMaxMappings = 1024;

std::shared_ptr<const MappedFile> mapFile(const std::filesystem::path& file) {
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const MappedFile>> mappings;
    {
        std::lock_guard lock(mutex);
        if (const auto it = mappings.find(file.native()); it != mappings.end())
            return it->second;
    }
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return nullptr;
    struct stat info {};
    auto mapped = std::make_shared<MappedFile>();
    if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode)) {
        mapped->size = static_cast<std::size_t>(info.st_size);
        if (mapped->size > 0) {
            void* data = ::mmap(nullptr, mapped->size, PROT_READ, MAP_SHARED, fd, 0);
            mapped->data = data == MAP_FAILED ? nullptr : static_cast<const char*>(data);
        }
    }
    ::close(fd);
    if (mapped->size > 0 && !mapped->data)
        return nullptr;
    if (!S_ISREG(info.st_mode))
        return nullptr;
    std::lock_guard lock(mutex);
    if (mappings.size() >= kMaxMappings)
        mappings.erase(mappings.begin()); // in-flight responses keep their own reference
    return mappings.emplace(file.native(), std::move(mapped)).first->second;
}

} // namespace

bool sendFile(httplib::Response& res, const std::filesystem::path& file,
              const std::string& contentType) {
    auto mapped = mapFile(file);
    if (!mapped)
        return false;
    res.set_content_provider(
        mapped->size, contentType,
        [mapped](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
            if (offset + length > mapped->size)
                return false;
            return sink.write(mapped->data + offset, length);
        });
    return true;
}

} // namespace reelgate::server::http
