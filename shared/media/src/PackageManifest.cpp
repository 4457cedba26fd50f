#include "reelgate/media/PackageManifest.h"

#include "reelgate/core/WatermarkMotion.h"

#include "reelgate/core/ForensicCode.h"
#include "reelgate/media/MediaError.h"

#include <fstream>

namespace reelgate::media {
namespace {

std::string rationalText(Rational r) {
    return std::to_string(r.num) + "/" + std::to_string(r.den);
}

Rational parseRational(const std::string& text) {
    const auto slash = text.find('/');
    try {
        if (slash == std::string::npos) {
            return {std::stoi(text), 1};
        }
        return {std::stoi(text.substr(0, slash)), std::stoi(text.substr(slash + 1))};
    } catch (const std::exception&) {
        throw MediaError("manifest frame_rate \"" + text + "\" is not a fraction");
    }
}

} // namespace

nlohmann::json PackageManifest::defaultWatermark() {
    return core::defaultWatermarkSpec();
}

nlohmann::json PackageManifest::toJson() const {
    nlohmann::json json;
    json["format_version"] = kFormatVersion;
    json["generator"] = generator;
    json["created_utc"] = createdUtc;
    json["source"] = source;
    json["duration_ms"] = durationMs;
    json["segment_duration_ms"] = segmentDurationMs;
    json["segment_count"] = segments.size();
    json["frame_rate"] = rationalText(frameRate);
    nlohmann::json segmentList = nlohmann::json::array();
    for (const ManifestSegment& s : segments) {
        segmentList.push_back({{"first_frame", s.firstFrame}, {"frames", s.frames}});
    }
    json["segments"] = segmentList;
    json["master_playlist"] = masterPlaylist;
    nlohmann::json renditionList = nlohmann::json::array();
    for (const ManifestRendition& r : renditions) {
        nlohmann::json playlists = {{"a", r.playlistA}};
        if (!r.playlistB.empty()) {
            playlists["b"] = r.playlistB;
        }
        renditionList.push_back({{"name", r.name},
                                 {"width", r.widthPx},
                                 {"height", r.heightPx},
                                 {"video_kbps", r.videoKbps},
                                 {"bandwidth", r.bandwidth},
                                 {"average_bandwidth", r.averageBandwidth},
                                 {"codecs", r.codecs},
                                 {"playlists", playlists}});
    }
    json["renditions"] = renditionList;
    json["variants"] = {
        {"ab", abVariants},
        {"names", abVariants ? nlohmann::json{"a", "b"} : nlohmann::json{"a"}},
        {"segment_template", kSegmentTemplate},
        {"server_path", "/play/{session}/{rendition}/{n}.ts"},
        {"bit_to_variant", {{"0", "a"}, {"1", "b"}}},
    };
    json["watermark"] = watermark;
    if (!poster.empty()) {
        json["poster"] = poster;
    }
    if (forensic) {
        json["forensic"] = {
            {"scheme", "reelgate-ab-luma-v1"},
            {"mark", forensic->toJson()},
            {"window", "first window_frames frames of every segment; A adds +mark, B adds -mark; "
                       "the rest of the segment is shared"},
            {"payload",
             {{"code", "ForensicCode v1"},
              {"payload_bits", core::ForensicCode::kPayloadBits},
              {"frame_bits", core::ForensicCode::kFrameBits},
              {"slot", "segment index n carries frame bit n mod frame_bits"}}},
        };
    } else {
        json["forensic"] = nullptr;
    }
    if (encryption) {
        json["encryption"] = {{"method", encryption->method},
                              {"key_file", encryption->keyFile},
                              {"iv_policy", encryption->ivPolicy}};
    } else {
        json["encryption"] = nullptr;
    }
    nlohmann::json fileMap = nlohmann::json::object();
    for (const auto& [path, file] : files) {
        fileMap[path] = {{"sha256", file.sha256}, {"bytes", file.bytes}};
    }
    json["files"] = fileMap;
    return json;
}

PackageManifest PackageManifest::fromJson(const nlohmann::json& json) {
    if (!json.is_object()) {
        throw MediaError("manifest is not a JSON object");
    }
    const int version = json.value("format_version", 0);
    if (version < 1 || version > kFormatVersion) {
        throw MediaError("manifest format_version " + std::to_string(version) +
                         " is not supported (this build reads 1)");
    }
    PackageManifest m;
    try {
        m.generator = json.value("generator", "");
        m.createdUtc = json.value("created_utc", "");
        m.source = json.value("source", nlohmann::json::object());
        m.durationMs = json.value("duration_ms", std::int64_t{0});
        m.segmentDurationMs = json.value("segment_duration_ms", 4000);
        m.frameRate = parseRational(json.value("frame_rate", std::string("30/1")));
        const nlohmann::json segmentList = json.value("segments", nlohmann::json::array());
        for (const auto& s : segmentList) {
            m.segments.push_back(
                {s.value("first_frame", std::int64_t{0}), s.value("frames", std::int64_t{0})});
        }
        m.masterPlaylist = json.value("master_playlist", "master.m3u8");
        const nlohmann::json renditionList = json.value("renditions", nlohmann::json::array());
        for (const auto& r : renditionList) {
            ManifestRendition item;
            item.name = r.value("name", "");
            item.widthPx = r.value("width", 0);
            item.heightPx = r.value("height", 0);
            item.videoKbps = r.value("video_kbps", 0);
            item.bandwidth = r.value("bandwidth", std::int64_t{0});
            item.averageBandwidth = r.value("average_bandwidth", std::int64_t{0});
            item.codecs = r.value("codecs", "");
            const auto playlists = r.value("playlists", nlohmann::json::object());
            item.playlistA = playlists.value("a", "");
            item.playlistB = playlists.value("b", "");
            m.renditions.push_back(item);
        }
        m.abVariants = json.value("variants", nlohmann::json::object()).value("ab", false);
        m.watermark = json.value("watermark", defaultWatermark());
        m.poster = json.contains("poster") && json["poster"].is_string()
                       ? json["poster"].get<std::string>()
                       : std::string();
        if (json.contains("forensic") && json["forensic"].is_object()) {
            m.forensic = ForensicMarkSpec::fromJson(
                json["forensic"].value("mark", nlohmann::json::object()));
        }
        if (json.contains("encryption") && json["encryption"].is_object()) {
            const auto& e = json["encryption"];
            ManifestEncryption enc;
            enc.method = e.value("method", enc.method);
            enc.keyFile = e.value("key_file", enc.keyFile);
            enc.ivPolicy = e.value("iv_policy", enc.ivPolicy);
            m.encryption = enc;
        }
        const nlohmann::json fileMap = json.value("files", nlohmann::json::object());
        for (const auto& [path, file] : fileMap.items()) {
            m.files[path] = {file.value("sha256", ""), file.value("bytes", std::int64_t{0})};
        }
    } catch (const nlohmann::json::exception& e) {
        throw MediaError(std::string("manifest has a field of the wrong type: ") + e.what());
    }
    return m;
}

PackageManifest PackageManifest::load(const std::filesystem::path& dir) {
    const std::filesystem::path file = dir / kFileName;
    std::ifstream in(file);
    if (!in) {
        throw MediaError("no " + std::string(kFileName) + " in " + dir.string() +
                         " (not a Reelgate package)");
    }
    nlohmann::json json = nlohmann::json::parse(in, nullptr, false);
    if (json.is_discarded()) {
        throw MediaError(file.string() + " is not valid JSON");
    }
    return fromJson(json);
}

} // namespace reelgate::media
