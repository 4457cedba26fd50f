#pragma once
// Streams an IMMUTABLE file (a published package's segment) as the response body: the
// connection sends it with sendfile (see Connection.h), falling back to a shared read-only
// mapping; the open file is reused by every request for it (at most 512 kept). The file is
// opened now, so a missing file is a clean 404 before any header goes out; Range requests work
// (httplib slices the provider).
// Returns false when the file cannot be opened. Thread-safe.

#include <httplib.h>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

namespace reelgate::server::http {

// An open, read-only mapped whole file, shared by every response that sends it.
struct SharedFile {
    int fd = -1;
    const char* data = nullptr;
    std::size_t size = 0;
    SharedFile() = default;
    SharedFile(const SharedFile&) = delete;
    SharedFile& operator=(const SharedFile&) = delete;
    ~SharedFile();
};

// The file opened (or the one already open for that path); null when it cannot be opened or
// is not a regular file.
std::shared_ptr<const SharedFile> openSharedFile(const std::filesystem::path& file);

bool sendFile(httplib::Response& res, const std::filesystem::path& file,
              const std::string& contentType);
bool sendFile(httplib::Response& res, std::shared_ptr<const SharedFile> file,
              const std::string& contentType);

} // namespace reelgate::server::http
