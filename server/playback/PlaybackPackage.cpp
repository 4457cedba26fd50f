#include "playback/PlaybackPackage.h"

#include "reelgate/core/M3u8.h"
#include "reelgate/core/WatermarkMotion.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace reelgate::server::playback {
namespace {

namespace fs = std::filesystem;

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read " + path.string());
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

// Rewrites a package media playlist: segment URIs to "{n}.ts", the key URI to "../key".
std::string sessionMediaPlaylist(const std::string& text) {
    std::istringstream in(text);
    std::string out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("#EXT-X-KEY:", 0) == 0) {
            const auto uri = line.find("URI=\"");
            const auto end = uri == std::string::npos ? uri : line.find('"', uri + 5);
            if (end == std::string::npos)
                throw std::runtime_error("a key line without URI");
            line = line.substr(0, uri) + "URI=\"../key\"" + line.substr(end + 1);
        } else if (!line.empty() && line[0] != '#') {
            line = line.substr(line.find_last_of('/') + 1);
        }
        out += line + "\n";
    }
    return out;
}

bool safeName(const std::string& name) {
    if (name.empty() || name.size() > 32)
        return false;
    for (const char c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-')
            return false;
    return true;
}

} // namespace

const std::string* PlaybackPackage::mediaPlaylist(const std::string& rendition) const {
    const auto it = renditions_.find(rendition);
    return it == renditions_.end() ? nullptr : &it->second.playlist;
}

std::optional<std::string> PlaybackPackage::segmentPath(const std::string& rendition,
                                                        std::int64_t n, bool variantB) const {
    const auto it = renditions_.find(rendition);
    if (it == renditions_.end() || n < 0 || n >= it->second.segments)
        return std::nullopt;
    return rendition + (variantB && abVariants_ ? "/b/" : "/a/") + std::to_string(n) + ".ts";
}

std::optional<fs::path> PlaybackPackage::segmentFile(const std::string& rendition, std::int64_t n,
                                                     bool variantB) const {
    const auto relative = segmentPath(rendition, n, variantB);
    if (!relative)
        return std::nullopt;
    return dir_ / *relative;
}

std::shared_ptr<const PlaybackPackage> PlaybackPackage::load(const fs::path& dir) {
    auto package = std::make_shared<PlaybackPackage>();
    package->dir_ = dir;
    // manifest.json was validated at ingest; read what playback needs from it.
    const nlohmann::json manifest = nlohmann::json::parse(readFile(dir / "manifest.json"));
    package->abVariants_ = manifest.value("variants", nlohmann::json::object()).value("ab", false);
    package->watermark_ = core::defaultWatermarkSpec();
    if (const auto it = manifest.find("watermark"); it != manifest.end() && it->is_object())
        package->watermark_.update(*it);
    if (const auto it = manifest.find("encryption"); it != manifest.end() && it->is_object()) {
        package->key_ = readFile(dir / it->value("key_file", std::string("key.bin")));
        if (package->key_.size() != 16)
            throw std::runtime_error("the package key is not 16 bytes");
    }
    std::string master = "#EXTM3U\n";
    std::istringstream in(
        readFile(dir / manifest.value("master_playlist", std::string("master.m3u8"))));
    std::string line;
    std::getline(in, line); // #EXTM3U
    while (std::getline(in, line)) {
        if (!line.empty() && line[0] != '#') {
            const std::string name = line.substr(0, line.find('/'));
            if (!safeName(name))
                throw std::runtime_error("rendition name '" + name + "' is not servable");
            const std::string text = readFile(dir / line);
            Rendition rendition;
            rendition.playlist = sessionMediaPlaylist(text);
            rendition.segments =
                static_cast<std::int64_t>(core::parseMediaPlaylist(text).segments.size());
            package->renditions_[name] = std::move(rendition);
            line = name + "/index.m3u8";
        }
        master += line + "\n";
    }
    package->master_ = std::move(master);
    return package;
}

std::shared_ptr<const PlaybackPackage> PlaybackPackages::get(const std::string& packageDir) {
    {
        std::lock_guard lock(mutex_);
        if (const auto it = loaded_.find(packageDir); it != loaded_.end())
            return it->second;
    }
    // Load outside the lock: reading a big manifest must not stall other videos.
    auto package = PlaybackPackage::load(videosDir_ / packageDir);
    std::lock_guard lock(mutex_);
    return loaded_.emplace(packageDir, std::move(package)).first->second;
}

} // namespace reelgate::server::playback
