#pragma once
// Streams an IMMUTABLE file (a published package's segment) as the response body from a shared
// read-only memory mapping: no per-request read copy, and the mapping is reused by every request
// for the same file (at most 1024 kept). The file is opened now, so a missing file is a clean
// 404 before any header goes out; Range requests work (httplib slices the provider).
// Returns false when the file cannot be opened. Thread-safe.

#include <httplib.h>

#include <filesystem>
#include <string>

namespace reelgate::server::http {

bool sendFile(httplib::Response& res, const std::filesystem::path& file,
              const std::string& contentType);

} // namespace reelgate::server::http
