#include "LumaSequence.h"

#include "Libav.h"
#include "SourceOpen.h"
#include "reelgate/media/MediaError.h"

#include <algorithm>
#include <cstring>

namespace reelgate::media {
namespace {

constexpr int kOversample =
    4; // scale to 4x the grid, then average 4x4 blocks (sub-level precision)

struct MemoryReader {
    const std::string* bytes = nullptr;
    std::int64_t position = 0;
};

int readMemory(void* opaque, uint8_t* buffer, int size) {
    auto* reader = static_cast<MemoryReader*>(opaque);
    const auto remaining = static_cast<std::int64_t>(reader->bytes->size()) - reader->position;
    if (remaining <= 0) {
        return libav::errorEof();
    }
    const int count = static_cast<int>(std::min<std::int64_t>(remaining, size));
    std::memcpy(buffer, reader->bytes->data() + reader->position, static_cast<std::size_t>(count));
    reader->position += count;
    return count;
}

int64_t seekMemory(void* opaque, int64_t offset, int whence) {
    auto* reader = static_cast<MemoryReader*>(opaque);
    const auto size = static_cast<std::int64_t>(reader->bytes->size());
    if ((whence & AVSEEK_SIZE) != 0) {
        return size;
    }
    std::int64_t target = offset;
    if ((whence & 3) == SEEK_CUR) {
        target = reader->position + offset;
    } else if ((whence & 3) == SEEK_END) {
        target = size + offset;
    }
    if (target < 0 || target > size) {
        return -1;
    }
    reader->position = target;
    return target;
}

LumaSequence decodeAll(AVFormatContext* format, const std::string& name, LumaGrid grid,
                       int longSideCells, int maxFrames, const LumaVisitor* visit = nullptr) {
    int videoIndex = -1;
    for (unsigned i = 0; i < format->nb_streams; ++i) {
        if (format->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
            (format->streams[i]->disposition & AV_DISPOSITION_ATTACHED_PIC) == 0) {
            videoIndex = static_cast<int>(i);
            break;
        }
    }
    if (videoIndex < 0) {
        throw MediaError(name + " has no video stream");
    }
    const AVStream* stream = format->streams[videoIndex];
    const AVCodec* codec = avcodec_find_decoder(stream->codecpar->codec_id);
    if (codec == nullptr) {
        throw MediaError(name + ": no decoder for its video codec");
    }
    libav::CodecContextPtr decoder(avcodec_alloc_context3(codec));
    libav::check(avcodec_parameters_to_context(decoder.get(), stream->codecpar), "decoder");
    decoder->pkt_timebase = stream->time_base;
    decoder->thread_count = 0;
    libav::check(avcodec_open2(decoder.get(), codec, nullptr), "opening the decoder");
    for (unsigned i = 0; i < format->nb_streams; ++i) {
        if (static_cast<int>(i) != videoIndex) {
            format->streams[i]->discard = AVDISCARD_ALL;
        }
    }

    LumaSequence out;
    libav::SwsPtr sws;
    std::vector<uint8_t> big;
    int bigStride = 0;
    const double timeBase = av_q2d(stream->time_base);
    libav::PacketPtr packet = libav::allocPacket();
    libav::FramePtr frame = libav::allocFrame();
    bool full = false;
    int count = 0;
    double lastSeconds = 0;
    auto take = [&](AVFrame* f) {
        if (out.grid.widthCells == 0) {
            out.sourceWidthPx = f->width;
            out.sourceHeightPx = f->height;
            out.grid =
                grid.widthCells > 0 ? grid : gridForAspect(f->width, f->height, longSideCells);
        }
        const int bigW = out.grid.widthCells * kOversample;
        const int bigH = out.grid.heightCells * kOversample;
        if (!sws) {
            sws.reset(sws_getContext(f->width, f->height, static_cast<AVPixelFormat>(f->format),
                                     bigW, bigH, AV_PIX_FMT_GRAY8, SWS_AREA, nullptr, nullptr,
                                     nullptr));
            if (!sws) {
                throw MediaError(name + ": cannot convert its pixel format");
            }
            // libswscale writes whole SIMD blocks past a row's end: padded rows, and room
            // after the last one (as FrameGrabber learned from a heap overrun).
            bigStride = (bigW + 63) / 64 * 64;
            big.resize(static_cast<std::size_t>(bigStride) * static_cast<std::size_t>(bigH) + 64);
        }
        uint8_t* dst[4] = {big.data(), nullptr, nullptr, nullptr};
        int dstStride[4] = {bigStride, 0, 0, 0};
        sws_scale(sws.get(), f->data, f->linesize, 0, f->height, dst, dstStride);
        LumaFrame luma;
        const int64_t pts = f->best_effort_timestamp;
        luma.seconds = pts == AV_NOPTS_VALUE ? (count == 0 ? 0.0 : lastSeconds + 1.0 / 30)
                                             : static_cast<double>(pts) * timeBase;
        lastSeconds = luma.seconds;
        ++count;
        luma.cells.assign(out.grid.size(), 0.0f);
        for (int y = 0; y < bigH; ++y) {
            const uint8_t* row =
                big.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(bigStride);
            float* cellRow = luma.cells.data() + static_cast<std::size_t>(y / kOversample) *
                                                     static_cast<std::size_t>(out.grid.widthCells);
            for (int x = 0; x < bigW; ++x) {
                cellRow[x / kOversample] += row[x];
            }
        }
        for (float& v : luma.cells) {
            v /= kOversample * kOversample;
        }
        if (visit != nullptr) {
            (*visit)(luma, out.grid);
        } else {
            out.frames.push_back(std::move(luma));
        }
        full = maxFrames >= 0 && count >= maxFrames;
    };
    auto drain = [&] {
        while (!full && avcodec_receive_frame(decoder.get(), frame.get()) >= 0) {
            take(frame.get());
            av_frame_unref(frame.get());
        }
    };
    while (!full && av_read_frame(format, packet.get()) >= 0) {
        if (packet->stream_index == videoIndex) {
            avcodec_send_packet(decoder.get(), packet.get());
            drain();
        }
        av_packet_unref(packet.get());
    }
    if (!full) {
        avcodec_send_packet(decoder.get(), nullptr);
        drain();
    }
    return out;
}

} // namespace

LumaGrid gridForAspect(int widthPx, int heightPx, int longSideCells) {
    if (widthPx <= 0 || heightPx <= 0) {
        return {longSideCells, longSideCells};
    }
    if (widthPx >= heightPx) {
        return {longSideCells,
                std::max(8, static_cast<int>(
                                static_cast<double>(longSideCells) * heightPx / widthPx + 0.5))};
    }
    return {std::max(
                8, static_cast<int>(static_cast<double>(longSideCells) * widthPx / heightPx + 0.5)),
            longSideCells};
}

LumaSequence readLumaFile(const std::filesystem::path& path, LumaGrid grid, int longSideCells,
                          int maxFrames) {
    libav::InputContextPtr format = openSource(path);
    return decodeAll(format.get(), path.filename().string(), grid, longSideCells, maxFrames);
}

LumaSequence scanLumaFile(const std::filesystem::path& path, LumaGrid grid, int longSideCells,
                          const LumaVisitor& visit) {
    libav::InputContextPtr format = openSource(path);
    return decodeAll(format.get(), path.filename().string(), grid, longSideCells, -1, &visit);
}

LumaSequence readLumaBuffer(const std::string& bytes, LumaGrid grid, int longSideCells,
                            int maxFrames) {
    MemoryReader reader{&bytes, 0};
    constexpr int kBufferBytes = 1 << 16;
    auto* buffer = static_cast<uint8_t*>(av_malloc(kBufferBytes));
    if (buffer == nullptr) {
        throw MediaError("out of memory (reader buffer)");
    }
    libav::AvioContextPtr io(
        avio_alloc_context(buffer, kBufferBytes, 0, &reader, readMemory, nullptr, seekMemory));
    if (!io) {
        av_free(buffer);
        throw MediaError("out of memory (reader)");
    }
    AVFormatContext* raw = avformat_alloc_context();
    raw->pb = io.get();
    raw->flags |= AVFMT_FLAG_CUSTOM_IO;
    if (avformat_open_input(&raw, nullptr, nullptr, nullptr) < 0) {
        throw MediaError("a package segment is not readable MPEG-TS");
    }
    libav::InputContextPtr format(raw);
    libav::check(avformat_find_stream_info(format.get(), nullptr), "reading a segment");
    return decodeAll(format.get(), "segment", grid, longSideCells, maxFrames);
}

} // namespace reelgate::media
