#include "reelgate/media/MediaProbe.h"

#include "Libav.h"
#include "SourceOpen.h"
#include "reelgate/media/MediaError.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>
}

#include <algorithm>
#include <cmath>
#include <vector>

namespace reelgate::media {
namespace {

constexpr int kVfrScanPackets = 400;

int rotationOf(const AVStream* stream) {
    size_t size = 0;
    const uint8_t* data = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
    if (data == nullptr || size < 9 * sizeof(int32_t)) {
        return 0;
    }
    int32_t matrix[9];
    std::copy_n(data, sizeof matrix, reinterpret_cast<uint8_t*>(matrix));
    const double counterClockwise = av_display_rotation_get(matrix);
    if (std::isnan(counterClockwise)) {
        return 0;
    }
    int clockwise = -static_cast<int>(std::lround(counterClockwise / 90.0)) * 90;
    clockwise %= 360;
    return clockwise < 0 ? clockwise + 360 : clockwise;
}

// Reads the first video packets: whether their spacing varies (variable frame rate).
bool scanVariableFrameRate(AVFormatContext* format, int videoIndex) {
    libav::PacketPtr packet = libav::allocPacket();
    std::vector<int64_t> pts;
    while (static_cast<int>(pts.size()) < kVfrScanPackets &&
           av_read_frame(format, packet.get()) >= 0) {
        if (packet->stream_index == videoIndex && packet->pts != AV_NOPTS_VALUE) {
            pts.push_back(packet->pts);
        }
        av_packet_unref(packet.get());
    }
    std::sort(pts.begin(), pts.end());
    // Packets come in decode order: with B-frames the last few read leave holes in presentation
    // order (their B-frames were not read yet), which made a constant-rate source look variable.
    // Only the sorted times before that reorder window are complete.
    constexpr std::size_t kReorderWindow = 32;
    if (static_cast<int>(pts.size()) >= kVfrScanPackets) {
        pts.resize(pts.size() - kReorderWindow);
    }
    int64_t minDelta = 0;
    int64_t maxDelta = 0;
    for (size_t i = 1; i < pts.size(); ++i) {
        const int64_t delta = pts[i] - pts[i - 1];
        if (delta <= 0) {
            continue;
        }
        minDelta = minDelta == 0 ? delta : std::min(minDelta, delta);
        maxDelta = std::max(maxDelta, delta);
    }
    // Timestamps rounded to the container's time base jitter by one tick; a real VFR source
    // varies by far more than 10%.
    return minDelta > 0 && maxDelta > minDelta + 1 && maxDelta * 10 > minDelta * 11;
}

} // namespace

MediaInfo probeMedia(const std::filesystem::path& path) {
    libav::InputContextPtr format = openSource(path);
    const int videoIndex = findVideoStream(format.get(), path);
    const AVStream* videoStream = format->streams[videoIndex];
    const AVCodecParameters* vpar = videoStream->codecpar;

    MediaInfo info;
    info.path = path.string();
    info.container = format->iformat->name;
    info.streamCount = static_cast<int>(format->nb_streams);
    info.bitRate = format->bit_rate;
    if (format->duration != AV_NOPTS_VALUE && format->duration > 0) {
        info.durationMs = av_rescale(format->duration, 1000, AV_TIME_BASE);
    } else if (videoStream->duration != AV_NOPTS_VALUE) {
        info.durationMs = av_rescale_q(videoStream->duration, videoStream->time_base, {1, 1000});
    }

    VideoStreamInfo& video = info.video;
    video.index = videoIndex;
    video.codec = avcodec_get_name(vpar->codec_id);
    const char* pixName = av_get_pix_fmt_name(static_cast<AVPixelFormat>(vpar->format));
    video.pixelFormat = pixName != nullptr ? pixName : "unknown";
    video.widthPx = vpar->width;
    video.heightPx = vpar->height;
    const AVRational sar =
        av_guess_sample_aspect_ratio(format.get(), const_cast<AVStream*>(videoStream), nullptr);
    if (sar.num > 0 && sar.den > 0) {
        video.sampleAspect = {sar.num, sar.den};
    }
    video.rotationDeg = rotationOf(videoStream);
    const int squareWidth = static_cast<int>(std::lround(
        static_cast<double>(vpar->width) * video.sampleAspect.num / video.sampleAspect.den));
    const bool quarterTurn = video.rotationDeg == 90 || video.rotationDeg == 270;
    video.displayWidthPx = quarterTurn ? vpar->height : squareWidth;
    video.displayHeightPx = quarterTurn ? squareWidth : vpar->height;
    AVRational rate = videoStream->avg_frame_rate;
    if (rate.num <= 0 || rate.den <= 0) {
        rate = videoStream->r_frame_rate;
    }
    if (rate.num <= 0 || rate.den <= 0) {
        rate = {25, 1};
    }
    video.frameRate = {rate.num, rate.den};
    video.bitRate = vpar->bit_rate;

    const int audioIndex =
        av_find_best_stream(format.get(), AVMEDIA_TYPE_AUDIO, -1, videoIndex, nullptr, 0);
    if (audioIndex >= 0) {
        const AVCodecParameters* apar = format->streams[audioIndex]->codecpar;
        AudioStreamInfo audio;
        audio.index = audioIndex;
        audio.codec = avcodec_get_name(apar->codec_id);
        audio.sampleRate = apar->sample_rate;
        audio.channels = apar->ch_layout.nb_channels;
        char layout[128] = {};
        if (av_channel_layout_describe(&apar->ch_layout, layout, sizeof layout) > 0) {
            audio.channelLayout = layout;
        }
        info.audio = audio;
    }
    video.variableFrameRate = scanVariableFrameRate(format.get(), videoIndex);
    return info;
}

} // namespace reelgate::media
