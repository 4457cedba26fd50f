#include "SourceDecoder.h"

#include "SourceOpen.h"
#include "reelgate/media/MediaError.h"

extern "C" {
#include <libavutil/mathematics.h>
}

#include <algorithm>

namespace reelgate::media {

SourceDecoder::SourceDecoder(const std::filesystem::path& path, Rational frameRate, int audioKbps,
                             int audioMaxChannels)
    : format_(openSource(path))
    , outTimeBase_{frameRate.den, frameRate.num} {
    videoIndex_ = findVideoStream(format_.get(), path);
    const AVStream* stream = format_->streams[videoIndex_];
    videoTimeBase_ = stream->time_base;
    startPts_ = stream->start_time != AV_NOPTS_VALUE ? stream->start_time : 0;
    const AVCodec* codec = avcodec_find_decoder(stream->codecpar->codec_id);
    video_.reset(avcodec_alloc_context3(codec));
    libav::check(avcodec_parameters_to_context(video_.get(), stream->codecpar), "video decoder");
    video_->pkt_timebase = stream->time_base;
    video_->thread_count = 0;
    libav::check(avcodec_open2(video_.get(), codec, nullptr), "opening the video decoder");

    audioIndex_ =
        av_find_best_stream(format_.get(), AVMEDIA_TYPE_AUDIO, -1, videoIndex_, nullptr, 0);
    if (audioIndex_ >= 0) {
        const double videoStart = static_cast<double>(startPts_) * av_q2d(videoTimeBase_);
        audio_ = std::make_unique<AudioTrack>(format_->streams[audioIndex_], videoStart, audioKbps,
                                              audioMaxChannels);
    }
    for (unsigned i = 0; i < format_->nb_streams; ++i) {
        if (static_cast<int>(i) != videoIndex_ && static_cast<int>(i) != audioIndex_) {
            format_->streams[i]->discard = AVDISCARD_ALL;
        }
    }
}

bool SourceDecoder::run(const VideoSink& video, const AudioTrack::PacketSink& audio,
                        const std::atomic<bool>& cancel) {
    libav::PacketPtr packet = libav::allocPacket();
    libav::FramePtr frame = libav::allocFrame();
    auto drainVideo = [&] {
        while (avcodec_receive_frame(video_.get(), frame.get()) >= 0) {
            onDecoded(frame.get(), video);
            av_frame_unref(frame.get());
        }
    };
    for (;;) {
        if (cancel.load()) {
            return false;
        }
        const int read = av_read_frame(format_.get(), packet.get());
        if (read == libav::errorEof()) {
            break;
        }
        if (read < 0) {
            // A truncated file ends here; what was decoded so far is kept.
            break;
        }
        if (packet->stream_index == videoIndex_) {
            const int sent = avcodec_send_packet(video_.get(), packet.get());
            if (sent < 0 && sent != libav::errorInvalid()) {
                libav::check(sent, "decoding video");
            }
            drainVideo();
        } else if (audio_ && packet->stream_index == audioIndex_) {
            audio_->decode(packet.get(), audio);
        }
        av_packet_unref(packet.get());
    }
    avcodec_send_packet(video_.get(), nullptr);
    drainVideo();
    if (cancel.load()) {
        return false;
    }
    if (!last_) {
        throw MediaError("the video stream has no decodable frames");
    }
    emitUntil(std::max(lastSlot_, nextOut_) + 1, video);
    if (audio_) {
        audio_->finish(audio);
    }
    return true;
}

void SourceDecoder::onDecoded(AVFrame* frame, const VideoSink& video) {
    int64_t pts = frame->best_effort_timestamp;
    std::int64_t slot = 0;
    if (pts == AV_NOPTS_VALUE) {
        slot = lastSlot_ + 1;
    } else {
        slot = av_rescale_q_rnd(pts - startPts_, videoTimeBase_, outTimeBase_,
                                static_cast<AVRounding>(AV_ROUND_NEAR_INF | AV_ROUND_PASS_MINMAX));
    }
    if (last_ && slot <= lastSlot_) {
        last_ = libav::shareFrame(frame); // same output slot: the newer picture wins
        return;
    }
    if (last_) {
        emitUntil(slot, video);
    }
    last_ = libav::shareFrame(frame);
    lastSlot_ = slot;
}

void SourceDecoder::emitUntil(std::int64_t slot, const VideoSink& video) {
    while (nextOut_ < slot) {
        video(nextOut_, last_);
        ++nextOut_;
    }
}

} // namespace reelgate::media
