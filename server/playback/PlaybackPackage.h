#pragma once
// A published package as playback serves it: the per-session playlists (same text for every
// session: all URIs are relative to /play/{session}/, so the session lives in the path), the
// segment files per rendition and variant, the AES key and the watermark spec. Loaded once from
// manifest.json and the package playlists, then immutable (packages never change once
// published). Errors at load: std::runtime_error naming the broken file.
// The free preview is the first whole segments that fit in N seconds of the middle rendition's
// A variant (never a B: it carries no viewer's code), served in the clear: an encrypted
// package's preview segments are decrypted here, so the key never leaves for the rest.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace reelgate::server::playback {

class PlaybackPackage {
public:
    // Master playlist with variant URIs "{rendition}/index.m3u8".
    const std::string& masterPlaylist() const { return master_; }
    // Media playlist with segment URIs "{n}.ts" and key URI "../key"; nullptr for an unknown
    // rendition.
    const std::string* mediaPlaylist(const std::string& rendition) const;
    // The file for segment n of `rendition` in variant B (or A); nullopt when out of range.
    std::optional<std::filesystem::path> segmentFile(const std::string& rendition, std::int64_t n,
                                                     bool variantB) const;
    // The same file relative to the package folder ("720p/b/3.ts").
    std::optional<std::string> segmentPath(const std::string& rendition, std::int64_t n,
                                           bool variantB) const;
    bool abVariants() const { return abVariants_; }
    // 16 raw bytes, or empty for an unencrypted package.
    const std::string& key() const { return key_; }
    const nlohmann::json& watermark() const { return watermark_; }

    // Preview: how many segments fit in `seconds` (0: none), their playlist (segment URIs
    // "{n}.ts", no key) and segment n's clear bytes (nullopt past the preview or when the file
    // cannot be read or decrypted).
    std::int64_t previewSegments(int seconds) const;
    std::string previewPlaylist(int seconds) const;
    std::optional<std::string> previewSegment(int seconds, std::int64_t n) const;

    static std::shared_ptr<const PlaybackPackage> load(const std::filesystem::path& dir);
    // A rendition folder name playback serves: letters, digits, '_' and '-', at most 32
    // (ingest refuses packages with any other).
    static bool servableRendition(const std::string& name);

private:
    struct Rendition {
        std::string playlist;
        std::int64_t segments = 0;
        std::int64_t mediaSequence = 0;
        std::int64_t targetDurationS = 0;
        std::vector<std::int64_t> durationsUs;
    };
    std::filesystem::path dir_;
    std::string master_;
    std::map<std::string, Rendition> renditions_;
    std::string previewRendition_; // the middle one of the master playlist
    bool abVariants_ = false;
    std::string key_;
    nlohmann::json watermark_;
};

// Packages by directory, loaded on first use. Thread-safe.
class PlaybackPackages {
public:
    explicit PlaybackPackages(std::filesystem::path videosDir)
        : videosDir_(std::move(videosDir)) {}
    // packageDir: relative to the videos dir (as stored in videos.package_dir).
    std::shared_ptr<const PlaybackPackage> get(const std::string& packageDir);

private:
    std::filesystem::path videosDir_;
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<const PlaybackPackage>> loaded_;
};

} // namespace reelgate::server::playback
