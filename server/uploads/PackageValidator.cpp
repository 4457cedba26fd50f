#include "uploads/PackageValidator.h"

#include "catalog/VideoMediaImage.h"
#include "playback/PlaybackPackage.h"
#include "reelgate/core/InvalidInput.h"
#include "reelgate/core/M3u8.h"
#include "reelgate/core/Sha256Stream.h"
#include "reelgate/core/Text.h"
#include "uploads/TarReader.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace reelgate::server::uploads {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kFormatVersion = 1;
constexpr std::int64_t kSlackUs = 500000; // segment may exceed the target by half a second

std::string readSmall(const fs::path& file, std::size_t limit) {
    std::error_code ec;
    if (fs::file_size(file, ec) > limit)
        throw PackageInvalid(core::printable(file.filename().string()) + " is unreasonably large");
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string shown(const std::string& text) {
    return "'" + core::printable(text, 80) + "'";
}

// Resolves a playlist's URI against the playlist's folder, staying inside the package.
std::string resolve(const std::string& playlistPath, const std::string& uri) {
    if (uri.empty() || uri.find("://") != std::string::npos || uri.front() == '/')
        throw PackageInvalid(playlistPath + " points outside the package (" + shown(uri) + ")");
    // "../key.bin" from "720p/a.m3u8" climbs folders of the playlist, never above the package.
    std::string base = playlistPath.substr(0, playlistPath.rfind('/') + 1);
    std::string rest = uri;
    while (rest.rfind("../", 0) == 0) {
        if (base.empty())
            throw PackageInvalid(playlistPath + " points outside the package (" + shown(uri) + ")");
        base.pop_back();
        base.erase(base.rfind('/') == std::string::npos ? 0 : base.rfind('/') + 1);
        rest.erase(0, 3);
    }
    const std::string path = base + rest;
    if (!isSafeRelativePath(path))
        throw PackageInvalid(playlistPath + " names an unsafe path (" + shown(uri) + ")");
    return path;
}

struct PlaylistFacts {
    std::vector<std::int64_t> durationsUs;
    bool encrypted = false;
};

// `variant` "a" or "b": the playlist is <rendition>/<variant>.m3u8 with segments
// <variant>/<n>.ts, n = 0, 1, ..., which is what playback serves.
PlaylistFacts checkMediaPlaylist(const fs::path& dir, const std::string& path,
                                 const std::string& variant, const std::string& keyFile,
                                 const std::set<std::string>& listed) {
    if (!listed.count(path))
        throw PackageInvalid("playlist " + shown(path) + " is missing");
    core::M3u8MediaPlaylist playlist;
    try {
        playlist = core::parseMediaPlaylist(readSmall(dir / path, 16 << 20));
    } catch (const core::InvalidInput& e) {
        throw PackageInvalid(path + ": " + e.what());
    }
    if (!playlist.endList || !playlist.vod)
        throw PackageInvalid(path + " is not a finished VOD playlist (#EXT-X-PLAYLIST-TYPE:VOD "
                                    "and #EXT-X-ENDLIST are required)");
    if (playlist.segments.empty())
        throw PackageInvalid(path + " has no segments");
    if (playlist.key.has_value() != !keyFile.empty())
        throw PackageInvalid(path + (keyFile.empty()
                                         ? " is encrypted but manifest.json has no encryption"
                                         : " is not encrypted but manifest.json says it is"));
    if (playlist.key && resolve(path, playlist.key->uri) != keyFile)
        throw PackageInvalid(path + ": the #EXT-X-KEY URI does not name the package key file");
    PlaylistFacts facts;
    facts.encrypted = playlist.encrypted();
    for (std::size_t n = 0; n < playlist.segments.size(); ++n) {
        const auto& segment = playlist.segments[n];
        const std::string expected = variant + "/" + std::to_string(n) + ".ts";
        if (segment.uri != expected)
            throw PackageInvalid(path + ": segment " + std::to_string(n) + " must be " + expected +
                                 ", not " + shown(segment.uri));
        const std::string file = resolve(path, segment.uri);
        if (!listed.count(file))
            throw PackageInvalid(path + " refers to " + file + ", which is not in the package");
        if (segment.durationUs <= 0 ||
            segment.durationUs > playlist.targetDurationS * 1000000 + kSlackUs)
            throw PackageInvalid(path + ": segment " + expected +
                                 " has a duration outside 0 .. #EXT-X-TARGETDURATION");
        facts.durationsUs.push_back(segment.durationUs);
    }
    return facts;
}

} // namespace

