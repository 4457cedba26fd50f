#include "RenditionWorker.h"

#include "FramePool.h"
#include "VideoScaler.h"
#include "reelgate/media/MediaError.h"

#include <filesystem>

namespace reelgate::media {

struct RenditionWorker::VideoPath {
    FramePool pool;
    VideoScaler scaler;
    ForensicMark mark;
    std::vector<float> offsets;
    libav::SharedFrame lastSource; // kept alive so a new frame can never reuse its address
    libav::FramePtr lastScaled;    // holds a reference so the pool does not hand it out again
};

RenditionWorker::RenditionWorker(RenditionWorkerConfig config, std::atomic<bool>& cancel)
    : config_(std::move(config))
    , cancel_(cancel) {
    main_ = std::make_unique<H264Encoder>(config_.x264);
    if (config_.ab) {
        windowA_ = std::make_unique<H264Encoder>(config_.x264);
        windowB_ = std::make_unique<H264Encoder>(config_.x264);
    }
    videoParameters_ = libav::parametersOf(main_->context());
    AssemblerConfig assembler = config_.assembler;
    assembler.video = videoParameters_.get();
    assembler.ab = config_.ab;
    assembler.windowFrames = config_.ab ? config_.mark.windowFrames : 0;
    assembler.reorderFrames = main_->reorderFrames();
    assembler.renditionName = config_.spec.name;
    std::filesystem::create_directories(assembler.packageDir / config_.spec.name / "a");
    if (config_.ab) {
        std::filesystem::create_directories(assembler.packageDir / config_.spec.name / "b");
    }
    assembler_ = std::make_unique<SegmentAssembler>(assembler);
}

RenditionWorker::~RenditionWorker() {
    queue_.close();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void RenditionWorker::start() {
    thread_ = std::thread([this] { run(); });
}

bool RenditionWorker::pushVideo(std::int64_t frameIndex, const libav::SharedFrame& frame) {
    return queue_.push({Item::Kind::Video, frameIndex, frame, nullptr});
}

bool RenditionWorker::pushAudio(const libav::SharedPacket& packet) {
    return queue_.push({Item::Kind::Audio, 0, nullptr, packet});
}

void RenditionWorker::pushEnd() {
    queue_.push({Item::Kind::End, 0, nullptr, nullptr});
}

void RenditionWorker::stop() {
    queue_.close();
}

void RenditionWorker::join() {
    if (thread_.joinable()) {
        thread_.join();
    }
}

void RenditionWorker::run() {
    try {
        path_ = std::make_unique<VideoPath>(
            VideoPath{FramePool(config_.spec.widthPx, config_.spec.heightPx),
                      VideoScaler(config_.spec.widthPx, config_.spec.heightPx, config_.rotationDeg),
                      ForensicMark(config_.mark),
                      {},
                      {},
                      libav::allocFrame()});
        if (config_.ab) {
            path_->offsets = path_->mark.lumaOffsets(config_.spec.widthPx, config_.spec.heightPx);
        }
        for (;;) {
            std::optional<Item> item = queue_.pop();
            if (!item || cancel_.load()) {
                break;
            }
            if (item->kind == Item::Kind::Video) {
                encodeFrame(item->frameIndex, item->frame);
                framesDone_.fetch_add(1);
            } else if (item->kind == Item::Kind::Audio) {
                assembler_->addAudio(item->packet);
            } else if (item->kind == Item::Kind::End) {
                flush();
                break;
            }
        }
    } catch (const std::exception& e) {
        error_ = config_.spec.name + ": " + e.what();
        cancel_.store(true);
    }
    queue_.close();
}

void RenditionWorker::encodeFrame(std::int64_t frameIndex, const libav::SharedFrame& source) {
    VideoPath& path = *path_;
    if (source != path.lastSource) {
        AVFrame* scaled = path.scaler.scale(source.get(), path.pool);
        av_frame_unref(path.lastScaled.get());
        libav::check(av_frame_ref(path.lastScaled.get(), scaled), "frame reference");
        path.lastSource = source;
    }
    AVFrame* scaled = path.lastScaled.get();
    const SegmentClock& clock = config_.assembler.clock;
    const std::int64_t segment = clock.segmentOf(frameIndex);
    const std::int64_t k = frameIndex - clock.firstFrame(segment);
    const int window = config_.mark.windowFrames;
    auto sink = [this](SegmentAssembler::Source to) {
        return [this, to](libav::PacketPtr p) { assembler_->addVideo(to, std::move(p)); };
    };
    if (config_.ab && k < window) {
        const double gain = path.mark.envelope(static_cast<int>(k), window);
        for (int variant = 0; variant < 2; ++variant) {
            AVFrame* marked = path.pool.get();
            copyPicture(marked, scaled);
            ForensicMark::apply(marked->data[0], marked->linesize[0], marked->width, marked->height,
                                path.offsets, variant == 0 ? gain : -gain);
            marked->pts = frameIndex;
            if (variant == 0) {
                windowA_->send(marked, k == 0, sink(SegmentAssembler::Source::WindowA));
            } else {
                windowB_->send(marked, k == 0, sink(SegmentAssembler::Source::WindowB));
            }
        }
        return;
    }
    scaled->pts = frameIndex;
    main_->send(scaled, k == 0 || (config_.ab && k == window),
                sink(SegmentAssembler::Source::Main));
}

void RenditionWorker::flush() {
    using Source = SegmentAssembler::Source;
    main_->flush([this](libav::PacketPtr p) { assembler_->addVideo(Source::Main, std::move(p)); });
    if (config_.ab) {
        windowA_->flush(
            [this](libav::PacketPtr p) { assembler_->addVideo(Source::WindowA, std::move(p)); });
        windowB_->flush(
            [this](libav::PacketPtr p) { assembler_->addVideo(Source::WindowB, std::move(p)); });
    }
    assembler_->finish();
}

} // namespace reelgate::media
