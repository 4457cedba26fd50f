#include "uploads/UploadStore.h"

#include "common/Log.h"
#include "reelgate/core/Crypto.h"

#include <openssl/evp.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <stdexcept>
#include <unistd.h>

namespace reelgate::server::uploads {
namespace fs = std::filesystem;

namespace {

struct DigestDeleter {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0)
            close(fd);
    }
};

constexpr const char* kInfoColumns =
    "id, creator_id, video_id, length_bytes, offset_bytes, metadata, "
    "to_char(expires_at AT TIME ZONE 'UTC', 'Dy, DD Mon YYYY HH24:MI:SS \"GMT\"'), "
    "completed_at IS NOT NULL";

UploadInfo infoFromRow(const db::PgResult& rows) {
    UploadInfo info;
    info.id = rows.text(0, 0);
    info.creator = accounts::UserId{rows.int64(0, 1)};
    info.videoId = rows.int64(0, 2);
    info.lengthBytes = rows.int64(0, 3);
    info.offsetBytes = rows.int64(0, 4);
    info.metadata = rows.text(0, 5);
    info.expiresAt = rows.text(0, 6);
    info.completed = rows.boolean(0, 7);
    return info;
}

} // namespace

UploadStore::UploadStore(db::PgPool& pool, fs::path dataDir)
    : pool_(pool)
    , dir_(std::move(dataDir) / "uploads") {
    fs::create_directories(dir_);
}

fs::path UploadStore::partFile(const std::string& id) const {
    return dir_ / (id + ".part");
}

UploadInfo UploadStore::create(accounts::UserId creator, std::int64_t videoId,
                               std::int64_t lengthBytes, const std::string& metadata) {
    const std::string id = core::randomToken(24);
    {
        Fd file{open(partFile(id).c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)};
        if (file.fd < 0)
            throw std::runtime_error("cannot create an upload file: " +
                                     std::string(std::strerror(errno)));
    }
    auto conn = pool_.acquire();
    conn->exec("INSERT INTO uploads (id, creator_id, video_id, length_bytes, metadata, expires_at)"
               " VALUES ($1, $2, $3, $4, $5, now() + interval '24 hours')",
               {id, std::to_string(creator.value), std::to_string(videoId),
                std::to_string(lengthBytes), metadata});
    return *find(id);
}

std::optional<UploadInfo> UploadStore::find(const std::string& id) {
    if (id.empty() || id.size() > 64)
        return std::nullopt;
    auto conn = pool_.acquire();
    auto rows = conn->exec(std::string("SELECT ") + kInfoColumns +
                               " FROM uploads WHERE id = $1 AND (expires_at > now() OR "
                               "completed_at IS NOT NULL)",
                           {id});
    if (rows.rows() == 0)
        return std::nullopt;
    return infoFromRow(rows);
}

