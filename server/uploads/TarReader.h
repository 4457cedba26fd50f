#pragma once
// Extracts an uploaded tar (ustar, pax, GNU; read by libarchive, no compression) into a
// directory, with our own rules on top: every name is UTF-8 without control characters and
// made of safe parts (no absolute paths, no "..", no odd characters); no links, devices,
// FIFOs, sparse files or duplicates; at most limits.maxEntries entries and limits.maxBytes
// bytes. A refusal throws TarError with a reason fit for the creator (names shown through
// core::printable, never as raw bytes); a failure of the server's own disk throws
// std::runtime_error. The caller removes the half-filled directory. Thread-safe (no state).

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace reelgate::server::uploads {

class TarError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct TarLimits {
    std::size_t maxEntries = 100000;
    std::uint64_t maxBytes = std::uint64_t{1} << 40;
};

// Returns the relative paths of the regular files written, in archive order.
std::vector<std::string> extractTar(const std::filesystem::path& archive,
                                    const std::filesystem::path& destination,
                                    const TarLimits& limits = {});

// True for a safe relative path: parts of [A-Za-z0-9._-], no "." or "..", no leading '/'.
bool isSafeRelativePath(const std::string& path);

} // namespace reelgate::server::uploads
