#include "playback/PlaybackPackage.h"

#include "reelgate/core/M3u8.h"
#include "reelgate/core/Text.h"
#include "reelgate/core/WatermarkMotion.h"

#include <openssl/evp.h>

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

// The session playlist of a package media playlist, written from the model: segment URIs
// "{n}.ts", the key URI "../key"; nothing of the package text is copied.
std::string sessionMediaPlaylist(const core::M3u8MediaPlaylist& package) {
    core::M3u8MediaPlaylist session = package;
    for (std::size_t n = 0; n < session.segments.size(); ++n)
        session.segments[n].uri = std::to_string(n) + ".ts";
    if (session.key)
        session.key->uri = "../key";
    return core::writeMediaPlaylist(session);
}

} // namespace

bool PlaybackPackage::servableRendition(const std::string& name) {
    if (name.empty() || name.size() > 32)
        return false;
    for (const char c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-')
            return false;
    return true;
}

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

std::int64_t PlaybackPackage::previewSegments(int seconds) const {
    const auto it = renditions_.find(previewRendition_);
    if (it == renditions_.end() || seconds <= 0)
        return 0;
    std::int64_t count = 0;
    std::int64_t totalUs = 0;
    for (const std::int64_t us : it->second.durationsUs) {
        totalUs += us;
        if (totalUs > std::int64_t{seconds} * 1000000)
            break;
        ++count;
    }
    return count;
}

std::string PlaybackPackage::previewPlaylist(int seconds) const {
    const Rendition& rendition = renditions_.at(previewRendition_);
    core::M3u8MediaPlaylist playlist;
    playlist.targetDurationS = rendition.targetDurationS;
    playlist.mediaSequence = rendition.mediaSequence;
    playlist.vod = true;
    playlist.endList = true;
    const std::int64_t count = previewSegments(seconds);
    for (std::int64_t n = 0; n < count; ++n)
        playlist.segments.push_back(
            {rendition.durationsUs[static_cast<std::size_t>(n)], std::to_string(n) + ".ts"});
    return core::writeMediaPlaylist(playlist);
}

std::optional<std::string> PlaybackPackage::previewSegment(int seconds, std::int64_t n) const {
    if (n < 0 || n >= previewSegments(seconds))
        return std::nullopt;
    std::string bytes;
    try {
        bytes = readFile(dir_ / *segmentPath(previewRendition_, n, false));
    } catch (const std::runtime_error&) {
        return std::nullopt;
    }
    if (key_.empty())
        return bytes;
    // AES-128-CBC, PKCS#7 padding, IV = the segment's media sequence number (HLS' default).
    unsigned char iv[16] = {};
    auto sequence = static_cast<std::uint64_t>(renditions_.at(previewRendition_).mediaSequence + n);
    for (int i = 15; i >= 8; --i, sequence >>= 8)
        iv[i] = static_cast<unsigned char>(sequence & 0xff);
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                        EVP_CIPHER_CTX_free);
    std::string clear(bytes.size() + 16, '\0');
    int written = 0;
    int last = 0;
    const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
    auto* out = reinterpret_cast<unsigned char*>(clear.data());
    if (!ctx ||
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_128_cbc(), nullptr,
                           reinterpret_cast<const unsigned char*>(key_.data()), iv) != 1 ||
        EVP_DecryptUpdate(ctx.get(), out, &written, in, static_cast<int>(bytes.size())) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), out + written, &last) != 1)
        return std::nullopt;
    clear.resize(static_cast<std::size_t>(written + last));
    return clear;
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
    core::M3u8MasterPlaylist master = core::parseMasterPlaylist(
        readFile(dir / manifest.value("master_playlist", std::string("master.m3u8"))));
    for (core::M3u8Variant& variant : master.variants) {
        const std::string name = variant.uri.substr(0, variant.uri.find('/'));
        if (!servableRendition(name))
            throw std::runtime_error("rendition name '" + core::printable(name) +
                                     "' is not servable");
        const core::M3u8MediaPlaylist playlist =
            core::parseMediaPlaylist(readFile(dir / variant.uri));
        if (playlist.encrypted() != !package->key_.empty())
            throw std::runtime_error("the package key and its playlists disagree");
        Rendition rendition;
        rendition.playlist = sessionMediaPlaylist(playlist);
        rendition.segments = static_cast<std::int64_t>(playlist.segments.size());
        rendition.mediaSequence = playlist.mediaSequence;
        rendition.targetDurationS = playlist.targetDurationS;
        for (const auto& segment : playlist.segments)
            rendition.durationsUs.push_back(segment.durationUs);
        package->renditions_[name] = std::move(rendition);
        variant.uri = name + "/index.m3u8";
    }
    if (!master.variants.empty()) {
        const std::string& uri = master.variants[(master.variants.size() - 1) / 2].uri;
        package->previewRendition_ = uri.substr(0, uri.find('/'));
    }
    package->master_ = core::writeMasterPlaylist(master);
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
