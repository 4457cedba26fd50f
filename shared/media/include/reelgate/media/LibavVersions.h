#pragma once
// The FFmpeg libraries reelgate::media was built against and runs with.
// Thread: any. Used by --version output and About boxes.

#include <functional>
#include <string>

namespace reelgate::media {

// e.g. "libavformat 59.27.100, libavcodec 59.37.100, ..." (runtime versions).
std::string libavVersions();

// libav's own console logging (global): quiet shows errors only, otherwise warnings too.
// Call once at program start, before any job runs.
void setLibavLogging(bool quiet);

// Routes libav's log (libx264's lines included) to `sink` instead of the console: warnings
// (error = false) and errors (error = true) only, one line at a time without its newline; info
// and debug lines are dropped. Global; `sink` is called on whatever thread logs and must be
// thread-safe. An empty sink restores libav's console logging.
void routeLibavLog(std::function<void(bool error, const std::string& line)> sink);

} // namespace reelgate::media
