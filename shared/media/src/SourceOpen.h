#pragma once
// Internal: opening a source for reading, shared by the probe, the transcode and the detector,
// so that every entry point refuses bad input with the same messages.

#include "Libav.h"

#include <filesystem>

namespace reelgate::media {

// Opens and reads stream info. Throws MediaError("cannot read <file>: <reason>").
libav::InputContextPtr openSource(const std::filesystem::path& path);
// Index of the primary video stream (attached pictures ignored). Throws MediaError when the
// file has none ("<file> has no video stream ...").
int findVideoStream(AVFormatContext* format, const std::filesystem::path& path);

} // namespace reelgate::media
