#include "reelgate/media/TranscodeJob.h"

#include "TranscodePipeline.h"
#include "reelgate/media/MediaError.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace reelgate::media {

const char* jobStateName(JobState state) {
    switch (state) {
    case JobState::Ready:
        return "ready";
    case JobState::Running:
        return "running";
    case JobState::Succeeded:
        return "succeeded";
    case JobState::Failed:
        return "failed";
    case JobState::Cancelled:
        return "cancelled";
    case JobState::Invalid:
        break;
    }
    return "invalid";
}

struct TranscodeJob::Impl {
    TranscodeOptions options;
    std::atomic<bool> cancel{false};
    mutable std::mutex mutex;
    std::condition_variable ended;
    TranscodeProgress progress;
    std::optional<PackageManifest> manifest;
    std::thread thread;
    bool started = false;
    std::chrono::steady_clock::time_point startTime;

    void setStage(const char* stage) {
        std::lock_guard lock(mutex);
        progress.stage = stage;
    }

    void setFraction(double fraction) {
        std::lock_guard lock(mutex);
        progress.fraction = fraction;
        const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::steady_clock::now() - startTime)
                                 .count();
        progress.elapsedMs = elapsed;
        progress.etaMs = fraction > 0.02 ? static_cast<std::int64_t>(static_cast<double>(elapsed) *
                                                                     (1 - fraction) / fraction)
                                         : -1;
    }

    void finish(JobState state, const std::string& error) {
        std::lock_guard lock(mutex);
        progress.state = state;
        progress.error = error;
        progress.etaMs = state == JobState::Succeeded ? 0 : -1;
        progress.elapsedMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::steady_clock::now() - startTime)
                                 .count();
        ended.notify_all();
    }

    void run() {
        namespace fs = std::filesystem;
        const fs::path output = options.output;
        const fs::path partial = fs::path(output.string() + ".partial");
        std::error_code ec;
        try {
            if (fs::exists(output, ec)) {
                throw MediaError("output " + output.string() +
                                 " already exists; choose a new folder");
            }
            fs::remove_all(partial, ec); // a stale folder from an interrupted run
            fs::create_directories(partial, ec);
            if (ec) {
                throw MediaError("cannot create " + partial.string() + ": " + ec.message());
            }
            PipelineObserver observer{[this](const char* stage) { setStage(stage); },
                                      [this](double fraction) { setFraction(fraction); }};
            std::optional<PackageManifest> result =
                runTranscode(options, partial, cancel, observer);
            if (!result) {
                fs::remove_all(partial, ec);
                finish(JobState::Cancelled, "");
                return;
            }
            fs::rename(partial, output, ec);
            if (ec) {
                throw MediaError("cannot rename " + partial.string() + " to " + output.string() +
                                 ": " + ec.message());
            }
            {
                std::lock_guard lock(mutex);
                manifest = std::move(result);
            }
            setFraction(1.0);
            finish(JobState::Succeeded, "");
        } catch (const std::exception& e) {
            fs::remove_all(partial, ec);
            finish(cancel.load() && dynamic_cast<const MediaError*>(&e) == nullptr
                       ? JobState::Cancelled
                       : JobState::Failed,
                   e.what());
        }
    }
};

TranscodeJob::TranscodeJob(TranscodeOptions options)
    : impl_(std::make_unique<Impl>()) {
    impl_->options = std::move(options);
}

TranscodeJob::~TranscodeJob() {
    cancel();
    if (impl_->thread.joinable()) {
        impl_->thread.join();
    }
}

void TranscodeJob::start() {
    std::lock_guard lock(impl_->mutex);
    if (impl_->started) {
        return;
    }
    impl_->started = true;
    impl_->progress.state = JobState::Running;
    impl_->startTime = std::chrono::steady_clock::now();
    impl_->thread = std::thread([this] { impl_->run(); });
}

void TranscodeJob::cancel() {
    impl_->cancel.store(true);
}

TranscodeProgress TranscodeJob::progress() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->progress;
}

TranscodeProgress TranscodeJob::wait() {
    std::unique_lock lock(impl_->mutex);
    impl_->ended.wait(lock, [&] {
        const JobState s = impl_->progress.state;
        return !impl_->started || s == JobState::Succeeded || s == JobState::Failed ||
               s == JobState::Cancelled;
    });
    return impl_->progress;
}

std::optional<PackageManifest> TranscodeJob::manifest() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->manifest;
}

} // namespace reelgate::media
