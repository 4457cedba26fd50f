#include "H264Encoder.h"

#include "reelgate/media/MediaError.h"

extern "C" {
#include <libavutil/opt.h>
}

#include <cstdio>

namespace reelgate::media {

H264Encoder::H264Encoder(const H264Settings& settings) {
    const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
    if (codec == nullptr) {
        throw MediaError("this FFmpeg has no libx264 encoder");
    }
    ctx_.reset(avcodec_alloc_context3(codec));
    if (!ctx_) {
        throw MediaError("out of memory (x264 context)");
    }
    AVCodecContext* c = ctx_.get();
    c->width = settings.widthPx;
    c->height = settings.heightPx;
    c->pix_fmt = AV_PIX_FMT_YUV420P;
    c->time_base = {settings.frameRate.den, settings.frameRate.num};
    c->framerate = {settings.frameRate.num, settings.frameRate.den};
    c->sample_aspect_ratio = {1, 1};
    c->bit_rate = static_cast<int64_t>(settings.videoKbps) * 1000;
    c->rc_max_rate = static_cast<int64_t>(settings.maxrateKbps) * 1000;
    c->rc_buffer_size = settings.bufsizeKbps * 1000;
    c->gop_size = settings.gopFrames;
    c->thread_count = settings.threads;
    c->color_range = AVCOL_RANGE_MPEG;
    av_opt_set(c->priv_data, "preset", settings.preset.c_str(), 0);
    av_opt_set(c->priv_data, "profile", settings.profile.c_str(), 0);
    av_opt_set_int(c->priv_data, "forced-idr", 1, 0);
    const int opened = avcodec_open2(c, codec, nullptr);
    if (opened < 0) {
        throw MediaError("cannot open the x264 encoder for " + std::to_string(settings.widthPx) +
                         "x" + std::to_string(settings.heightPx) + ": " + libav::errorText(opened));
    }
}

int H264Encoder::reorderFrames() const {
    return ctx_->has_b_frames;
}

void H264Encoder::send(AVFrame* frame, bool forceIdr, const PacketSink& sink) {
    frame->pict_type = forceIdr ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
    const std::int64_t callerPts = frame->pts;
    callerPts_[sent_] = callerPts;
    frame->pts = sent_++;
    const int sent = avcodec_send_frame(ctx_.get(), frame);
    frame->pts = callerPts;
    libav::check(sent, "x264 encode");
    drain(sink);
}

void H264Encoder::flush(const PacketSink& sink) {
    libav::check(avcodec_send_frame(ctx_.get(), nullptr), "x264 flush");
    drain(sink);
}

void H264Encoder::drain(const PacketSink& sink) {
    for (;;) {
        libav::PacketPtr packet = libav::allocPacket();
        const int got = avcodec_receive_packet(ctx_.get(), packet.get());
        if (got == libav::errorAgain() || got == libav::errorEof()) {
            return;
        }
        libav::check(got, "x264 encode");
        const auto it = callerPts_.find(packet->pts);
        if (it == callerPts_.end()) {
            throw MediaError("x264 returned a packet for a frame it was not given");
        }
        packet->pts = it->second;
        packet->dts = AV_NOPTS_VALUE;
        callerPts_.erase(it);
        sink(std::move(packet));
    }
}

std::string avcCodecString(const AVPacket* packet) {
    const uint8_t* data = packet->data;
    const int size = packet->size;
    for (int i = 0; i + 6 < size; ++i) {
        if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1 && (data[i + 3] & 0x1F) == 7) {
            char text[32];
            std::snprintf(text, sizeof text, "avc1.%02x%02x%02x", data[i + 4], data[i + 5],
                          data[i + 6]);
            return text;
        }
    }
    return {};
}

} // namespace reelgate::media
