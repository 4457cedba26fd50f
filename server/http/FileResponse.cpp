#include "http/FileResponse.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <vector>

namespace reelgate::server::http {
namespace {

constexpr std::size_t kChunkBytes = 256 * 1024;

struct OpenFile {
    int fd = -1;
    std::vector<char> buffer;
    ~OpenFile() {
        if (fd >= 0)
            ::close(fd);
    }
};

} // namespace

bool sendFile(httplib::Response& res, const std::filesystem::path& file,
              const std::string& contentType) {
    auto open = std::make_shared<OpenFile>();
    open->fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat info {};
    if (open->fd < 0 || ::fstat(open->fd, &info) != 0 || !S_ISREG(info.st_mode))
        return false;
    const auto size = static_cast<std::size_t>(info.st_size);
    res.set_content_provider(
        size, contentType,
        [open, size](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
            if (open->buffer.empty())
                open->buffer.resize(std::min(kChunkBytes, std::max<std::size_t>(size, 1)));
            const std::size_t want = std::min(length, open->buffer.size());
            const ssize_t got =
                ::pread(open->fd, open->buffer.data(), want, static_cast<off_t>(offset));
            if (got <= 0)
                return false; // the file shrank or vanished: abort the response
            return sink.write(open->buffer.data(), static_cast<std::size_t>(got));
        });
    return true;
}

} // namespace reelgate::server::http
