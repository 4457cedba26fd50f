#pragma once
// Internal: one rendition's segment files. Collects encoded packets per segment and writes
// segment n once every input has moved past it:
//   plain:  {rendition}/a/{n}.ts = the segment's packets (main encoder; starts with an IDR)
//   A/B:    {rendition}/a/{n}.ts = window-A encoder packets + shared rest (main encoder)
//           {rendition}/b/{n}.ts = window-B encoder packets + the same shared rest
// Video DTS are rewritten to (first frame of the run + k - reorderFrames), the same for every
// encoder, so A-window, B-window and rest runs splice with monotonic, identical timestamps.
// Audio packets (the same for all renditions) go to the segment their start time falls in.
// Thread: one owner thread (the rendition worker).

#include "Libav.h"
#include "SegmentClock.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace reelgate::media {

struct SegmentFileInfo {
    std::string path; // relative to the package root, e.g. "480p/a/3.ts"
    std::int64_t bytes = 0;
    std::string sha256;
};

struct SegmentRecord {
    std::int64_t index = 0;
    std::int64_t firstFrame = 0;
    std::int64_t frames = 0;
    SegmentFileInfo a;
    std::optional<SegmentFileInfo> b;
};

struct AssemblerConfig {
    SegmentClock clock{{30, 1}, 4000};
    bool ab = false;
    int windowFrames = 0;
    int reorderFrames = 0;
    std::filesystem::path packageDir;
    std::string renditionName;
    std::string aesKey; // 16 bytes, or empty for clear segments
    const AVCodecParameters* video = nullptr;
    const AVCodecParameters* audio = nullptr; // null without audio
    AVRational audioTimeBase{1, 48000};
};

class SegmentAssembler {
public:
    enum class Source { Invalid = 0, Main, WindowA, WindowB };

    explicit SegmentAssembler(AssemblerConfig config);
    void addVideo(Source source, libav::PacketPtr packet);
    void addAudio(const libav::SharedPacket& packet);
    void endAudio();
    // All encoders are flushed: writes the remaining segments.
    void finish();
    const std::vector<SegmentRecord>& segments() const { return written_; }
    const std::string& codecString() const { return codecString_; }

private:
    struct Pending {
        std::vector<libav::PacketPtr> windowA, windowB, rest;
        std::vector<libav::SharedPacket> audio;
    };
    void writeReady(bool final);
    void write(std::int64_t n, Pending& pending);
    SegmentFileInfo writeVariant(std::int64_t n, char variant,
                                 const std::vector<libav::PacketPtr>& window,
                                 const std::vector<libav::PacketPtr>& rest,
                                 const std::vector<libav::SharedPacket>& audio);

    AssemblerConfig config_;
    std::map<std::int64_t, Pending> pending_;
    std::int64_t seenMain_ = -1; // highest segment index seen per input
    std::int64_t seenA_ = -1;
    std::int64_t seenB_ = -1;
    std::int64_t seenAudio_ = -1;
    bool audioEnded_ = false;
    std::int64_t nextToWrite_ = 0;
    std::vector<SegmentRecord> written_;
    std::string codecString_;
};

} // namespace reelgate::media
