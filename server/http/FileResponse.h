#pragma once
// Streams a file as the response body without loading it whole: the file is opened now (so a
// missing file is a clean 404 before any header goes out) and read in 256 KiB chunks with
// pread as httplib writes them; Range requests work (httplib slices the provider).
// Returns false when the file cannot be opened.

#include <httplib.h>

#include <filesystem>
#include <string>

namespace reelgate::server::http {

bool sendFile(httplib::Response& res, const std::filesystem::path& file,
              const std::string& contentType);

} // namespace reelgate::server::http
