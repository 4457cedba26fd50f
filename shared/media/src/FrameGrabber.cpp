#include "reelgate/media/FrameGrabber.h"

#include "Libav.h"
#include "SourceOpen.h"
#include "reelgate/media/MediaError.h"
#include "reelgate/media/MediaProbe.h"

extern "C" {
#include <libavutil/mathematics.h>
}

#include <algorithm>
#include <cmath>
#include <cstring>

namespace reelgate::media {
namespace {

// Copies a packed RGB24 picture turned clockwise by rotationDeg (0, 90, 180, 270).
std::vector<std::uint8_t> rotateRgb(const std::vector<std::uint8_t>& src, int w, int h,
                                    int rotationDeg) {
    std::vector<std::uint8_t> dst(src.size());
    const int outW = (rotationDeg == 90 || rotationDeg == 270) ? h : w;
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            int ox = x;
            int oy = y;
            if (rotationDeg == 90) {
                ox = h - 1 - y;
                oy = x;
            } else if (rotationDeg == 180) {
                ox = w - 1 - x;
                oy = h - 1 - y;
            } else if (rotationDeg == 270) {
                ox = y;
                oy = w - 1 - x;
            }
            const auto from = static_cast<std::size_t>(y * w + x) * 3;
            const auto to = static_cast<std::size_t>(oy * outW + ox) * 3;
            std::copy_n(src.begin() + static_cast<std::ptrdiff_t>(from), 3,
                        dst.begin() + static_cast<std::ptrdiff_t>(to));
        }
    }
    return dst;
}

// Fits (w, h) into (maxW, maxH) keeping the aspect, never upscaling; at least 1x1.
void fitInto(int& w, int& h, int maxW, int maxH) {
    double scale = 1.0;
    if (maxW > 0 && w > maxW)
        scale = std::min(scale, static_cast<double>(maxW) / w);
    if (maxH > 0 && h > maxH)
        scale = std::min(scale, static_cast<double>(maxH) / h);
    w = std::max(1, static_cast<int>(std::lround(w * scale)));
    h = std::max(1, static_cast<int>(std::lround(h * scale)));
}

} // namespace

struct FrameGrabber::Impl {
    std::filesystem::path path;
    MediaInfo info;
    libav::InputContextPtr format;
    libav::CodecContextPtr decoder;
    int videoIndex = -1;
};

FrameGrabber::FrameGrabber(const std::filesystem::path& path)
    : impl_(std::make_unique<Impl>()) {
    impl_->path = path;
    impl_->info = probeMedia(path);
    impl_->format = openSource(path);
    impl_->videoIndex = findVideoStream(impl_->format.get(), path);
    const AVStream* stream = impl_->format->streams[impl_->videoIndex];
    const AVCodec* codec = avcodec_find_decoder(stream->codecpar->codec_id);
    impl_->decoder.reset(avcodec_alloc_context3(codec));
    libav::check(avcodec_parameters_to_context(impl_->decoder.get(), stream->codecpar),
                 "video decoder");
    impl_->decoder->pkt_timebase = stream->time_base;
    impl_->decoder->thread_count = 1;
    libav::check(avcodec_open2(impl_->decoder.get(), codec, nullptr), "opening the video decoder");
    for (unsigned i = 0; i < impl_->format->nb_streams; ++i) {
        if (static_cast<int>(i) != impl_->videoIndex) {
            impl_->format->streams[i]->discard = AVDISCARD_ALL;
        }
    }
}

FrameGrabber::~FrameGrabber() = default;

const MediaInfo& FrameGrabber::info() const {
    return impl_->info;
}

