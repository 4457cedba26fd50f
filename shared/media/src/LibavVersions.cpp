#include "reelgate/media/LibavVersions.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/log.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <cstdarg>
#include <mutex>

namespace reelgate::media {
namespace {

std::string describe(const char* name, unsigned version) {
    return std::string(name) + " " + std::to_string(AV_VERSION_MAJOR(version)) + "." +
           std::to_string(AV_VERSION_MINOR(version)) + "." +
           std::to_string(AV_VERSION_MICRO(version));
}

} // namespace

std::string libavVersions() {
    return describe("libavformat", avformat_version()) + ", " +
           describe("libavcodec", avcodec_version()) + ", " +
           describe("libavfilter", avfilter_version()) + ", " +
           describe("libavutil", avutil_version()) + ", " +
           describe("libswscale", swscale_version()) + ", " +
           describe("libswresample", swresample_version());
}

void setLibavLogging(bool quiet) {
    av_log_set_level(quiet ? AV_LOG_ERROR : AV_LOG_WARNING);
}

namespace {

std::mutex& sinkMutex() {
    static std::mutex mutex;
    return mutex;
}

std::function<void(bool, const std::string&)>& logSink() {
    static std::function<void(bool, const std::string&)> sink;
    return sink;
}

void forwardLog(void* avcl, int level, const char* format, va_list args) {
    if (level > AV_LOG_WARNING)
        return;
    char line[1024];
    int printPrefix = 1;
    av_log_format_line2(avcl, level, format, args, line, sizeof line, &printPrefix);
    std::string text(line);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
    if (text.empty())
        return;
    std::lock_guard lock(sinkMutex());
    if (logSink())
        logSink()(level <= AV_LOG_ERROR, text);
}

} // namespace

void routeLibavLog(std::function<void(bool error, const std::string& line)> sink) {
    std::lock_guard lock(sinkMutex());
    const bool route = static_cast<bool>(sink);
    logSink() = std::move(sink);
    av_log_set_callback(route ? forwardLog : av_log_default_callback);
}

} // namespace reelgate::media
