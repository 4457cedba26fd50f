#pragma once
// TranscodeJob: turns one source file into a package folder (HLS ladder, optional A/B forensic
// variants and AES-128, manifest.json). ONE decode feeds every rendition; each rendition scales,
// marks, encodes and segments on its own thread.
// The package is written into "<output>.partial" and renamed to <output> only when complete;
// on failure or cancel the partial folder is removed. <output> must not exist yet.
// Thread: start/cancel/progress/wait from any thread; the work runs on a thread the job owns.
// The destructor cancels and joins. Errors never escape: they end in progress().error.

#include "reelgate/media/LadderPreset.h"
#include "reelgate/media/PackageManifest.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace reelgate::media {

enum class JobState { Invalid = 0, Ready, Running, Succeeded, Failed, Cancelled };

const char* jobStateName(JobState state);

struct TranscodeProgress {
    JobState state = JobState::Ready;
    double fraction = 0;     // 0..1 of the frames to encode
    std::int64_t etaMs = -1; // -1 while unknown
    std::int64_t elapsedMs = 0;
    std::string stage; // "probing", "encoding", "finishing", ...
    std::string error; // set when state == Failed
};

struct TranscodeOptions {
    std::filesystem::path input;
    std::filesystem::path output; // the package folder to create
    LadderPreset preset = LadderPreset::builtin("default");
    std::optional<int> segmentMs;          // overrides the preset's
    bool abVariants = false;               // forensic A/B segments
    bool encrypt = false;                  // AES-128 with a fresh key per video
    int encoderThreads = 0;                // x264 threads per encoder, 0 = x264's choice
    std::optional<std::uint32_t> markSeed; // default: random per package
    nlohmann::json watermark = PackageManifest::defaultWatermark();
    // The poster's frame (ms into the source); nullopt = the livelier of a few frames in the
    // first third. A poster that cannot be made leaves the package without one.
    std::optional<std::int64_t> posterAtMs;
};

class TranscodeJob {
public:
    explicit TranscodeJob(TranscodeOptions options);
    ~TranscodeJob();
    TranscodeJob(const TranscodeJob&) = delete;
    TranscodeJob& operator=(const TranscodeJob&) = delete;

    void start(); // once; later calls do nothing
    void cancel();
    TranscodeProgress progress() const;
    TranscodeProgress wait(); // blocks until the job has ended; returns the final progress
    // The written manifest, once state == Succeeded.
    std::optional<PackageManifest> manifest() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace reelgate::media
