#include "PosterPicker.h"

#include "Libav.h"
#include "reelgate/media/MediaError.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>
}

#include <cstring>

namespace reelgate::media {

double PosterPicker::lumaVariance(const RgbFrame& frame) {
    const std::size_t pixels = static_cast<std::size_t>(frame.widthPx) * frame.heightPx;
    if (pixels == 0 || frame.rgb.size() < pixels * 3)
        return 0;
    double sum = 0;
    double squares = 0;
    for (std::size_t i = 0; i < pixels; ++i) {
        const double y =
            0.299 * frame.rgb[i * 3] + 0.587 * frame.rgb[i * 3 + 1] + 0.114 * frame.rgb[i * 3 + 2];
        sum += y;
        squares += y * y;
    }
    const double mean = sum / static_cast<double>(pixels);
    return squares / static_cast<double>(pixels) - mean * mean;
}

Poster PosterPicker::make(const std::filesystem::path& source, std::optional<std::int64_t> atMs,
                          int maxWidthPx, int maxHeightPx) {
    FrameGrabber grabber(source);
    const std::int64_t durationMs = grabber.info().durationMs;
    RgbFrame best;
    if (atMs) {
        best = grabber.grab(
            std::clamp<std::int64_t>(*atMs, 0, std::max<std::int64_t>(durationMs - 1, 0)),
            maxWidthPx, maxHeightPx);
    } else {
        double bestScore = -1;
        for (int k = 1; k <= kCandidates; ++k) {
            const std::int64_t t = durationMs * k / (3 * (kCandidates + 1));
            RgbFrame frame = grabber.grab(t, maxWidthPx, maxHeightPx);
            const double score = lumaVariance(frame);
            if (score > bestScore) {
                bestScore = score;
                best = std::move(frame);
            }
        }
    }
    return {best.ptsMs, best.widthPx, best.heightPx, encodeJpeg(best)};
}

std::string PosterPicker::encodeJpeg(const RgbFrame& frame) {
    // 4:2:0 wants even sides; drop the odd last column or row.
    const int width = frame.widthPx & ~1;
    const int height = frame.heightPx & ~1;
    if (width < 2 || height < 2)
        throw MediaError("the poster frame is too small");
    const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
    if (!codec)
        throw MediaError("this FFmpeg has no JPEG encoder");
    libav::CodecContextPtr encoder(avcodec_alloc_context3(codec));
    encoder->width = width;
    encoder->height = height;
    encoder->pix_fmt = AV_PIX_FMT_YUVJ420P;
    encoder->color_range = AVCOL_RANGE_JPEG;
    encoder->time_base = {1, 25};
    encoder->flags |= AV_CODEC_FLAG_QSCALE;
    encoder->global_quality = FF_QP2LAMBDA * 3; // about JPEG quality 90
    libav::check(avcodec_open2(encoder.get(), codec, nullptr), "opening the JPEG encoder");

    libav::FramePtr yuv = libav::allocFrame();
    yuv->format = AV_PIX_FMT_YUVJ420P;
    yuv->width = width;
    yuv->height = height;
    yuv->color_range = AVCOL_RANGE_JPEG;
    yuv->quality = encoder->global_quality;
    yuv->pts = 0;
    libav::check(av_frame_get_buffer(yuv.get(), 0), "allocating the poster frame");
    libav::SwsPtr sws(sws_getContext(width, height, AV_PIX_FMT_RGB24, width, height,
                                     AV_PIX_FMT_YUVJ420P, SWS_BICUBIC, nullptr, nullptr, nullptr));
    if (!sws)
        throw MediaError("cannot convert the poster frame");
    // libswscale reads whole SIMD blocks, past the end of a tight row: give it padded rows.
    libav::FramePtr rgb = libav::allocFrame();
    rgb->format = AV_PIX_FMT_RGB24;
    rgb->width = width;
    rgb->height = height;
    libav::check(av_frame_get_buffer(rgb.get(), 0), "allocating the poster frame");
    const std::size_t sourceRowBytes = static_cast<std::size_t>(frame.widthPx) * 3;
    for (int y = 0; y < height; ++y)
        std::memcpy(rgb->data[0] + static_cast<std::ptrdiff_t>(y) * rgb->linesize[0],
                    frame.rgb.data() + sourceRowBytes * static_cast<std::size_t>(y),
                    static_cast<std::size_t>(width) * 3);
    sws_scale(sws.get(), rgb->data, rgb->linesize, 0, height, yuv->data, yuv->linesize);

    libav::check(avcodec_send_frame(encoder.get(), yuv.get()), "encoding the poster");
    libav::check(avcodec_send_frame(encoder.get(), nullptr), "encoding the poster");
    libav::PacketPtr packet = libav::allocPacket();
    libav::check(avcodec_receive_packet(encoder.get(), packet.get()), "encoding the poster");
    return std::string(reinterpret_cast<const char*>(packet->data),
                       static_cast<std::size_t>(packet->size));
}

} // namespace reelgate::media
