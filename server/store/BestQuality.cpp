#include "store/BestQuality.h"

#include "reelgate/core/M3u8.h"

#include <charconv>
#include <exception>

namespace reelgate::server::store {

std::optional<std::string> bestQualityOf(std::string_view masterPlaylist) {
    const core::M3u8MasterPlaylist master = core::parseMasterPlaylist(masterPlaylist);
    int tallestPx = 0;
    for (const core::M3u8Variant& variant : master.variants) {
        const std::size_t x = variant.resolution.find('x');
        if (x == std::string::npos)
            continue;
        int heightPx = 0;
        const char* begin = variant.resolution.data() + x + 1;
        const char* end = variant.resolution.data() + variant.resolution.size();
        if (std::from_chars(begin, end, heightPx).ec == std::errc() && heightPx > tallestPx)
            tallestPx = heightPx;
    }
    if (tallestPx <= 0)
        return std::nullopt;
    return std::to_string(tallestPx) + "p";
}

std::optional<std::string> bestQuality(playback::PlaybackPackages& packages,
                                       const std::string& packageDir) {
    if (packageDir.empty())
        return std::nullopt;
    try {
        const auto package = packages.get(packageDir);
        return package ? bestQualityOf(package->masterPlaylist()) : std::nullopt;
    } catch (const std::exception&) {
        return std::nullopt; // the page still shows; playback reports the broken package
    }
}

} // namespace reelgate::server::store
