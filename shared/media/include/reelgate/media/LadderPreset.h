#pragma once
// LadderPreset: how a source becomes an HLS ladder (rungs, segment length, encoder settings,
// forensic mark strength). Travels as versioned JSON (format_version 1): fromJson fills every
// missing field with its default and upgrades the version-0 form (no format_version,
// "segment_seconds", "rungs":[{"height":..,"bitrate_kbps":..}]); a newer version is refused.
// Built-ins: "default" (240p..1080p, x264 veryfast) and "draft" (240p..480p, x264 superfast).
// Plain value; thread: any. Errors: MediaError with a message naming the bad field.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace reelgate::media {

struct RungSpec {
    std::string name;    // e.g. "720p"
    int shortSidePx = 0; // the height of a landscape rendition, the width of a portrait one
    int videoKbps = 0;   // x264 target bitrate
    int maxrateKbps = 0; // VBV max rate
    int bufsizeKbps = 0; // VBV buffer
};

struct LadderPreset {
    static constexpr int kFormatVersion = 1;

    std::string name = "default";
    int segmentMs = 4000;
    std::string x264Preset = "veryfast";
    std::string x264Profile = "high";
    int maxFrameRate = 60; // sources above are converted to half their rate (or this cap)
    int audioKbps = 128;
    int audioMaxChannels = 2;
    // Packages with A/B variants use this segment length instead (one forensic slot per segment:
    // 30 slots per minute at 2 s, so a few minutes of recording name a viewer; FORENSICS.md).
    int forensicSegmentMs = 2000;
    int forensicWindowMs = 1000;    // marked frames at the start of every segment
    double forensicAmplitude = 3.0; // peak luma change of the mark, 8-bit code values
    std::vector<RungSpec> rungs;

    static LadderPreset builtin(std::string_view name);
    static std::vector<std::string> builtinNames();
    // A built-in name, or a path to a preset JSON file.
    static LadderPreset load(const std::string& nameOrPath);
    static LadderPreset fromJson(const nlohmann::json& json);
    nlohmann::json toJson() const;
};

} // namespace reelgate::media
