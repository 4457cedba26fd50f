#pragma once
// Turns completed uploads into published videos, on its own thread: extract the tar into a
// staging folder, validate the package, then rename it into <data-dir>/videos in one step and
// mark the video published; on any problem the video is marked failed with the reason and
// nothing is published. Uploads completed before a crash are picked up again at start.
// Also removes expired, unfinished uploads every minute.

#include "catalog/VideoService.h"
#include "uploads/UploadStore.h"

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

namespace reelgate::server::uploads {

class IngestWorker {
public:
    IngestWorker(db::PgPool& pool, catalog::VideoService& videos, UploadStore& store,
                 std::filesystem::path dataDir);
    ~IngestWorker();
    IngestWorker(const IngestWorker&) = delete;
    IngestWorker& operator=(const IngestWorker&) = delete;

    void enqueue(const std::string& uploadId);

private:
    void run();
    void ingest(const std::string& uploadId);

    db::PgPool& pool_;
    catalog::VideoService& videos_;
    UploadStore& store_;
    std::filesystem::path dataDir_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::string> queue_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace reelgate::server::uploads
