#include "uploads/IngestWorker.h"

#include "common/Log.h"
#include "playback/PlaybackPackage.h"
#include "reelgate/core/Crypto.h"
#include "reelgate/core/Text.h"
#include "uploads/PackageValidator.h"
#include "uploads/TarReader.h"

#include <algorithm>
#include <fstream>
#include <iterator>

namespace reelgate::server::uploads {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kHousekeepingInterval = std::chrono::seconds(60);
constexpr const char* kServerFailure = "the server could not process the package";

std::chrono::seconds backoff(int retries) {
    return std::chrono::seconds(std::min(300, 2 << std::min(retries, 8)));
}

// Lower-case hex SHA-256 of the extracted package's manifest.json (validated to exist).
std::string manifestSha256(const fs::path& staging) {
    std::ifstream in(staging / "manifest.json", std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return core::sha256Hex(bytes);
}

} // namespace

IngestWorker::IngestWorker(db::PgPool&, catalog::VideoService& videos, UploadStore& store,
                           fs::path dataDir)
    : videos_(videos)
    , store_(store)
    , dataDir_(std::move(dataDir)) {
    fs::create_directories(dataDir_ / "videos");
    fs::create_directories(dataDir_ / "staging");
    housekeeping(); // uploads that finished while a previous run was ingesting them
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
    schedule({uploadId, Clock::now(), 0, std::nullopt});
}

void IngestWorker::schedule(Job job) {
    {
        std::lock_guard lock(mutex_);
        const bool queued = std::any_of(queue_.begin(), queue_.end(),
                                        [&](const Job& j) { return j.uploadId == job.uploadId; });
        if (!queued)
            queue_.push_back(std::move(job));
    }
    wake_.notify_all();
}

// Picks up waiting uploads and removes expired ones; a database that is down is tried again
// at the next round.
void IngestWorker::housekeeping() {
    try {
        for (const std::string& id : store_.waitingForIngest())
            schedule({id, Clock::now(), 0, std::nullopt});
        if (const int removed = store_.removeExpired(); removed > 0)
            Log::info("removed " + std::to_string(removed) + " stale uploads");
    } catch (const std::exception& e) {
        Log::warn("upload housekeeping: " + core::printable(e.what(), 300));
    }
}

void IngestWorker::run() {
    auto lastHousekeeping = Clock::now();
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        const auto now = Clock::now();
        if (now - lastHousekeeping >= kHousekeepingInterval) {
            lastHousekeeping = now;
            lock.unlock();
            housekeeping();
            lock.lock();
            continue;
        }
        auto due = std::find_if(queue_.begin(), queue_.end(),
                                [&](const Job& j) { return j.notBefore <= now; });
        if (due == queue_.end()) {
            auto wakeAt = lastHousekeeping + kHousekeepingInterval;
            for (const Job& j : queue_)
                wakeAt = std::min(wakeAt, j.notBefore);
            wake_.wait_until(lock, wakeAt);
            continue;
        }
        const Job job = *due;
        queue_.erase(due);
        lock.unlock();
        std::optional<Job> retry;
        try {
            retry = ingest(job);
        } catch (...) {
            // The failure path itself failed (the database is down, say): try again later.
            Log::error("upload " + job.uploadId.substr(0, 6) +
                       "...: ingest could not finish; retrying later");
            retry = job;
        }
        lock.lock();
        if (retry) {
            retry->notBefore = Clock::now() + backoff(retry->retries);
            ++retry->retries;
            queue_.push_back(std::move(*retry));
        }
    }
}

void IngestWorker::fail(std::int64_t videoId, const std::string& uploadId,
                        const std::string& reason) {
    videos_.markFailed(videoId, core::printable(reason, 500));
    store_.remove(uploadId);
}

std::optional<IngestWorker::Job> IngestWorker::ingest(const Job& job) {
    const std::string& uploadId = job.uploadId;
    const auto upload = store_.find(uploadId);
    if (!upload || !upload->completed)
        return std::nullopt;
    const std::string tag = "video " + std::to_string(upload->videoId);
    if (job.failure) {
        fail(upload->videoId, uploadId, *job.failure);
        return std::nullopt;
    }
    if (store_.videoState(upload->videoId) != "processing") {
        // Its package must not change any more (see TusRoutes): the upload is void.
        Log::warn(tag + ": an upload for a video that is not processing was dropped");
        store_.remove(uploadId);
        return std::nullopt;
    }
    const int attempt = store_.countIngestAttempt(uploadId);
    if (attempt > kMaxAttempts) {
        Log::error(tag + ": ingest failed " + std::to_string(kMaxAttempts) + " times; giving up");
        fail(upload->videoId, uploadId, kServerFailure);
        return std::nullopt;
    }
    const fs::path staging = dataDir_ / "staging" / uploadId;
    std::error_code ec;
    fs::remove_all(staging, ec);
    std::optional<std::string> refusal;
    bool serverFailure = false;
    try {
        fs::create_directories(staging);
        const auto files = extractTar(store_.partFile(uploadId), staging);
        const PackageSummary summary = validatePackage(staging, files);
        // The duplicate guard trusts the hash the studio declared: it must be this package's.
        if (const std::string declared = videos_.declaredPackageHash(upload->videoId);
            !declared.empty() && declared != manifestSha256(staging))
            throw PackageInvalid("the package is not the one announced: the SHA-256 of its "
                                 "manifest.json differs from the video's package_sha256");
        try {
            playback::PlaybackPackage::load(staging); // what passes ingest must play
        } catch (const std::exception& e) {
            throw PackageInvalid(std::string("the package cannot be played: ") + e.what());
        }
        const std::string packageDir =
            std::to_string(upload->videoId) + "-" + uploadId.substr(0, 12);
        const fs::path target = dataDir_ / "videos" / packageDir;
        fs::remove_all(target);      // only an orphan of a crash between rename and publish
        fs::rename(staging, target); // atomic: same file system
        videos_.markPublished(upload->videoId, packageDir, summary.durationMs, summary.posterFile);
        store_.remove(uploadId);
        Log::info(tag + " published (" + std::to_string(summary.renditions) + " renditions, " +
                  std::to_string(summary.segments) + " segments" +
                  (summary.abVariants ? ", A/B" : "") + ")");
    } catch (const TarError& e) {
        refusal = core::printable(e.what(), 500);
    } catch (const PackageInvalid& e) {
        refusal = core::printable(e.what(), 500);
    } catch (const std::exception& e) {
        serverFailure = true;
        Log::error(tag + " ingest attempt " + std::to_string(attempt) +
                   " failed: " + core::printable(e.what(), 300));
    } catch (...) {
        serverFailure = true;
        Log::error(tag + " ingest attempt " + std::to_string(attempt) + " failed");
    }
    fs::remove_all(staging, ec);
    if (refusal) {
        Log::warn(tag + " refused: " + *refusal);
        try {
            fail(upload->videoId, uploadId, *refusal);
        } catch (const std::exception& e) {
            Log::error(tag + ": cannot record the refusal (" + core::printable(e.what(), 200) +
                       "); retrying later");
            return Job{uploadId, Clock::now(), job.retries, refusal};
        }
    } else if (serverFailure) {
        if (attempt >= kMaxAttempts) {
            fail(upload->videoId, uploadId, kServerFailure);
            return std::nullopt;
        }
        return Job{uploadId, Clock::now(), job.retries, std::nullopt};
    }
    return std::nullopt;
}

} // namespace reelgate::server::uploads
