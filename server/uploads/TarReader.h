#pragma once
// Extracts a tar stream (ustar, with pax "path"/"size" records) into a directory, refusing
// anything that could escape or surprise it: absolute paths, "..", empty or odd path parts,
// links, devices, FIFOs, duplicate files, and more than the given file count or bytes.
// Throws TarError; the caller removes the half-filled directory. Not thread-safe per object.

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
    std::size_t maxFiles = 100000;
    std::uint64_t maxBytes = std::uint64_t{1} << 40;
};

// Returns the relative paths of the regular files written, in archive order.
std::vector<std::string> extractTar(const std::filesystem::path& archive,
                                    const std::filesystem::path& destination,
                                    const TarLimits& limits = {});

// True for a safe relative path: parts of [A-Za-z0-9._-], no "." or "..", no leading '/'.
bool isSafeRelativePath(const std::string& path);

} // namespace reelgate::server::uploads
