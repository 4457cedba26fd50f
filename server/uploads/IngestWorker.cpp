#include "uploads/IngestWorker.h"

#include "common/Log.h"
#include "uploads/PackageValidator.h"
#include "uploads/TarReader.h"

#include <chrono>

namespace reelgate::server::uploads {
namespace fs = std::filesystem;

IngestWorker::IngestWorker(db::PgPool& pool, catalog::VideoService& videos, UploadStore& store,
                           fs::path dataDir)
    : pool_(pool)
    , videos_(videos)
    , store_(store)
    , dataDir_(std::move(dataDir)) {
    fs::create_directories(dataDir_ / "videos");
    fs::create_directories(dataDir_ / "staging");
    // Uploads that finished while a previous run was ingesting them.
    auto conn = pool_.acquire();
    auto rows = conn->exec("SELECT u.id FROM uploads u JOIN videos v ON v.id = u.video_id"
                           " WHERE u.completed_at IS NOT NULL AND v.state = 'processing'");
    for (int r = 0; r < rows.rows(); ++r)
        queue_.push_back(rows.text(r, 0));
    if (const int removed = store_.removeExpired(); removed > 0)
        Log::info("removed " + std::to_string(removed) + " expired uploads");
    thread_ = std::thread([this] { run(); });
}

IngestWorker::~IngestWorker() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void IngestWorker::enqueue(const std::string& uploadId) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(uploadId);
    }
    wake_.notify_all();
}

void IngestWorker::run() {
    auto lastCleanup = std::chrono::steady_clock::now();
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        if (queue_.empty()) {
            wake_.wait_for(lock, std::chrono::seconds(60));
            if (std::chrono::steady_clock::now() - lastCleanup >= std::chrono::seconds(60)) {
                lastCleanup = std::chrono::steady_clock::now();
                lock.unlock();
                try {
                    if (const int removed = store_.removeExpired(); removed > 0)
                        Log::info("removed " + std::to_string(removed) + " expired uploads");
                } catch (const std::exception& e) {
                    Log::warn(std::string("upload cleanup: ") + e.what());
                }
                lock.lock();
            }
            continue;
        }
        const std::string id = queue_.front();
        queue_.pop_front();
        lock.unlock();
        ingest(id);
        lock.lock();
    }
}

void IngestWorker::ingest(const std::string& uploadId) {
    const auto upload = store_.find(uploadId);
    if (!upload || !upload->completed)
        return;
    const fs::path staging = dataDir_ / "staging" / uploadId;
    std::error_code ec;
    fs::remove_all(staging, ec);
    const std::string tag = "video " + std::to_string(upload->videoId);
    try {
        videos_.markProcessing(upload->videoId);
        fs::create_directories(staging);
        const auto files = extractTar(store_.partFile(uploadId), staging);
        const PackageSummary summary = validatePackage(staging, files);
        const std::string packageDir =
            std::to_string(upload->videoId) + "-" + uploadId.substr(0, 12);
        const fs::path target = dataDir_ / "videos" / packageDir;
        fs::remove_all(target);      // only an orphan of a crash between rename and publish
        fs::rename(staging, target); // atomic: same file system
        videos_.markPublished(upload->videoId, packageDir, summary.durationMs, summary.posterFile);
        Log::info(tag + " published (" + std::to_string(summary.renditions) + " renditions, " +
                  std::to_string(summary.segments) + " segments" +
                  (summary.abVariants ? ", A/B" : "") + ")");
    } catch (const TarError& e) {
        videos_.markFailed(upload->videoId, e.what());
        Log::warn(tag + " refused: " + e.what());
    } catch (const PackageInvalid& e) {
        videos_.markFailed(upload->videoId, e.what());
        Log::warn(tag + " refused: " + e.what());
    } catch (const std::exception& e) {
        videos_.markFailed(upload->videoId, "the server could not process the package");
        Log::error(tag + " ingest failed: " + e.what());
    }
    fs::remove_all(staging, ec);
    store_.remove(uploadId);
}

} // namespace reelgate::server::uploads
