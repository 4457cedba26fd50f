#include "SegmentAssembler.h"

#include "H264Encoder.h"
#include "TsSegmentMuxer.h"
#include "reelgate/core/Crypto.h"
#include "reelgate/media/MediaError.h"

#include <algorithm>
#include <fstream>

namespace reelgate::media {

SegmentAssembler::SegmentAssembler(AssemblerConfig config)
    : config_(std::move(config)) {
    audioEnded_ = config_.audio == nullptr;
}

void SegmentAssembler::addVideo(Source source, libav::PacketPtr packet) {
    if (codecString_.empty()) {
        codecString_ = avcCodecString(packet.get());
    }
    const std::int64_t n = config_.clock.segmentOf(packet->pts);
    Pending& pending = pending_[n];
    if (source == Source::WindowA) {
        seenA_ = std::max(seenA_, n);
        pending.windowA.push_back(std::move(packet));
    } else if (source == Source::WindowB) {
        seenB_ = std::max(seenB_, n);
        pending.windowB.push_back(std::move(packet));
    } else {
        seenMain_ = std::max(seenMain_, n);
        pending.rest.push_back(std::move(packet));
    }
    writeReady(false);
}

void SegmentAssembler::addAudio(const libav::SharedPacket& packet) {
    const Rational rate = config_.clock.frameRate();
    // The frame position of the packet's start decides its segment.
    const std::int64_t frame =
        av_rescale_q_rnd(std::max<std::int64_t>(packet->pts, 0), config_.audioTimeBase,
                         AVRational{rate.den, rate.num}, AV_ROUND_DOWN);
    const std::int64_t n = config_.clock.segmentOf(frame);
    seenAudio_ = std::max(seenAudio_, n);
    pending_[n].audio.push_back(packet);
    writeReady(false);
}

void SegmentAssembler::endAudio() {
    audioEnded_ = true;
    writeReady(false);
}

void SegmentAssembler::finish() {
    audioEnded_ = true;
    writeReady(true);
}

void SegmentAssembler::writeReady(bool final) {
    for (;;) {
        auto it = pending_.find(nextToWrite_);
        if (it == pending_.end()) {
            return;
        }
        const std::int64_t n = nextToWrite_;
        const bool videoDone = seenMain_ > n && (!config_.ab || (seenA_ > n && seenB_ > n));
        const bool audioDone = audioEnded_ || seenAudio_ > n;
        if (!final && !(videoDone && audioDone)) {
            return;
        }
        // The last video segment takes any audio that runs past the end of the video.
        if (final) {
            auto nextVideo = std::find_if(std::next(it), pending_.end(), [](const auto& entry) {
                return !entry.second.rest.empty() || !entry.second.windowA.empty();
            });
            if (nextVideo == pending_.end()) {
                for (auto later = std::next(it); later != pending_.end(); ++later) {
                    for (auto& packet : later->second.audio) {
                        it->second.audio.push_back(packet);
                    }
                }
                Pending lastPending = std::move(it->second);
                pending_.clear();
                write(n, lastPending);
                return;
            }
        }
        write(n, it->second);
        pending_.erase(it);
    }
}

void SegmentAssembler::write(std::int64_t n, Pending& pending) {
    if (pending.windowA.empty() && pending.rest.empty()) {
        ++nextToWrite_;
        return; // only audio: nothing to play it with
    }
    SegmentRecord record;
    record.index = n;
    record.firstFrame = config_.clock.firstFrame(n);
    record.frames = static_cast<std::int64_t>(pending.windowA.size() + pending.rest.size());
    record.a = writeVariant(n, 'a', pending.windowA, pending.rest, pending.audio);
    if (config_.ab) {
        record.b = writeVariant(n, 'b', pending.windowB, pending.rest, pending.audio);
    }
    written_.push_back(record);
    ++nextToWrite_;
}

SegmentFileInfo SegmentAssembler::writeVariant(std::int64_t n, char variant,
                                               const std::vector<libav::PacketPtr>& window,
                                               const std::vector<libav::PacketPtr>& rest,
                                               const std::vector<libav::SharedPacket>& audio) {
    std::vector<TsPacket> packets;
    const std::int64_t frameTicks = config_.clock.frameTo90k(1) - config_.clock.frameTo90k(0);
    auto addRun = [&](const std::vector<libav::PacketPtr>& run) {
        if (run.empty()) {
            return;
        }
        std::int64_t start = run.front()->pts;
        for (const auto& p : run) {
            start = std::min(start, p->pts);
        }
        std::int64_t k = 0;
        for (const auto& p : run) {
            const std::int64_t dtsFrames = start + k - config_.reorderFrames;
            ++k;
            packets.push_back({p.get(), true, config_.clock.frameTo90k(p->pts),
                               config_.clock.frameTo90k(std::min(dtsFrames, p->pts)), frameTicks});
        }
    };
    addRun(window);
    addRun(rest);
    for (const auto& p : audio) {
        const AVRational clock{1, 90000};
        packets.push_back(
            {p.get(), false,
             av_rescale_q(p->pts, config_.audioTimeBase, clock) + SegmentClock::kTsOffset90k,
             av_rescale_q(p->dts, config_.audioTimeBase, clock) + SegmentClock::kTsOffset90k,
             av_rescale_q(p->duration, config_.audioTimeBase, clock)});
    }
    std::string bytes = TsSegmentMuxer(config_.video, config_.audio).mux(std::move(packets));
    if (!config_.aesKey.empty()) {
        bytes = encryptAes128Cbc(bytes, config_.aesKey, sequenceIv(n));
    }
    SegmentFileInfo info;
    info.path = config_.renditionName + "/" + variant + "/" + std::to_string(n) + ".ts";
    const std::filesystem::path file = config_.packageDir / info.path;
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
        throw MediaError("cannot write " + file.string());
    }
    info.bytes = static_cast<std::int64_t>(bytes.size());
    info.sha256 = core::sha256Hex(bytes);
    return info;
}

} // namespace reelgate::media
