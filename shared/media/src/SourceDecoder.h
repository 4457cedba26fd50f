#pragma once
// Internal: the ONE decode of a transcode. Demuxes the source, decodes its video and turns it
// into a constant-frame-rate sequence (frame i shows at i / frameRate seconds; a variable-rate
// source gets frames repeated or dropped, nearest in time, like FFmpeg's fps filter), and runs
// the audio through AudioTrack. Sinks are called on the calling thread, in source order.
// Thread: one owner thread.

#include "AudioTrack.h"
#include "Libav.h"
#include "reelgate/media/MediaInfo.h"

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>

namespace reelgate::media {

class SourceDecoder {
public:
    using VideoSink = std::function<void(std::int64_t frameIndex, const libav::SharedFrame&)>;

    SourceDecoder(const std::filesystem::path& path, Rational frameRate, int audioKbps,
                  int audioMaxChannels);
    // Reads to the end. Returns false when `cancel` became true first.
    bool run(const VideoSink& video, const AudioTrack::PacketSink& audio,
             const std::atomic<bool>& cancel);
    // The AAC encoder (for muxer stream parameters); null when the source has no audio.
    const AVCodecContext* audioEncoder() const { return audio_ ? audio_->encoder() : nullptr; }
    std::int64_t framesEmitted() const { return nextOut_; }

private:
    void onDecoded(AVFrame* frame, const VideoSink& video);
    void emitUntil(std::int64_t slot, const VideoSink& video);

    libav::InputContextPtr format_;
    libav::CodecContextPtr video_;
    std::unique_ptr<AudioTrack> audio_;
    int videoIndex_ = -1;
    int audioIndex_ = -1;
    AVRational videoTimeBase_{1, 1};
    AVRational outTimeBase_{1, 30};
    std::int64_t startPts_ = 0;
    libav::SharedFrame last_;
    std::int64_t lastSlot_ = -1;
    std::int64_t nextOut_ = 0;
};

} // namespace reelgate::media
