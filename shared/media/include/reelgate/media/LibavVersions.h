#pragma once
// The FFmpeg libraries reelgate::media was built against and runs with.
// Thread: any. Used by --version output and About boxes.

#include <string>

namespace reelgate::media {

// e.g. "libavformat 59.27.100, libavcodec 59.37.100, ..." (runtime versions).
std::string libavVersions();

// libav's own console logging (global): quiet shows errors only, otherwise warnings too.
// Call once at program start, before any job runs.
void setLibavLogging(bool quiet);

} // namespace reelgate::media
