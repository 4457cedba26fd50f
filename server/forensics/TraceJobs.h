#pragma once
// Leak traces requested over HTTP run here, one at a time on a thread of their own (a trace
// decodes a whole recording). Jobs live in memory: a restart forgets them (the admin submits
// again; the newest 200 finished ones are kept). Each suspect file is deleted once its trace
// ends. A queued or running trace can be cancelled. Thread-safe.

#include "forensics/TraceService.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace reelgate::server::forensics {

class TraceJobs {
public:
    static constexpr std::size_t kMaxWaiting = 8;

    TraceJobs(TraceService& traces, std::filesystem::path workDir);
    ~TraceJobs();
    TraceJobs(const TraceJobs&) = delete;
    TraceJobs& operator=(const TraceJobs&) = delete;

    // A fresh path in the work dir for an incoming suspect file.
    std::filesystem::path newUploadPath();
    // Takes ownership of `suspect`; returns the job id. ServiceError RateLimited when too
    // many traces wait.
    std::string submit(const std::string& videoPublicId, const std::filesystem::path& suspect);
    // {"id", "video_id", "state": queued|running|done|failed|cancelled, "result" | "error"}
    std::optional<nlohmann::json> status(const std::string& id);
    // Cancels a queued or running trace (a running detector is stopped); a finished one stays
    // as it is. Returns the status after, or nullopt for an unknown id.
    std::optional<nlohmann::json> cancel(const std::string& id);

    static constexpr std::size_t kKeptFinished = 200;

private:
    struct Job {
        std::string videoPublicId;
        std::filesystem::path suspect;
        std::string state = "queued";
        nlohmann::json result;
        std::string error;
        bool cancelled = false;
    };
    void run();
    std::optional<nlohmann::json> statusLocked(const std::string& id) const;
    void finishLocked(const std::string& id);

    TraceService& traces_;
    std::filesystem::path workDir_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::string> queue_;
    std::map<std::string, Job> jobs_;
    std::deque<std::string> finished_; // oldest first, for forgetting
    std::string runningId_;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> stopRunning_{false}; // the running trace's detector stops when set
    std::thread thread_;
};

} // namespace reelgate::server::forensics