PackageSummary validatePackage(const fs::path& dir, const std::vector<std::string>& files) {
    const std::set<std::string> present(files.begin(), files.end());
    if (!present.count("manifest.json"))
        throw PackageInvalid("the package has no manifest.json at its top level");
    const json manifest = json::parse(readSmall(dir / "manifest.json", 64 << 20), nullptr, false);
    if (manifest.is_discarded() || !manifest.is_object())
        throw PackageInvalid("manifest.json is not valid JSON");
    const json& formatVersion =
        manifest.contains("format_version") ? manifest["format_version"] : json();
    const int version = formatVersion.is_number_integer() ? formatVersion.get<int>() : 0;
    if (version > kFormatVersion)
        throw PackageInvalid("the package was made by a newer Reelgate Studio (format " +
                             std::to_string(version) + "); update the server");
    if (version != kFormatVersion)
        throw PackageInvalid("manifest.json has no valid format_version");

    PackageSummary summary;
    try {
        // Every file listed, with its size and hash; nothing unlisted.
        std::set<std::string> listed;
        for (const auto& [path, info] : manifest.at("files").items()) {
            if (!isSafeRelativePath(path))
                throw PackageInvalid("manifest.json lists an unsafe path " + shown(path));
            if (!present.count(path))
                throw PackageInvalid("manifest.json lists " + path + ", which is missing");
            std::error_code ec;
            const auto bytes = fs::file_size(dir / path, ec);
            if (ec || static_cast<std::int64_t>(bytes) != info.at("bytes").get<std::int64_t>())
                throw PackageInvalid(path + " has the wrong size (damaged in transfer?)");
            if (core::Sha256Stream::fileHex((dir / path).string()) !=
                info.at("sha256").get<std::string>())
                throw PackageInvalid(path + " does not match its SHA-256 in manifest.json");
            listed.insert(path);
        }
        for (const auto& path : present) {
            if (path != "manifest.json" && !listed.count(path))
                throw PackageInvalid(path + " is in the package but not in manifest.json");
        }

        std::string keyFile;
        if (manifest.contains("encryption") && manifest["encryption"].is_object()) {
            keyFile = manifest["encryption"].value("key_file", "key.bin");
            std::error_code ec;
            if (!listed.count(keyFile) || fs::file_size(dir / keyFile, ec) != 16)
                throw PackageInvalid("the AES-128 key file " + shown(keyFile) +
                                     " is missing or not 16 bytes");
        }

        // Playlists: master -> renditions -> segments, in the layout playback serves:
        // <name>/a.m3u8 (and <name>/b.m3u8) with segments a/<n>.ts (b/<n>.ts).
        const std::string masterPath = manifest.value("master_playlist", "master.m3u8");
        if (!listed.count(masterPath))
            throw PackageInvalid("the master playlist " + shown(masterPath) + " is missing");
        core::M3u8MasterPlaylist master;
        try {
            master = core::parseMasterPlaylist(readSmall(dir / masterPath, 1 << 20));
        } catch (const core::InvalidInput& e) {
            throw PackageInvalid(masterPath + ": " + e.what());
        }
        if (masterPath.find('/') != std::string::npos)
            throw PackageInvalid("the master playlist must be at the top of the package");
        std::set<std::string> masterUris;
        for (const auto& variant : master.variants) {
            const std::string name = variant.uri.substr(0, variant.uri.find('/'));
            if (!playback::PlaybackPackage::servableRendition(name) ||
                variant.uri != name + "/a.m3u8")
                throw PackageInvalid("the master playlist lists " + shown(variant.uri) +
                                     "; streams must be <rendition>/a.m3u8 with a rendition "
                                     "name of letters, digits, '_' and '-'");
            if (!masterUris.insert(variant.uri).second)
                throw PackageInvalid("the master playlist lists " + variant.uri + " twice");
        }

        summary.abVariants = manifest.at("variants").value("ab", false);
        const auto segmentCount = manifest.at("segment_count").get<std::int64_t>();
        const auto durationMs = manifest.at("duration_ms").get<std::int64_t>();
        const auto& renditions = manifest.at("renditions");
        if (!renditions.is_array() || renditions.empty())
            throw PackageInvalid("manifest.json lists no renditions");
        if (renditions.size() != masterUris.size())
            throw PackageInvalid("the master playlist and manifest.json list different renditions");
        for (const auto& rendition : renditions) {
            const std::string name = rendition.at("name").get<std::string>();
            const auto& playlists = rendition.at("playlists");
            const std::string pathA = playlists.at("a").get<std::string>();
            if (!playback::PlaybackPackage::servableRendition(name) || pathA != name + "/a.m3u8" ||
                !masterUris.count(pathA))
                throw PackageInvalid("the master playlist does not list rendition " + shown(name) +
                                     " as " + shown(name + "/a.m3u8"));
            const PlaylistFacts a = checkMediaPlaylist(dir, pathA, "a", keyFile, listed);
            if (static_cast<std::int64_t>(a.durationsUs.size()) != segmentCount)
                throw PackageInvalid(pathA + " has " + std::to_string(a.durationsUs.size()) +
                                     " segments, manifest.json says " +
                                     std::to_string(segmentCount));
            std::int64_t totalUs = 0;
            for (auto us : a.durationsUs)
                totalUs += us;
            if (std::llabs(totalUs / 1000 - durationMs) > 1000)
                throw PackageInvalid(pathA + " lasts " + std::to_string(totalUs / 1000) +
                                     " ms but manifest.json says " + std::to_string(durationMs));
            if (summary.abVariants) {
                const std::string pathB = playlists.value("b", "");
                if (pathB != name + "/b.m3u8")
                    throw PackageInvalid("rendition " + name + " has no B variant at " + name +
                                         "/b.m3u8");
                const PlaylistFacts b = checkMediaPlaylist(dir, pathB, "b", keyFile, listed);
                if (b.durationsUs != a.durationsUs)
                    throw PackageInvalid("the A and B variants of " + name +
                                         " differ in their segments");
            }
            summary.encrypted = summary.encrypted || a.encrypted;
            ++summary.renditions;
        }
        if (manifest.contains("poster")) {
            // Judged by its bytes: a JPEG or PNG of sane size and dimensions (VideoMediaImage).
            const std::string poster =
                manifest["poster"].is_string() ? manifest["poster"].get<std::string>() : "";
            if (!listed.count(poster))
                throw PackageInvalid("the poster " + shown(poster) + " is not in the package");
            try {
                catalog::VideoMediaImage::inspect(
                    readSmall(dir / poster, catalog::VideoMediaImage::kMaxBytes));
            } catch (const catalog::PosterRefused& e) {
                throw PackageInvalid("the poster " + shown(poster) + " is refused: " + e.what());
            }
            summary.posterFile = poster;
        }
        summary.durationMs = durationMs;
        summary.segments = static_cast<int>(segmentCount);
    } catch (const json::exception& e) {
        throw PackageInvalid("manifest.json is incomplete: " + core::printable(e.what(), 200));
    }
    return summary;
}

} // namespace reelgate::server::uploads
