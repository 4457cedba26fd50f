#include "AudioTrack.h"

#include "reelgate/media/MediaError.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/samplefmt.h>
}

#include <algorithm>
#include <cmath>

namespace reelgate::media {

AudioTrack::AudioTrack(const AVStream* stream, double videoStartSeconds, int bitrateKbps,
                       int maxChannels)
    : streamTimeBase_(stream->time_base)
    , videoStartSeconds_(videoStartSeconds) {
    const AVCodec* decoder = avcodec_find_decoder(stream->codecpar->codec_id);
    if (decoder == nullptr) {
        throw MediaError(std::string("no decoder for the audio codec ") +
                         avcodec_get_name(stream->codecpar->codec_id));
    }
    decoder_.reset(avcodec_alloc_context3(decoder));
    libav::check(avcodec_parameters_to_context(decoder_.get(), stream->codecpar), "audio decoder");
    decoder_->pkt_timebase = stream->time_base;
    libav::check(avcodec_open2(decoder_.get(), decoder, nullptr), "opening the audio decoder");

    const AVCodec* aac = avcodec_find_encoder(AV_CODEC_ID_AAC);
    if (aac == nullptr) {
        throw MediaError("this FFmpeg has no AAC encoder");
    }
    encoder_.reset(avcodec_alloc_context3(aac));
    AVCodecContext* enc = encoder_.get();
    const int sourceRate = decoder_->sample_rate;
    enc->sample_rate = (sourceRate == 44100 || sourceRate == 48000) ? sourceRate : 48000;
    const int channels = std::clamp(decoder_->ch_layout.nb_channels, 1, std::max(1, maxChannels));
    av_channel_layout_default(&enc->ch_layout, channels);
    enc->sample_fmt = AV_SAMPLE_FMT_FLTP;
    enc->bit_rate = static_cast<int64_t>(bitrateKbps) * 1000;
    enc->time_base = {1, enc->sample_rate};
    libav::check(avcodec_open2(enc, aac, nullptr), "opening the AAC encoder");

    SwrContext* swr = nullptr;
    AVChannelLayout inLayout{};
    if (decoder_->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
        av_channel_layout_default(&inLayout, decoder_->ch_layout.nb_channels);
    } else {
        libav::check(av_channel_layout_copy(&inLayout, &decoder_->ch_layout), "channel layout");
    }
    const int made =
        swr_alloc_set_opts2(&swr, &enc->ch_layout, enc->sample_fmt, enc->sample_rate, &inLayout,
                            decoder_->sample_fmt, decoder_->sample_rate, 0, nullptr);
    av_channel_layout_uninit(&inLayout);
    libav::check(made, "audio resampler");
    swr_.reset(swr);
    libav::check(swr_init(swr_.get()), "audio resampler");
    fifo_.reset(av_audio_fifo_alloc(enc->sample_fmt, channels, 4096));
    if (!fifo_) {
        throw MediaError("out of memory (audio fifo)");
    }
}

void AudioTrack::decode(const AVPacket* packet, const PacketSink& sink) {
    const int sent = avcodec_send_packet(decoder_.get(), packet);
    if (sent < 0 && sent != libav::errorEof()) {
        return; // a damaged audio packet is skipped, as players do
    }
    libav::FramePtr frame = libav::allocFrame();
    while (avcodec_receive_frame(decoder_.get(), frame.get()) >= 0) {
        consume(frame.get(), sink);
        av_frame_unref(frame.get());
    }
}

void AudioTrack::consume(AVFrame* frame, const PacketSink& sink) {
    const int rate = encoder_->sample_rate;
    if (!started_) {
        started_ = true;
        double start = videoStartSeconds_;
        if (frame->best_effort_timestamp != AV_NOPTS_VALUE) {
            start = static_cast<double>(frame->best_effort_timestamp) * av_q2d(streamTimeBase_);
        }
        const auto offset = static_cast<int64_t>(std::llround((start - videoStartSeconds_) * rate));
        if (offset > 0) {
            const int pad = static_cast<int>(std::min<int64_t>(offset, int64_t{rate} * 3600));
            libav::FramePtr silence = libav::allocFrame();
            silence->nb_samples = pad;
            silence->format = encoder_->sample_fmt;
            libav::check(av_channel_layout_copy(&silence->ch_layout, &encoder_->ch_layout),
                         "channel layout");
            libav::check(av_frame_get_buffer(silence.get(), 0), "audio buffer");
            av_samples_set_silence(silence->data, 0, pad, encoder_->ch_layout.nb_channels,
                                   encoder_->sample_fmt);
            av_audio_fifo_write(fifo_.get(), reinterpret_cast<void**>(silence->data), pad);
        } else {
            samplesToDrop_ = -offset;
        }
    }
    const int maxOut = swr_get_out_samples(swr_.get(), frame->nb_samples);
    libav::FramePtr out = libav::allocFrame();
    out->nb_samples = std::max(maxOut, 1);
    out->format = encoder_->sample_fmt;
    libav::check(av_channel_layout_copy(&out->ch_layout, &encoder_->ch_layout), "channel layout");
    libav::check(av_frame_get_buffer(out.get(), 0), "audio buffer");
    const int converted =
        swr_convert(swr_.get(), out->data, out->nb_samples,
                    const_cast<const uint8_t**>(frame->extended_data), frame->nb_samples);
    libav::check(converted, "resampling audio");
    int skip = static_cast<int>(std::min<int64_t>(samplesToDrop_, converted));
    samplesToDrop_ -= skip;
    if (converted > skip) {
        const auto bytes = av_get_bytes_per_sample(encoder_->sample_fmt);
        void* planes[AV_NUM_DATA_POINTERS] = {};
        for (int ch = 0; ch < encoder_->ch_layout.nb_channels; ++ch) {
            planes[ch] = out->data[ch] + static_cast<ptrdiff_t>(skip) * bytes;
        }
        av_audio_fifo_write(fifo_.get(), planes, converted - skip);
    }
    encodeFifo(false, sink);
}

void AudioTrack::encodeFifo(bool final, const PacketSink& sink) {
    const int frameSize = encoder_->frame_size > 0 ? encoder_->frame_size : 1024;
    while (av_audio_fifo_size(fifo_.get()) >= frameSize ||
           (final && av_audio_fifo_size(fifo_.get()) > 0)) {
        const int count = std::min(frameSize, av_audio_fifo_size(fifo_.get()));
        libav::FramePtr frame = libav::allocFrame();
        frame->nb_samples = count;
        frame->format = encoder_->sample_fmt;
        frame->sample_rate = encoder_->sample_rate;
        libav::check(av_channel_layout_copy(&frame->ch_layout, &encoder_->ch_layout),
                     "channel layout");
        libav::check(av_frame_get_buffer(frame.get(), 0), "audio buffer");
        av_audio_fifo_read(fifo_.get(), reinterpret_cast<void**>(frame->data), count);
        frame->pts = samplesSent_;
        samplesSent_ += count;
        libav::check(avcodec_send_frame(encoder_.get(), frame.get()), "AAC encode");
        drainEncoder(sink);
    }
}

void AudioTrack::drainEncoder(const PacketSink& sink) {
    libav::PacketPtr packet = libav::allocPacket();
    for (;;) {
        const int got = avcodec_receive_packet(encoder_.get(), packet.get());
        if (got == libav::errorAgain() || got == libav::errorEof()) {
            return;
        }
        libav::check(got, "AAC encode");
        sink(libav::sharePacket(packet.get()));
        av_packet_unref(packet.get());
    }
}

void AudioTrack::finish(const PacketSink& sink) {
    decode(nullptr, sink);
    if (started_) {
        // Drain the resampler's delay.
        libav::FramePtr out = libav::allocFrame();
        out->nb_samples = 4096;
        out->format = encoder_->sample_fmt;
        libav::check(av_channel_layout_copy(&out->ch_layout, &encoder_->ch_layout),
                     "channel layout");
        libav::check(av_frame_get_buffer(out.get(), 0), "audio buffer");
        const int converted = swr_convert(swr_.get(), out->data, out->nb_samples, nullptr, 0);
        if (converted > 0) {
            av_audio_fifo_write(fifo_.get(), reinterpret_cast<void**>(out->data), converted);
        }
    }
    encodeFifo(true, sink);
    libav::check(avcodec_send_frame(encoder_.get(), nullptr), "AAC flush");
    drainEncoder(sink);
}

} // namespace reelgate::media
