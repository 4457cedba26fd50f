#pragma once
// Resumable uploads (the storage side of tus 1.0): one row in `uploads` and one file
// <data-dir>/uploads/<id>.part each. The offset in the database is the truth: bytes past it
// (a write cut short by a crash) are dropped before the next append, so an upload resumes
// exactly where the server last confirmed. One append at a time per upload, and its offset is
// checked against the database under that lock, so two identical PATCHes cannot both land.
// A full disk rolls the chunk back (nothing confirmed is lost). Also the upload side of ingest:
// the video's claim for processing and the bounded count of ingest attempts. Thread-safe.

#include "accounts/User.h"
#include "db/PgPool.h"
#include "uploads/TusHeaders.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace reelgate::server::uploads {

struct UploadInfo {
    std::string id;
    accounts::UserId creator;
    std::int64_t videoId = 0;
    std::int64_t lengthBytes = 0;
    std::int64_t offsetBytes = 0;
    std::string metadata;  // the client's Upload-Metadata, as sent
    std::string expiresAt; // HTTP date
    bool completed = false;
};

enum class AppendOutcome {
    Invalid = 0,
    Stored,           // all bytes written and durable
    ChecksumMismatch, // nothing stored
    TooLong,          // more bytes than the upload's length; nothing stored
    Interrupted,      // the client went away; what arrived is kept (no checksum) or dropped
    Busy,             // another append for this upload is running
    OffsetMismatch,   // the upload is no longer at the client's offset (or is complete)
    DiskFull,         // the disk is full; nothing of this chunk is kept
};

class UploadStore {
public:
    // Reads the request body in pieces: calls `sink` per piece; false = the client went away.
    using BodyReader =
        std::function<bool(const std::function<bool(const char*, std::size_t)>& sink)>;

    UploadStore(db::PgPool& pool, std::filesystem::path dataDir);

    UploadInfo create(accounts::UserId creator, std::int64_t videoId, std::int64_t lengthBytes,
                      const std::string& metadata);
    // Unexpired upload with this id, or nullopt.
    std::optional<UploadInfo> find(const std::string& id);
    // Appends at `clientOffset`, which must still be the upload's offset once the lock is held.
    AppendOutcome append(const UploadInfo& upload, std::int64_t clientOffset,
                         const BodyReader& body, const TusChecksum& checksum,
                         std::int64_t& newOffset);
    void remove(const std::string& id);
    // Deletes expired, incomplete uploads and completed ones a crash left behind after their
    // ingest (rows and files); returns how many.
    int removeExpired();

    std::filesystem::path partFile(const std::string& id) const;

    // The video's state ("draft", "processing", ...), empty when it is gone.
    std::string videoState(std::int64_t videoId);
    // draft/failed -> processing in one statement; false when the video is in any other state
    // (published, sold, being processed from another upload): its package must not change.
    bool claimVideoForIngest(std::int64_t videoId);
    // Counts one more ingest attempt (before the work starts); returns the count.
    int countIngestAttempt(const std::string& id);
    // Completed uploads whose video waits in 'processing' (to ingest after a restart).
    std::vector<std::string> waitingForIngest();

private:
    db::PgPool& pool_;
    std::filesystem::path dir_;
    std::mutex busyMutex_;
    std::set<std::string> busy_;
};

} // namespace reelgate::server::uploads