AppendOutcome UploadStore::append(const UploadInfo& known, std::int64_t clientOffset,
                                  const BodyReader& body, const TusChecksum& checksum,
                                  std::int64_t& newOffset) {
    {
        std::lock_guard lock(busyMutex_);
        if (!busy_.insert(known.id).second)
            return AppendOutcome::Busy;
    }
    struct Release {
        UploadStore& store;
        const std::string& id;
        ~Release() {
            std::lock_guard lock(store.busyMutex_);
            store.busy_.erase(id);
        }
    } release{*this, known.id};

    // The offset as of now, under the lock: a PATCH that read it before another one finished
    // must not write over it.
    const auto fresh = find(known.id);
    if (!fresh || fresh->completed || fresh->offsetBytes != clientOffset) {
        newOffset = fresh ? fresh->offsetBytes : known.offsetBytes;
        return AppendOutcome::OffsetMismatch;
    }
    const UploadInfo& upload = *fresh;
    Fd file{open(partFile(upload.id).c_str(), O_WRONLY | O_CLOEXEC)};
    if (file.fd < 0)
        throw std::runtime_error("upload file missing: " + std::string(std::strerror(errno)));
    const off_t start = static_cast<off_t>(upload.offsetBytes);
    // Drop whatever a crashed write left past the confirmed offset.
    if (ftruncate(file.fd, start) != 0 || lseek(file.fd, start, SEEK_SET) != start)
        throw std::runtime_error("cannot prepare the upload file");

    std::unique_ptr<EVP_MD_CTX, DigestDeleter> digest;
    if (checksum.algorithm != ChecksumAlgorithm::None) {
        digest.reset(EVP_MD_CTX_new());
        EVP_DigestInit_ex(digest.get(),
                          checksum.algorithm == ChecksumAlgorithm::Sha1 ? EVP_sha1() : EVP_sha256(),
                          nullptr);
    }
    std::int64_t received = 0;
    bool tooLong = false;
    int writeErrno = 0;
    const std::int64_t room = upload.lengthBytes - upload.offsetBytes;
    const bool complete = body([&](const char* data, std::size_t size) {
        if (received + static_cast<std::int64_t>(size) > room) {
            tooLong = true;
            return false;
        }
        if (digest)
            EVP_DigestUpdate(digest.get(), data, size);
        std::size_t done = 0;
        while (done < size) {
            const ssize_t n = write(file.fd, data + done, size - done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                writeErrno = n < 0 ? errno : ENOSPC;
                return false;
            }
            done += static_cast<std::size_t>(n);
        }
        received += static_cast<std::int64_t>(size);
        return true;
    });

    auto rollBack = [&](AppendOutcome outcome) {
        if (ftruncate(file.fd, start) != 0)
            Log::warn("upload " + upload.id.substr(0, 6) + "...: cannot roll back a chunk");
        newOffset = upload.offsetBytes;
        return outcome;
    };
    if (writeErrno == ENOSPC || writeErrno == EDQUOT)
        return rollBack(AppendOutcome::DiskFull);
    if (writeErrno != 0) {
        rollBack(AppendOutcome::Invalid);
        throw std::runtime_error("cannot write the upload: " +
                                 std::string(std::strerror(writeErrno)));
    }
    if (tooLong)
        return rollBack(AppendOutcome::TooLong);
    if (digest && complete) {
        unsigned char raw[EVP_MAX_MD_SIZE];
        unsigned int length = 0;
        EVP_DigestFinal_ex(digest.get(), raw, &length);
        const std::string actual(reinterpret_cast<const char*>(raw), length);
        if (!core::constantTimeEqual(actual, checksum.digest))
            return rollBack(AppendOutcome::ChecksumMismatch);
    }
    if (!complete && digest)
        return rollBack(AppendOutcome::Interrupted); // cannot verify a partial chunk

    if (fdatasync(file.fd) != 0) {
        const int error = errno;
        rollBack(AppendOutcome::Invalid);
        if (error == ENOSPC || error == EDQUOT)
            return AppendOutcome::DiskFull;
        throw std::runtime_error("cannot make the upload durable");
    }
    newOffset = upload.offsetBytes + received;
    auto conn = pool_.acquire();
    const auto updated = conn->exec(
        "UPDATE uploads SET offset_bytes = $2, completed_at = CASE WHEN $2 = length_bytes"
        " THEN now() END WHERE id = $1 AND offset_bytes = $3",
        {upload.id, std::to_string(newOffset), std::to_string(upload.offsetBytes)});
    if (updated.affectedRows() != 1)
        return AppendOutcome::OffsetMismatch; // the row changed under us: nothing confirmed
    return complete ? AppendOutcome::Stored : AppendOutcome::Interrupted;
}

void UploadStore::remove(const std::string& id) {
    std::error_code ec;
    fs::remove(partFile(id), ec);
    auto conn = pool_.acquire();
    conn->exec("DELETE FROM uploads WHERE id = $1", {id});
}

std::string UploadStore::videoState(std::int64_t videoId) {
    auto conn = pool_.acquire();
    auto rows = conn->exec("SELECT state FROM videos WHERE id = $1", {std::to_string(videoId)});
    return rows.rows() == 0 ? std::string() : rows.text(0, 0);
}

bool UploadStore::claimVideoForIngest(std::int64_t videoId) {
    auto conn = pool_.acquire();
    return conn->exec("UPDATE videos SET state = 'processing', failure_reason = NULL,"
                      " updated_at = now() WHERE id = $1 AND state IN ('draft', 'failed')",
                      {std::to_string(videoId)})
               .affectedRows() == 1;
}

int UploadStore::countIngestAttempt(const std::string& id) {
    auto conn = pool_.acquire();
    auto rows = conn->exec("UPDATE uploads SET ingest_attempts = ingest_attempts + 1"
                           " WHERE id = $1 RETURNING ingest_attempts",
                           {id});
    return rows.rows() == 0 ? 0 : static_cast<int>(rows.int64(0, 0));
}

std::vector<std::string> UploadStore::waitingForIngest() {
    auto conn = pool_.acquire();
    auto rows = conn->exec("SELECT u.id FROM uploads u JOIN videos v ON v.id = u.video_id"
                           " WHERE u.completed_at IS NOT NULL AND v.state = 'processing'"
                           " ORDER BY u.completed_at");
    std::vector<std::string> ids;
    for (int r = 0; r < rows.rows(); ++r)
        ids.push_back(rows.text(r, 0));
    return ids;
}

int UploadStore::removeExpired() {
    auto conn = pool_.acquire();
    // Completed uploads are removed by their ingest; one still there an hour later whose video
    // is not processing was left by a crash between publishing and removing it.
    auto rows = conn->exec(
        "DELETE FROM uploads u WHERE (u.expires_at < now() AND u.completed_at IS NULL)"
        " OR (u.completed_at < now() - interval '1 hour' AND NOT EXISTS (SELECT 1 FROM videos v"
        " WHERE v.id = u.video_id AND v.state = 'processing')) RETURNING id");
    for (int r = 0; r < rows.rows(); ++r) {
        std::error_code ec;
        fs::remove(partFile(rows.text(r, 0)), ec);
    }
    return rows.rows();
}

} // namespace reelgate::server::uploads
