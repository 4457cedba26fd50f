#pragma once
// Leak traces requested over HTTP run here, one at a time on a thread of their own (a trace
// decodes a whole recording). Jobs live in memory: a restart forgets them (the admin submits
// again). Each suspect file is deleted once its trace ends. Thread-safe.

#include "forensics/TraceService.h"

#include <nlohmann/json.hpp>

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
    // {"id", "video_id", "state": queued|running|done|failed, "result" | "error"}
    std::optional<nlohmann::json> status(const std::string& id);

private:
    struct Job {
        std::string videoPublicId;
        std::filesystem::path suspect;
        std::string state = "queued";
        nlohmann::json result;
        std::string error;
    };
    void run();

    TraceService& traces_;
    std::filesystem::path workDir_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::string> queue_;
    std::map<std::string, Job> jobs_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

} // namespace reelgate::server::forensics
