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

// Each kept file holds a descriptor; the server raises its descriptor limit at start-up.
constexpr std::size_t kMaxMappings = 512;

} // namespace

// Published package files never change once written, so one mapping serves every request for
// that file with no per-request open/fstat: the connection sends the bytes with sendfile from
// the descriptor (page cache -> socket), and the mapping is what a response body points at
// (and what is copied when sendfile cannot be used).
SharedFile::~SharedFile() {
    if (data && size)
        ::munmap(const_cast<char*>(data), size);
    if (fd >= 0)
        ::close(fd);
}

std::shared_ptr<const SharedFile> openSharedFile(const std::filesystem::path& file) {
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const SharedFile>> mappings;
    {
        std::lock_guard lock(mutex);
        if (const auto it = mappings.find(file.native()); it != mappings.end())
            return it->second;
    }
    auto mapped = std::make_shared<SharedFile>();
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

bool sendFile(httplib::Response& res, const std::filesystem::path& file,
              const std::string& contentType) {
    return sendFile(res, openSharedFile(file), contentType);
}

bool sendFile(httplib::Response& res, std::shared_ptr<const SharedFile> mapped,
              const std::string& contentType) {
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
