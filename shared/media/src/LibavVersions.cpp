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

} // namespace reelgate::media
