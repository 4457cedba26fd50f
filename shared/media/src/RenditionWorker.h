#pragma once
// Internal: one rendition of a transcode, on its own thread: scale (+ rotate) the shared decoded
// frames, add the forensic mark (A/B mode), x264-encode and hand packets to the SegmentAssembler
// that writes the segments. Plain: one main encoder, IDR at every segment start. A/B: the main
// encoder gets only the unmarked rest of each segment (IDR at its start), and two identical
// window encoders get the mark windows, +mark and -mark (IDR at every window start). A and B
// windows thus come from encoders with the same history, so they keep the same amount of mark.
// Thread: push* from the decode thread; results after join(). Cancel via the shared flag.

#include "H264Encoder.h"
#include "Libav.h"
#include "SegmentAssembler.h"
#include "WorkQueue.h"
#include "reelgate/media/ForensicMark.h"
#include "reelgate/media/RenditionPlan.h"

#include <atomic>
#include <optional>
#include <string>
#include <thread>

namespace reelgate::media {

struct RenditionWorkerConfig {
    RenditionSpec spec;
    H264Settings x264;
    int rotationDeg = 0;
    bool ab = false;
    ForensicMarkSpec mark;
    AssemblerConfig assembler; // video parameters are filled in by the worker
};

class RenditionWorker {
public:
    RenditionWorker(RenditionWorkerConfig config, std::atomic<bool>& cancel);
    ~RenditionWorker();
    RenditionWorker(const RenditionWorker&) = delete;
    RenditionWorker& operator=(const RenditionWorker&) = delete;

    void start();
    bool pushVideo(std::int64_t frameIndex, const libav::SharedFrame& frame);
    bool pushAudio(const libav::SharedPacket& packet);
    void pushEnd();
    void stop(); // cancel path: wakes and ends the worker without flushing
    void join();

    const std::optional<std::string>& error() const { return error_; }
    std::int64_t framesDone() const { return framesDone_.load(); }
    const std::vector<SegmentRecord>& segments() const { return assembler_->segments(); }
    std::string codecString() const { return assembler_->codecString(); }
    const RenditionSpec& spec() const { return config_.spec; }

private:
    struct Item {
        enum class Kind { Invalid = 0, Video, Audio, End } kind = Kind::Invalid;
        std::int64_t frameIndex = 0;
        libav::SharedFrame frame;
        libav::SharedPacket packet;
    };
    struct VideoPath; // scaler, frame pool, mark table: created on the worker thread
    void run();
    void encodeFrame(std::int64_t frameIndex, const libav::SharedFrame& source);
    void flush();

    RenditionWorkerConfig config_;
    std::atomic<bool>& cancel_;
    WorkQueue<Item> queue_{24};
    std::thread thread_;
    std::optional<std::string> error_;
    std::atomic<std::int64_t> framesDone_{0};

    std::unique_ptr<H264Encoder> main_;
    std::unique_ptr<H264Encoder> windowA_; // A/B mode only
    std::unique_ptr<H264Encoder> windowB_;
    std::unique_ptr<SegmentAssembler> assembler_;
    libav::CodecParametersPtr videoParameters_;
    std::unique_ptr<VideoPath> path_;
};

} // namespace reelgate::media
