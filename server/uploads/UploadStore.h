#pragma once
// Resumable uploads (the storage side of tus 1.0): one row in `uploads` and one file
// <data-dir>/uploads/<id>.part each. The offset in the database is the truth: bytes past it
// (a write cut short by a crash) are dropped before the next append, so an upload resumes
// exactly where the server last confirmed. One append at a time per upload. Thread-safe.

#include "accounts/User.h"
#include "db/PgPool.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>

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

enum class ChecksumAlgorithm { None = 0, Sha1, Sha256 };

enum class AppendOutcome {
    Invalid = 0,
    Stored,           // all bytes written and durable
    ChecksumMismatch, // nothing stored
    TooLong,          // more bytes than the upload's length; nothing stored
    Interrupted,      // the client went away; what arrived is kept (no checksum) or dropped
    Busy,             // another append for this upload is running
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
    AppendOutcome append(const UploadInfo& upload, const BodyReader& body,
                         ChecksumAlgorithm algorithm, const std::string& expectedDigest,
                         std::int64_t& newOffset);
    void remove(const std::string& id);
    // Deletes expired, incomplete uploads (rows and files); returns how many.
    int removeExpired();

    std::filesystem::path partFile(const std::string& id) const;

private:
    db::PgPool& pool_;
    std::filesystem::path dir_;
    std::mutex busyMutex_;
    std::set<std::string> busy_;
};

} // namespace reelgate::server::uploads
