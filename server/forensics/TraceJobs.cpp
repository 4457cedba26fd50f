#include "forensics/TraceJobs.h"

#include "common/Log.h"
#include "common/ServiceError.h"
#include "reelgate/core/Crypto.h"

#include <algorithm>

namespace reelgate::server::forensics {

namespace fs = std::filesystem;

TraceJobs::TraceJobs(TraceService& traces, fs::path workDir)
    : traces_(traces)
    , workDir_(std::move(workDir)) {
    std::error_code ec;
    fs::remove_all(workDir_, ec); // leftovers of a previous run: their jobs are gone
    thread_ = std::thread([this] { run(); });
}

TraceJobs::~TraceJobs() {
    stopping_ = true;
    stopRunning_ = true;
    wake_.notify_all();
    thread_.join();
    std::error_code ec;
    fs::remove_all(workDir_, ec);
}

fs::path TraceJobs::newUploadPath() {
    fs::create_directories(workDir_);
    return workDir_ / (core::randomToken(16) + ".suspect");
}

std::string TraceJobs::submit(const std::string& videoPublicId, const fs::path& suspect) {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= kMaxWaiting) {
        std::error_code ec;
        fs::remove(suspect, ec);
        throw ServiceError(ServiceError::Kind::RateLimited, "too_many_traces",
                           "Several traces are already waiting; try again in a few minutes.", 60);
    }
    const std::string id = core::randomToken(12);
    jobs_[id] = Job{videoPublicId, suspect, "queued", {}, {}};
    queue_.push_back(id);
    wake_.notify_all();
    return id;
}

std::optional<nlohmann::json> TraceJobs::status(const std::string& id) {
    std::lock_guard lock(mutex_);
    return statusLocked(id);
}

std::optional<nlohmann::json> TraceJobs::cancel(const std::string& id) {
    std::lock_guard lock(mutex_);
    const auto it = jobs_.find(id);
    if (it == jobs_.end())
        return std::nullopt;
    if (it->second.state == "queued") {
        queue_.erase(std::find(queue_.begin(), queue_.end(), id));
        std::error_code ec;
        fs::remove(it->second.suspect, ec);
        it->second.state = "cancelled";
        finishLocked(id);
    } else if (it->second.state == "running" && runningId_ == id) {
        it->second.cancelled = true; // the worker records it when the detector has stopped
        stopRunning_ = true;
    }
    return statusLocked(id);
}

void TraceJobs::finishLocked(const std::string& id) {
    finished_.push_back(id);
    while (finished_.size() > kKeptFinished) {
        jobs_.erase(finished_.front());
        finished_.pop_front();
    }
}

std::optional<nlohmann::json> TraceJobs::statusLocked(const std::string& id) const {
    const auto it = jobs_.find(id);
    if (it == jobs_.end())
        return std::nullopt;
    nlohmann::json out = {
        {"id", id}, {"video_id", it->second.videoPublicId}, {"state", it->second.state}};
    if (it->second.state == "done")
        out["result"] = it->second.result;
    if (it->second.state == "failed")
        out["error"] = it->second.error;
    return out;
}

void TraceJobs::run() {
    for (;;) {
        std::string id;
        Job job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (stopping_)
                return;
            id = queue_.front();
            queue_.pop_front();
            jobs_[id].state = "running";
            job = jobs_[id];
            runningId_ = id;
            stopRunning_ = false;
        }
        nlohmann::json result;
        std::string error;
        try {
            result = traces_.trace(job.videoPublicId, job.suspect, &stopRunning_);
        } catch (const ServiceError& e) {
            error = e.what();
        } catch (const std::exception& e) {
            error = "the trace failed";
            Log::error(std::string("trace ") + id + ": " + e.what());
        }
        std::error_code ec;
        fs::remove(job.suspect, ec);
        std::lock_guard lock(mutex_);
        runningId_.clear();
        Job& stored = jobs_[id];
        stored.state = stored.cancelled ? "cancelled" : error.empty() ? "done" : "failed";
        if (!stored.cancelled) {
            stored.result = std::move(result);
            stored.error = std::move(error);
        }
        finishLocked(id);
    }
}

} // namespace reelgate::server::forensics
