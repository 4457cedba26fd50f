#include "TsSegmentMuxer.h"

#include "reelgate/media/MediaError.h"

extern "C" {
#include <libavutil/aes.h>
#include <libavutil/opt.h>
}

#include <algorithm>

namespace reelgate::media {
namespace {

struct AesDeleter {
    void operator()(AVAES* aes) const { av_free(aes); }
};

std::string aesCbc(const std::string& input, const std::string& key, const std::string& iv,
                   bool decrypt) {
    if (key.size() != 16 || iv.size() != 16 || (decrypt && input.size() % 16 != 0)) {
        throw MediaError("AES-128: bad key, IV or ciphertext length");
    }
    std::unique_ptr<AVAES, AesDeleter> aes(av_aes_alloc());
    if (!aes) {
        throw MediaError("out of memory (AES)");
    }
    av_aes_init(aes.get(), reinterpret_cast<const uint8_t*>(key.data()), 128, decrypt ? 1 : 0);
    std::string data = input;
    if (!decrypt) {
        const std::size_t pad = 16 - data.size() % 16;
        data.append(pad, static_cast<char>(pad));
    }
    std::string out(data.size(), '\0');
    uint8_t ivBytes[16];
    std::copy(iv.begin(), iv.end(), ivBytes);
    av_aes_crypt(aes.get(), reinterpret_cast<uint8_t*>(out.data()),
                 reinterpret_cast<const uint8_t*>(data.data()), static_cast<int>(data.size() / 16),
                 ivBytes, decrypt ? 1 : 0);
    if (decrypt) {
        const auto pad = static_cast<unsigned char>(out.empty() ? 0 : out.back());
        if (pad < 1 || pad > 16 || pad > out.size()) {
            throw MediaError("AES-128: bad padding (wrong key?)");
        }
        return std::string(out.data(), out.size() - pad);
    }
    return out;
}

struct DynBufGuard {
    AVIOContext* pb = nullptr;
    ~DynBufGuard() {
        if (pb != nullptr) {
            uint8_t* buffer = nullptr;
            avio_close_dyn_buf(pb, &buffer);
            av_free(buffer);
        }
    }
};

} // namespace

TsSegmentMuxer::TsSegmentMuxer(const AVCodecParameters* video, const AVCodecParameters* audio)
    : video_(video)
    , audio_(audio) {}

std::string TsSegmentMuxer::mux(std::vector<TsPacket> packets) const {
    std::stable_sort(packets.begin(), packets.end(),
                     [](const TsPacket& a, const TsPacket& b) { return a.dts90k < b.dts90k; });
    AVFormatContext* raw = nullptr;
    libav::check(avformat_alloc_output_context2(&raw, nullptr, "mpegts", nullptr), "MPEG-TS mux");
    libav::OutputContextPtr ctx(raw);
    AVStream* videoStream = avformat_new_stream(ctx.get(), nullptr);
    libav::check(avcodec_parameters_copy(videoStream->codecpar, video_), "MPEG-TS mux");
    videoStream->time_base = {1, 90000};
    AVStream* audioStream = nullptr;
    if (audio_ != nullptr) {
        audioStream = avformat_new_stream(ctx.get(), nullptr);
        libav::check(avcodec_parameters_copy(audioStream->codecpar, audio_), "MPEG-TS mux");
        audioStream->time_base = {1, 90000};
    }
    DynBufGuard guard;
    libav::check(avio_open_dyn_buf(&guard.pb), "MPEG-TS mux");
    ctx->pb = guard.pb;
    AVDictionary* options = nullptr;
    av_dict_set(&options, "mpegts_copyts", "1", 0);
    const int header = avformat_write_header(ctx.get(), &options);
    av_dict_free(&options);
    libav::check(header, "MPEG-TS header");
    libav::PacketPtr copy = libav::allocPacket();
    for (const TsPacket& item : packets) {
        if (!item.video && audioStream == nullptr) {
            continue;
        }
        AVStream* stream = item.video ? videoStream : audioStream;
        libav::check(av_packet_ref(copy.get(), item.packet), "MPEG-TS mux");
        copy->stream_index = stream->index;
        const AVRational clock{1, 90000};
        copy->pts = av_rescale_q(item.pts90k, clock, stream->time_base);
        copy->dts = av_rescale_q(item.dts90k, clock, stream->time_base);
        copy->duration = av_rescale_q(item.duration90k, clock, stream->time_base);
        copy->pos = -1;
        const int written = av_write_frame(ctx.get(), copy.get());
        av_packet_unref(copy.get());
        libav::check(written, "MPEG-TS mux");
    }
    libav::check(av_write_trailer(ctx.get()), "MPEG-TS trailer");
    uint8_t* buffer = nullptr;
    const int size = avio_close_dyn_buf(guard.pb, &buffer);
    guard.pb = nullptr;
    ctx->pb = nullptr;
    std::string bytes(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(size));
    av_free(buffer);
    return bytes;
}

std::string encryptAes128Cbc(const std::string& plain, const std::string& key,
                             const std::string& iv) {
    return aesCbc(plain, key, iv, false);
}

std::string decryptAes128Cbc(const std::string& cipher, const std::string& key,
                             const std::string& iv) {
    return aesCbc(cipher, key, iv, true);
}

std::string sequenceIv(std::int64_t sequence) {
    std::string iv(16, '\0');
    for (int i = 0; i < 8; ++i) {
        iv[static_cast<std::size_t>(15 - i)] =
            static_cast<char>((static_cast<std::uint64_t>(sequence) >> (8 * i)) & 0xFFu);
    }
    return iv;
}

} // namespace reelgate::media
