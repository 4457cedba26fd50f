#pragma once
// Internal: writes one HLS segment: a fresh MPEG-TS mux (PAT/PMT first, then the packets
// interleaved by DTS) into memory, optionally AES-128-CBC encrypted (PKCS#7 padding, as HLS
// METHOD=AES-128 expects). Timestamps are given on the 90 kHz clock and written unchanged.
// Thread: any; no shared state.

#include "Libav.h"

#include <cstdint>
#include <string>
#include <vector>

namespace reelgate::media {

struct TsPacket {
    const AVPacket* packet = nullptr; // payload and flags; its own timestamps are ignored
    bool video = true;
    std::int64_t pts90k = 0;
    std::int64_t dts90k = 0;
    std::int64_t duration90k = 0;
};

class TsSegmentMuxer {
public:
    // audio may be null (a source without audio).
    TsSegmentMuxer(const AVCodecParameters* video, const AVCodecParameters* audio);
    // The segment's bytes. `packets` may be in any order; they are sorted by DTS.
    std::string mux(std::vector<TsPacket> packets) const;

private:
    const AVCodecParameters* video_;
    const AVCodecParameters* audio_;
};

// AES-128-CBC with PKCS#7 padding. key: 16 bytes, iv: 16 bytes.
std::string encryptAes128Cbc(const std::string& plain, const std::string& key,
                             const std::string& iv);
std::string decryptAes128Cbc(const std::string& cipher, const std::string& key,
                             const std::string& iv);
// The HLS default IV for a segment: its media sequence number as a 128-bit big-endian integer.
std::string sequenceIv(std::int64_t sequence);

} // namespace reelgate::media
