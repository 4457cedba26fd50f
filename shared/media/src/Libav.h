#pragma once
// Internal: RAII owners for every libav handle reelgate::media touches, and the few libav macros
// wrapped as functions (they expand to C casts that -Wold-style-cast rejects).
// Thread: a handle belongs to one thread at a time.

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/frame.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <memory>
#include <string>

namespace reelgate::media::libav {

struct InputContextDeleter {
    void operator()(AVFormatContext* ctx) const { avformat_close_input(&ctx); }
};
struct OutputContextDeleter {
    void operator()(AVFormatContext* ctx) const { avformat_free_context(ctx); }
};
struct CodecContextDeleter {
    void operator()(AVCodecContext* ctx) const { avcodec_free_context(&ctx); }
};
struct FrameDeleter {
    void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};
struct PacketDeleter {
    void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
struct SwsDeleter {
    void operator()(SwsContext* ctx) const { sws_freeContext(ctx); }
};
struct SwrDeleter {
    void operator()(SwrContext* ctx) const { swr_free(&ctx); }
};
struct AudioFifoDeleter {
    void operator()(AVAudioFifo* fifo) const { av_audio_fifo_free(fifo); }
};
struct CodecParametersDeleter {
    void operator()(AVCodecParameters* par) const { avcodec_parameters_free(&par); }
};
struct AvioContextDeleter {
    void operator()(AVIOContext* ctx) const;
};

using InputContextPtr = std::unique_ptr<AVFormatContext, InputContextDeleter>;
using OutputContextPtr = std::unique_ptr<AVFormatContext, OutputContextDeleter>;
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;
using SwsPtr = std::unique_ptr<SwsContext, SwsDeleter>;
using SwrPtr = std::unique_ptr<SwrContext, SwrDeleter>;
using AudioFifoPtr = std::unique_ptr<AVAudioFifo, AudioFifoDeleter>;
using CodecParametersPtr = std::unique_ptr<AVCodecParameters, CodecParametersDeleter>;
using AvioContextPtr = std::unique_ptr<AVIOContext, AvioContextDeleter>;
// Read-only frames handed to several threads (a decoded source frame feeds every rendition).
using SharedFrame = std::shared_ptr<const AVFrame>;
using SharedPacket = std::shared_ptr<const AVPacket>;

FramePtr allocFrame();
PacketPtr allocPacket();
// A new reference to `frame` (av_frame_ref) / `packet` (av_packet_ref), shared read-only.
SharedFrame shareFrame(const AVFrame* frame);
SharedPacket sharePacket(const AVPacket* packet);
// A copy of the encoder's stream parameters (for muxers).
CodecParametersPtr parametersOf(const AVCodecContext* encoder);

int errorEof();     // AVERROR_EOF
int errorAgain();   // AVERROR(EAGAIN)
int errorInvalid(); // AVERROR_INVALIDDATA
std::string errorText(int code);
// Throws MediaError("<what>: <libav message>") when code < 0; returns code otherwise.
int check(int code, const std::string& what);

} // namespace reelgate::media::libav
