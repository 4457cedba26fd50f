#pragma once
// Turns completed uploads into published videos, on its own thread: extract the tar into a
// staging folder, validate the package and load it as playback would, then rename it into
// <data-dir>/videos in one step and mark the video published; on any problem the video is
// marked failed with a printable reason and nothing is published. Nothing escapes the thread: a
// refused package fails at once; a failure of the server itself (disk, database) is retried with
// backoff, at most kMaxAttempts times counted in the database (so an upload that takes the server
// down is not retried forever across restarts), then the video fails. Uploads completed before a
// crash are picked up again at start and every minute, when stale uploads are removed too.

#include "catalog/VideoService.h"
#include "uploads/UploadStore.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace reelgate::server::uploads {

class IngestWorker {
public:
    static constexpr int kMaxAttempts = 3;

    IngestWorker(db::PgPool& pool, catalog::VideoService& videos, UploadStore& store,
                 std::filesystem::path dataDir);
    ~IngestWorker();
    IngestWorker(const IngestWorker&) = delete;
    IngestWorker& operator=(const IngestWorker&) = delete;

    void enqueue(const std::string& uploadId);

private:
    struct Job {
        std::string uploadId;
        std::chrono::steady_clock::time_point notBefore;
        int retries = 0;                    // of this job in this run (for the backoff)
        std::optional<std::string> failure; // only the failure still has to be recorded
    };

    void run();
    void housekeeping();
    // Returns the job to retry later, if any.
    std::optional<Job> ingest(const Job& job);
    void fail(std::int64_t videoId, const std::string& uploadId, const std::string& reason);
    void schedule(Job job);

    catalog::VideoService& videos_;
    UploadStore& store_;
    std::filesystem::path dataDir_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> queue_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace reelgate::server::uploads
