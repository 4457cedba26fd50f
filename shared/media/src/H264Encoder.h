#pragma once
// Internal: a libx264 encoder with the ladder's settings. Frames carry pts in frame units
// (time base 1/frameRate). A forced keyframe is an IDR (closed GOP), so a segment or a mark
// window can start there and be decoded on its own. In-band SPS/PPS (no global header), as
// MPEG-TS needs. An encoder may get only some frames (the mark windows, or everything else):
// x264 sees them numbered 0, 1, 2 ... so its rate control does not read the gaps as long
// frames, and packets come back with the caller's pts (dts is left unset: the segment
// assembler computes it). Thread: one owner thread.

#include "Libav.h"
#include "reelgate/media/MediaInfo.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace reelgate::media {

struct H264Settings {
    int widthPx = 0;
    int heightPx = 0;
    Rational frameRate{30, 1};
    int videoKbps = 0;
    int maxrateKbps = 0;
    int bufsizeKbps = 0;
    std::string preset = "veryfast";
    std::string profile = "high";
    int gopFrames = 240; // the longest keyframe distance; segments and mark windows force IDRs
    int threads = 0;     // 0 = x264's choice
};

class H264Encoder {
public:
    using PacketSink = std::function<void(libav::PacketPtr)>;

    explicit H264Encoder(const H264Settings& settings);
    // Encodes `frame` (pts in frame units); forceIdr makes it an IDR frame.
    void send(AVFrame* frame, bool forceIdr, const PacketSink& sink);
    void flush(const PacketSink& sink);
    const AVCodecContext* context() const { return ctx_.get(); }
    // Frames by which decode order may run ahead of display order (0 without B-frames).
    int reorderFrames() const;

private:
    void drain(const PacketSink& sink);
    libav::CodecContextPtr ctx_;
    std::int64_t sent_ = 0;
    std::map<std::int64_t, std::int64_t> callerPts_; // encoder pts -> caller pts
};

// "avc1.PPCCLL" from the SPS in an Annex-B H.264 packet; empty when none is found.
std::string avcCodecString(const AVPacket* packet);

} // namespace reelgate::media
