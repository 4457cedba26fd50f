#pragma once
// "Best quality" for the video page: the tallest rendition of a published package as "1080p",
// read from the master playlist's RESOLUTION attributes of the in-memory package (loaded once per
// package by PlaybackPackages, so a page view reads no file). nullopt when the video has no
// package, the package cannot be loaded or no variant says its resolution.

#include "playback/PlaybackPackage.h"

#include <optional>
#include <string>
#include <string_view>

namespace reelgate::server::store {

// From a master playlist's text; nullopt when no variant has a valid RESOLUTION.
std::optional<std::string> bestQualityOf(std::string_view masterPlaylist);

// packageDir: as stored in videos.package_dir (empty: nullopt).
std::optional<std::string> bestQuality(playback::PlaybackPackages& packages,
                                       const std::string& packageDir);

} // namespace reelgate::server::store
