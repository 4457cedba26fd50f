#pragma once
// probeMedia: opens a source file with libavformat and describes it (duration, streams,
// resolution, rotation, frame rate and whether it varies, audio layout).
// Thread: any; blocking (reads headers and up to a few hundred video packets).
// Throws MediaError with a human message for an unreadable file or one without a video stream.

#include "reelgate/media/MediaInfo.h"

#include <filesystem>

namespace reelgate::media {

MediaInfo probeMedia(const std::filesystem::path& path);

} // namespace reelgate::media
