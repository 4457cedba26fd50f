#pragma once
// Checks an extracted package before it may be published: manifest.json (format 1), every
// listed file present with its size and SHA-256, nothing unlisted, the master playlist naming
// each rendition, every media playlist parsing as a finished VOD playlist whose segments all
// exist, durations that agree with the manifest, complete A and B sets, and a poster (when
// named) that is a real JPEG or PNG of sane size and dimensions (catalog/VideoMediaImage.h).
// Throws PackageInvalid with a reason the creator can act on.

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace reelgate::server::uploads {

class PackageInvalid : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct PackageSummary {
    std::int64_t durationMs = 0;
    int renditions = 0;
    int segments = 0;
    bool abVariants = false;
    bool encrypted = false;
    std::string posterFile; // relative path, empty when the package has no poster
};

// `files`: the relative paths the archive contained.
PackageSummary validatePackage(const std::filesystem::path& dir,
                               const std::vector<std::string>& files);

} // namespace reelgate::server::uploads
