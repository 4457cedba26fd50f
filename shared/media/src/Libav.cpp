#include "Libav.h"

#include "reelgate/media/MediaError.h"

#include <cerrno>

namespace reelgate::media::libav {

void AvioContextDeleter::operator()(AVIOContext* ctx) const {
    if (ctx != nullptr) {
        av_freep(&ctx->buffer);
    }
    avio_context_free(&ctx);
}

FramePtr allocFrame() {
    FramePtr frame(av_frame_alloc());
    if (!frame) {
        throw MediaError("out of memory (av_frame_alloc)");
    }
    return frame;
}

PacketPtr allocPacket() {
    PacketPtr packet(av_packet_alloc());
    if (!packet) {
        throw MediaError("out of memory (av_packet_alloc)");
    }
    return packet;
}

SharedFrame shareFrame(const AVFrame* frame) {
    FramePtr copy = allocFrame();
    check(av_frame_ref(copy.get(), frame), "av_frame_ref");
    return SharedFrame(copy.release(), FrameDeleter{});
}

SharedPacket sharePacket(const AVPacket* packet) {
    PacketPtr copy = allocPacket();
    check(av_packet_ref(copy.get(), packet), "av_packet_ref");
    return SharedPacket(copy.release(), PacketDeleter{});
}

CodecParametersPtr parametersOf(const AVCodecContext* encoder) {
    CodecParametersPtr par(avcodec_parameters_alloc());
    if (!par) {
        throw MediaError("out of memory (codec parameters)");
    }
    check(avcodec_parameters_from_context(par.get(), encoder), "codec parameters");
    return par;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
int errorEof() {
    return AVERROR_EOF;
}
int errorAgain() {
    return AVERROR(EAGAIN);
}
int errorInvalid() {
    return AVERROR_INVALIDDATA;
}
#pragma GCC diagnostic pop

std::string errorText(int code) {
    char buffer[AV_ERROR_MAX_STRING_SIZE] = {};
    if (av_strerror(code, buffer, sizeof buffer) < 0) {
        return "libav error " + std::to_string(code);
    }
    return buffer;
}

int check(int code, const std::string& what) {
    if (code < 0) {
        throw MediaError(what + ": " + errorText(code));
    }
    return code;
}

} // namespace reelgate::media::libav
