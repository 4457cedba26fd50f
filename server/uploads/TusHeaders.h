#pragma once
// Reading the tus 1.0 request headers, which are text from outside: Upload-Length and
// Upload-Offset (decimal byte counts), Upload-Metadata ("key base64,key base64": keys of
// [A-Za-z0-9._-], values UTF-8 text without control characters once decoded) and
// Upload-Checksum ("sha1|sha256 base64" of the right length). Anything else -- other bytes,
// control characters, malformed base64 -- throws a 400 ApiError naming the header, never
// echoing its bytes. Pure functions; thread-safe.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace reelgate::server::uploads {

enum class ChecksumAlgorithm { None = 0, Sha1, Sha256 };

struct TusChecksum {
    ChecksumAlgorithm algorithm = ChecksumAlgorithm::None;
    std::string digest; // raw bytes
};

// `header` names the header in the error; an empty value is refused too.
std::int64_t parseTusByteCount(std::string_view header, std::string_view value);
std::map<std::string, std::string> parseTusMetadata(std::string_view value);
// An empty value: no checksum (algorithm None).
TusChecksum parseTusChecksum(std::string_view value);

} // namespace reelgate::server::uploads
