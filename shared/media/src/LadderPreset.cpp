#include "reelgate/media/LadderPreset.h"

#include "reelgate/media/MediaError.h"

#include <fstream>

namespace reelgate::media {
namespace {

RungSpec rung(int shortSidePx, int videoKbps) {
    return {std::to_string(shortSidePx) + "p", shortSidePx, videoKbps, videoKbps * 3 / 2,
            videoKbps * 2};
}

template <typename T> T field(const nlohmann::json& json, const char* key, const T& fallback) {
    if (!json.contains(key) || json[key].is_null()) {
        return fallback;
    }
    try {
        return json[key].get<T>();
    } catch (const nlohmann::json::exception&) {
        throw MediaError(std::string("preset field \"") + key + "\" has the wrong type");
    }
}

// Version 0 (before format_version existed): segment_seconds and rungs with "height".
nlohmann::json upgradeFrom0(nlohmann::json json) {
    if (json.contains("segment_seconds")) {
        json["segment_ms"] = static_cast<int>(json["segment_seconds"].get<double>() * 1000);
        json.erase("segment_seconds");
    }
    if (json.contains("rungs") && json["rungs"].is_array()) {
        nlohmann::json renditions = nlohmann::json::array();
        for (const auto& old : json["rungs"]) {
            nlohmann::json item = old;
            if (item.contains("height")) {
                item["short_side"] = item["height"];
                item.erase("height");
            }
            renditions.push_back(item);
        }
        json["renditions"] = renditions;
        json.erase("rungs");
    }
    json["format_version"] = 1;
    return json;
}

void validate(const LadderPreset& preset) {
    if (preset.segmentMs < 1000 || preset.segmentMs > 20000) {
        throw MediaError("preset segment_ms must be between 1000 and 20000");
    }
    if (preset.forensicSegmentMs < 1000 || preset.forensicSegmentMs > 20000) {
        throw MediaError("preset forensic segment_ms must be between 1000 and 20000");
    }
    if (preset.rungs.empty()) {
        throw MediaError("preset has no renditions");
    }
    for (const RungSpec& r : preset.rungs) {
        if (r.name.empty() || r.shortSidePx < 16 || r.shortSidePx > 4320 || r.videoKbps < 50) {
            throw MediaError("preset rendition \"" + r.name +
                             "\" needs a name, short_side 16..4320 and video_kbps >= 50");
        }
    }
    if (preset.forensicWindowMs < 200 || preset.forensicAmplitude <= 0 ||
        preset.forensicAmplitude > 12) {
        throw MediaError("preset forensic window_ms must be >= 200, amplitude in (0, 12]");
    }
    if (preset.audioKbps < 16 || preset.audioMaxChannels < 1 || preset.maxFrameRate < 1) {
        throw MediaError("preset audio_kbps >= 16, audio_max_channels >= 1, max_frame_rate >= 1");
    }
}

} // namespace

LadderPreset LadderPreset::builtin(std::string_view name) {
    LadderPreset preset;
    if (name == "default") {
        preset.rungs = {rung(240, 400), rung(360, 800), rung(480, 1400), rung(720, 2800),
                        rung(1080, 5000)};
        return preset;
    }
    if (name == "draft") {
        preset.name = "draft";
        preset.x264Preset = "superfast";
        preset.rungs = {rung(240, 400), rung(360, 800), rung(480, 1400)};
        return preset;
    }
    throw MediaError("unknown preset \"" + std::string(name) + "\" (built-ins: default, draft)");
}

std::vector<std::string> LadderPreset::builtinNames() {
    return {"default", "draft"};
}

LadderPreset LadderPreset::load(const std::string& nameOrPath) {
    for (const std::string& builtinName : builtinNames()) {
        if (nameOrPath == builtinName) {
            return builtin(builtinName);
        }
    }
    std::ifstream in(nameOrPath);
    if (!in) {
        throw MediaError("unknown preset \"" + nameOrPath +
                         "\": not a built-in (default, draft) nor a readable JSON file");
    }
    nlohmann::json json = nlohmann::json::parse(in, nullptr, false);
    if (json.is_discarded()) {
        throw MediaError("preset file " + nameOrPath + " is not valid JSON");
    }
    return fromJson(json);
}

LadderPreset LadderPreset::fromJson(const nlohmann::json& input) {
    if (!input.is_object()) {
        throw MediaError("preset must be a JSON object");
    }
    nlohmann::json json = input;
    const int version = field<int>(json, "format_version", 0);
    if (version > kFormatVersion) {
        throw MediaError("preset format_version " + std::to_string(version) +
                         " is newer than this build understands (" +
                         std::to_string(kFormatVersion) + ")");
    }
    if (version == 0) {
        json = upgradeFrom0(json);
    }
    const LadderPreset defaults = builtin("default");
    LadderPreset preset;
    preset.name = field<std::string>(json, "name", "custom");
    preset.segmentMs = field<int>(json, "segment_ms", defaults.segmentMs);
    const nlohmann::json video = field<nlohmann::json>(json, "video", nlohmann::json::object());
    preset.x264Preset = field<std::string>(video, "x264_preset", defaults.x264Preset);
    preset.x264Profile = field<std::string>(video, "x264_profile", defaults.x264Profile);
    preset.maxFrameRate = field<int>(video, "max_frame_rate", defaults.maxFrameRate);
    const nlohmann::json audio = field<nlohmann::json>(json, "audio", nlohmann::json::object());
    preset.audioKbps = field<int>(audio, "bitrate_kbps", defaults.audioKbps);
    preset.audioMaxChannels = field<int>(audio, "max_channels", defaults.audioMaxChannels);
    const nlohmann::json forensic =
        field<nlohmann::json>(json, "forensic", nlohmann::json::object());
    preset.forensicSegmentMs = field<int>(forensic, "segment_ms", defaults.forensicSegmentMs);
    preset.forensicWindowMs = field<int>(forensic, "window_ms", defaults.forensicWindowMs);
    preset.forensicAmplitude = field<double>(forensic, "amplitude", defaults.forensicAmplitude);
    if (json.contains("renditions")) {
        if (!json["renditions"].is_array()) {
            throw MediaError("preset field \"renditions\" must be an array");
        }
        for (const auto& item : json["renditions"]) {
            const int shortSide = field<int>(item, "short_side", 0);
            const int kbps = field<int>(item, "video_kbps", 0);
            RungSpec r = rung(shortSide, kbps);
            r.name = field<std::string>(item, "name", r.name);
            r.maxrateKbps = field<int>(item, "maxrate_kbps", r.maxrateKbps);
            r.bufsizeKbps = field<int>(item, "bufsize_kbps", r.bufsizeKbps);
            preset.rungs.push_back(r);
        }
    } else {
        preset.rungs = defaults.rungs;
    }
    validate(preset);
    return preset;
}

nlohmann::json LadderPreset::toJson() const {
    nlohmann::json renditions = nlohmann::json::array();
    for (const RungSpec& r : rungs) {
        renditions.push_back({{"name", r.name},
                              {"short_side", r.shortSidePx},
                              {"video_kbps", r.videoKbps},
                              {"maxrate_kbps", r.maxrateKbps},
                              {"bufsize_kbps", r.bufsizeKbps}});
    }
    return {{"format_version", kFormatVersion},
            {"name", name},
            {"segment_ms", segmentMs},
            {"video",
             {{"x264_preset", x264Preset},
              {"x264_profile", x264Profile},
              {"max_frame_rate", maxFrameRate}}},
            {"audio", {{"bitrate_kbps", audioKbps}, {"max_channels", audioMaxChannels}}},
            {"forensic",
             {{"segment_ms", forensicSegmentMs},
              {"window_ms", forensicWindowMs},
              {"amplitude", forensicAmplitude}}},
            {"renditions", renditions}};
}

} // namespace reelgate::media
