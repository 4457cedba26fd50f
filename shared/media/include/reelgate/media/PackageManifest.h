#pragma once
// PackageManifest: manifest.json of a transcoded package, format_version 1. It lists every file
// with its SHA-256 (the server verifies them on upload), the renditions, the segment timeline,
// the A/B forensic layout the detector needs and, when encrypted, the key file and IV policy.
// Segment files: {rendition}/{variant}/{n}.ts with variant "a" or "b" (b only in A/B packages);
// the server serves /play/{session}/{rendition}/{n}.ts from variant "b" when the session code's
// bit for slot n is 1 (ForensicCode::bitForSlot), from "a" otherwise.
// Plain value; thread: any. fromJson fills defaults; a newer format_version is refused.

#include "reelgate/media/ForensicMark.h"
#include "reelgate/media/MediaInfo.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace reelgate::media {

struct ManifestRendition {
    std::string name;
    int widthPx = 0;
    int heightPx = 0;
    int videoKbps = 0;
    std::int64_t bandwidth = 0;        // peak segment bits/s over A and B (HLS BANDWIDTH)
    std::int64_t averageBandwidth = 0; // bits/s over the whole A variant
    std::string codecs;                // e.g. "avc1.64001f,mp4a.40.2"
    std::string playlistA;             // e.g. "480p/a.m3u8"
    std::string playlistB;             // empty without A/B variants
};

struct ManifestSegment {
    std::int64_t firstFrame = 0;
    std::int64_t frames = 0;
};

struct ManifestFile {
    std::string sha256;
    std::int64_t bytes = 0;
};

struct ManifestEncryption {
    std::string method = "AES-128";
    std::string keyFile = "key.bin";         // 16 raw bytes, relative to the package root
    std::string ivPolicy = "media-sequence"; // HLS default: IV = segment index, 128-bit BE
};

struct PackageManifest {
    static constexpr int kFormatVersion = 1;
    static constexpr const char* kFileName = "manifest.json";
    static constexpr const char* kSegmentTemplate = "{rendition}/{variant}/{n}.ts";

    std::string generator;
    std::string createdUtc;
    nlohmann::json source = nlohmann::json::object();
    std::int64_t durationMs = 0;
    int segmentDurationMs = 4000;
    Rational frameRate{30, 1};
    std::vector<ManifestSegment> segments;
    std::vector<ManifestRendition> renditions;
    std::string masterPlaylist = "master.m3u8";
    bool abVariants = false;
    std::optional<ForensicMarkSpec> forensic; // set in A/B packages
    nlohmann::json watermark = nlohmann::json::object();
    std::string poster; // "poster.jpg" (a JPEG, listed in files), empty = none
    std::optional<ManifestEncryption> encryption;
    std::map<std::string, ManifestFile> files; // relative path -> hash and size

    nlohmann::json toJson() const;
    static PackageManifest fromJson(const nlohmann::json& json);
    // Reads <dir>/manifest.json. Throws MediaError when missing or malformed.
    static PackageManifest load(const std::filesystem::path& dir);
    // The default visible-watermark spec the studio designer will edit.
    static nlohmann::json defaultWatermark();
};

} // namespace reelgate::media
