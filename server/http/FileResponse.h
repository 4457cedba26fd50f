#pragma once
// Streams an IMMUTABLE file (a published package's segment) as the response body: the
// connection sends it with sendfile (see Connection.h), falling back to a shared read-only
// mapping; the open file is reused by every request for it (at most 512 kept). The file is
// opened now, so a missing file is a clean 404 before any header goes out; Range requests work
// (httplib slices the provider).
// Returns false when the file cannot be opened. Thread-safe.

#include <httplib.h>

#include <filesystem>
#include <string>

namespace reelgate::server::http {

bool sendFile(httplib::Response& res, const std::filesystem::path& file,
              const std::string& contentType);

} // namespace reelgate::server::http
