#pragma once
// Internal: the source's audio, decoded, resampled and encoded ONCE to AAC-LC; every rendition
// muxes the same packets. Packet timestamps are in samples (time base 1/sampleRate) with 0 at the
// first video frame: audio before it is dropped, a late start is padded with silence.
// Thread: one owner thread (the job's decode thread).

#include "Libav.h"

#include <functional>

namespace reelgate::media {

class AudioTrack {
public:
    using PacketSink = std::function<void(const libav::SharedPacket&)>;

    // `stream` is the source audio stream; videoStartSeconds is the time of video frame 0.
    AudioTrack(const AVStream* stream, double videoStartSeconds, int bitrateKbps, int maxChannels);
    void decode(const AVPacket* packet, const PacketSink& sink);
    void finish(const PacketSink& sink);
    const AVCodecContext* encoder() const { return encoder_.get(); }

private:
    void consume(AVFrame* frame, const PacketSink& sink);
    void encodeFifo(bool final, const PacketSink& sink);
    void drainEncoder(const PacketSink& sink);

    libav::CodecContextPtr decoder_;
    libav::CodecContextPtr encoder_;
    libav::SwrPtr swr_;
    libav::AudioFifoPtr fifo_;
    AVRational streamTimeBase_;
    double videoStartSeconds_;
    bool started_ = false;
    int64_t samplesToDrop_ = 0;
    int64_t samplesSent_ = 0;
};

} // namespace reelgate::media
