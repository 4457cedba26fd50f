#include "http/FileResponse.h"

#include "http/Connection.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <mutex>

namespace reelgate::server::http {
namespace {

// An open, read-only mapped whole file. Published package files never change once written, so
// one of these serves every request for that file with no per-request open/fstat: the
// connection sends the bytes with sendfile from the descriptor (page cache -> socket), and the
// mapping is what the response body points at (and what is copied when sendfile cannot be used).
struct MappedFile {
    int fd = -1;
    const char* data = nullptr;
    std::size_t size = 0;
    MappedFile() = default;
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    ~MappedFile() {
        if (data && size)
            ::munmap(const_cast<char*>(data), size);
        if (fd >= 0)
            ::close(fd);
    }
};

// Each kept file holds a descriptor; the server raises its descriptor limit at start-up.
constexpr std::size_t kMaxMappings = 512;

std::shared_ptr<const MappedFile> mapFile(const std::filesystem::path& file) {
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const MappedFile>> mappings;
    {
        std::lock_guard lock(mutex);
        if (const auto it = mappings.find(file.native()); it != mappings.end())
            return it->second;
    }
    auto mapped = std::make_shared<MappedFile>();
    mapped->fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (mapped->fd < 0)
        return nullptr;
    struct stat info {};
    if (::fstat(mapped->fd, &info) != 0 || !S_ISREG(info.st_mode))
        return nullptr;
    mapped->size = static_cast<std::size_t>(info.st_size);
    if (mapped->size > 0) {
        void* data = ::mmap(nullptr, mapped->size, PROT_READ, MAP_SHARED, mapped->fd, 0);
        if (data == MAP_FAILED)
            return nullptr;
        mapped->data = static_cast<const char*>(data);
    }
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
    corkResponse();
    res.set_content_provider(
        mapped->size, contentType,
        [mapped](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
            if (offset + length > mapped->size)
                return false;
            const FileRegion region(mapped->data, mapped->size, mapped->fd);
            return sink.write(mapped->data + offset, length);
        });
    return true;
}

} // namespace reelgate::server::http