RgbFrame FrameGrabber::grab(std::int64_t atMs, int maxWidthPx, int maxHeightPx) {
    AVFormatContext* format = impl_->format.get();
    AVCodecContext* decoder = impl_->decoder.get();
    const AVStream* stream = format->streams[impl_->videoIndex];
    const std::int64_t startPts = stream->start_time != AV_NOPTS_VALUE ? stream->start_time : 0;
    atMs = std::clamp<std::int64_t>(atMs, 0, std::max<std::int64_t>(0, impl_->info.durationMs));
    const std::int64_t target = startPts + av_rescale_q(atMs, {1, 1000}, stream->time_base);
    // Seek to the keyframe before the target, then decode forward to it.
    if (av_seek_frame(format, impl_->videoIndex, target, AVSEEK_FLAG_BACKWARD) < 0) {
        av_seek_frame(format, impl_->videoIndex, startPts, AVSEEK_FLAG_BACKWARD);
    }
    avcodec_flush_buffers(decoder);

    libav::PacketPtr packet = libav::allocPacket();
    libav::FramePtr frame = libav::allocFrame();
    libav::FramePtr best;
    auto receive = [&]() -> bool { // true once a frame at or after the target is held
        while (avcodec_receive_frame(decoder, frame.get()) >= 0) {
            best = libav::allocFrame();
            av_frame_move_ref(best.get(), frame.get());
            const std::int64_t pts = best->best_effort_timestamp;
            if (pts == AV_NOPTS_VALUE || pts >= target) {
                return true;
            }
        }
        return false;
    };
    bool done = false;
    while (!done && av_read_frame(format, packet.get()) >= 0) {
        if (packet->stream_index == impl_->videoIndex) {
            avcodec_send_packet(decoder, packet.get());
            done = receive();
        }
        av_packet_unref(packet.get());
    }
    if (!done) {
        avcodec_send_packet(decoder, nullptr);
        receive();
    }
    if (!best) {
        throw MediaError("cannot decode a picture from " + impl_->path.filename().string());
    }

    const VideoStreamInfo& video = impl_->info.video;
    const bool quarter = video.rotationDeg == 90 || video.rotationDeg == 270;
    // Upright display size fitted into the box, then the unrotated size to scale to.
    int outW = video.displayWidthPx > 0 ? video.displayWidthPx : best->width;
    int outH = video.displayHeightPx > 0 ? video.displayHeightPx : best->height;
    fitInto(outW, outH, maxWidthPx, maxHeightPx);
    const int scaleW = quarter ? outH : outW;
    const int scaleH = quarter ? outW : outH;
    libav::SwsPtr sws(sws_getContext(best->width, best->height,
                                     static_cast<AVPixelFormat>(best->format), scaleW, scaleH,
                                     AV_PIX_FMT_RGB24, SWS_BICUBIC, nullptr, nullptr, nullptr));
    if (!sws) {
        throw MediaError("cannot convert the picture of " + impl_->path.filename().string());
    }
    // libswscale writes whole SIMD blocks, past the end of a tight row (width * 3 bytes): into
    // a tight buffer a 426-pixel-wide picture overran the heap. Scale into a picture libav
    // allocated (aligned, padded rows), then pack its rows.
    libav::FramePtr scaled = libav::allocFrame();
    scaled->format = AV_PIX_FMT_RGB24;
    scaled->width = scaleW;
    scaled->height = scaleH;
    libav::check(av_frame_get_buffer(scaled.get(), 0), "allocating a picture");
    sws_scale(sws.get(), best->data, best->linesize, 0, best->height, scaled->data,
              scaled->linesize);
    const std::size_t rowBytes = static_cast<std::size_t>(scaleW) * 3;
    std::vector<std::uint8_t> rgb(rowBytes * static_cast<std::size_t>(scaleH));
    for (int y = 0; y < scaleH; ++y)
        std::memcpy(rgb.data() + rowBytes * static_cast<std::size_t>(y),
                    scaled->data[0] + static_cast<std::ptrdiff_t>(y) * scaled->linesize[0],
                    rowBytes);

    RgbFrame out;
    out.widthPx = outW;
    out.heightPx = outH;
    const std::int64_t pts = best->best_effort_timestamp;
    out.ptsMs =
        pts == AV_NOPTS_VALUE ? atMs : av_rescale_q(pts - startPts, stream->time_base, {1, 1000});
    out.rgb =
        video.rotationDeg == 0 ? std::move(rgb) : rotateRgb(rgb, scaleW, scaleH, video.rotationDeg);
    return out;
}

} // namespace reelgate::media
