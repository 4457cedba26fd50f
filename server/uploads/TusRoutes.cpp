#include "uploads/TusRoutes.h"

#include "http/ApiError.h"
#include "http/JsonResponse.h"
#include "uploads/TusHeaders.h"

namespace reelgate::server::uploads {
namespace {

using http::ApiError;

constexpr const char* kVersion = "1.0.0";
constexpr const char* kPattern = R"(/api/uploads/([A-Za-z0-9_-]{16,64}))";

void tusHeaders(httplib::Response& res) {
    res.set_header("Tus-Resumable", kVersion);
    res.set_header("Cache-Control", "no-store");
}

void requireTusVersion(const httplib::Request& req) {
    if (req.get_header_value("Tus-Resumable") != kVersion)
        throw ApiError(412, "unsupported_tus_version", "This server speaks tus 1.0.0.");
}

UploadInfo ownUpload(UploadStore& store, const httplib::Request& req,
                     const accounts::AuthContext& ctx) {
    auto upload = store.find(req.matches[1].str());
    if (!upload || upload->creator != ctx.user.id)
        throw ApiError(404, "not_found", "No such upload (it may have expired).");
    return *upload;
}

ApiError offsetMismatch(std::int64_t client, std::int64_t server) {
    return {409, "offset_mismatch",
            "Upload-Offset is " + std::to_string(client) + ", the server has " +
                std::to_string(server) + " bytes."};
}

ApiError notEditable() {
    return {409, "video_not_editable",
            "This video is no longer a draft (it was published or is being processed from "
            "another upload); its package cannot be replaced. Upload to a new video instead."};
}

// Chunks are stored only while the video still takes a package.
void requireEditable(UploadStore& store, const UploadInfo& upload) {
    const std::string state = store.videoState(upload.videoId);
    if (state != "draft" && state != "failed")
        throw notEditable();
}

} // namespace

void registerTusRoutes(httplib::Server& server, UploadStore& store, IngestWorker& ingest,
                       catalog::VideoService& videos, accounts::RequestAuth& auth,
                       std::int64_t maxUploadBytes) {
    server.Options("/api/uploads",
                   [maxUploadBytes](const httplib::Request&, httplib::Response& res) {
                       tusHeaders(res);
                       res.set_header("Tus-Version", kVersion);
                       res.set_header("Tus-Extension", "creation,termination,checksum,expiration");
                       res.set_header("Tus-Max-Size", std::to_string(maxUploadBytes));
                       res.set_header("Tus-Checksum-Algorithm", "sha1,sha256");
                       res.status = 204;
                   });

    server.Post("/api/uploads", [&, maxUploadBytes](const httplib::Request& req,
                                                    httplib::Response& res) {
        tusHeaders(res);
        const auto ctx = auth.requireCreator(req);
        requireTusVersion(req);
        if (req.has_header("Upload-Defer-Length"))
            throw ApiError::badRequest("Upload-Defer-Length is not supported; send Upload-Length.");
        const std::int64_t length =
            parseTusByteCount("Upload-Length", req.get_header_value("Upload-Length"));
        if (length == 0)
            throw ApiError::badRequest("Upload-Length is required (a positive number of bytes).");
        if (length > maxUploadBytes)
            throw ApiError(413, "upload_too_large",
                           "The package is larger than this server accepts (" +
                               std::to_string(maxUploadBytes) + " bytes).");
        const std::string rawMetadata = req.get_header_value("Upload-Metadata");
        const auto metadata = parseTusMetadata(rawMetadata);
        const auto videoId = metadata.find("video_id");
        if (videoId == metadata.end())
            throw ApiError::badRequest("Upload-Metadata must name the video: video_id <base64>.");
        const catalog::Video video = videos.own(ctx.user.id, videoId->second);
        if (video.state != "draft" && video.state != "failed")
            throw ApiError(409, "video_not_editable",
                           "This video already has a package (state: " + video.state + ").");
        const UploadInfo upload = store.create(ctx.user.id, video.id, length, rawMetadata);
        res.set_header("Location", "/api/uploads/" + upload.id);
        res.set_header("Upload-Expires", upload.expiresAt);
        res.status = 201;
    });

    // HEAD reaches this handler too (httplib answers HEAD with GET handlers, minus the body).
    server.Get(kPattern, [&](const httplib::Request& req, httplib::Response& res) {
        tusHeaders(res);
        const auto ctx = auth.require(req);
        const UploadInfo upload = ownUpload(store, req, ctx);
        res.set_header("Upload-Offset", std::to_string(upload.offsetBytes));
        res.set_header("Upload-Length", std::to_string(upload.lengthBytes));
        res.set_header("Upload-Expires", upload.expiresAt);
        if (!upload.metadata.empty())
            res.set_header("Upload-Metadata", upload.metadata);
        res.status = 200;
    });

    server.Patch(kPattern, [&](const httplib::Request& req, httplib::Response& res,
                               const httplib::ContentReader& reader) {
        tusHeaders(res);
        // Refused before its body was read: close the connection rather than reuse it.
        res.set_header("Connection", "close");
        const auto ctx = auth.require(req);
        requireTusVersion(req);
        if (req.get_header_value("Content-Type") != "application/offset+octet-stream")
            throw ApiError(415, "unsupported_media_type",
                           "Send chunks as application/offset+octet-stream.");
        const UploadInfo upload = ownUpload(store, req, ctx);
        const std::int64_t offset =
            parseTusByteCount("Upload-Offset", req.get_header_value("Upload-Offset"));
        const TusChecksum checksum = parseTusChecksum(req.get_header_value("Upload-Checksum"));
        if (upload.completed)
            throw ApiError(409, "upload_complete", "This upload is already complete.");
        if (offset != upload.offsetBytes)
            throw offsetMismatch(offset, upload.offsetBytes);
        requireEditable(store, upload);

        std::int64_t newOffset = upload.offsetBytes;
        const auto outcome = store.append(
            upload, offset,
            [&reader](const std::function<bool(const char*, std::size_t)>& sink) {
                return reader(
                    [&sink](const char* data, std::size_t size) { return sink(data, size); });
            },
            checksum, newOffset);
        switch (outcome) {
        case AppendOutcome::ChecksumMismatch:
            throw ApiError(460, "checksum_mismatch",
                           "The chunk does not match its Upload-Checksum; nothing was stored.");
        case AppendOutcome::TooLong:
            throw ApiError(413, "too_long",
                           "The chunk goes past Upload-Length; nothing was stored.");
        case AppendOutcome::Busy:
            throw ApiError(409, "upload_busy", "Another request is writing to this upload.");
        case AppendOutcome::OffsetMismatch:
            throw offsetMismatch(offset, newOffset);
        case AppendOutcome::DiskFull:
            throw ApiError(507, "insufficient_storage",
                           "The server's disk is full; nothing of this chunk was stored and "
                           "what was stored before is kept. Try again later.");
        case AppendOutcome::Stored:
        case AppendOutcome::Interrupted:
        case AppendOutcome::Invalid:
            break;
        }
        if (newOffset == upload.lengthBytes && !store.claimVideoForIngest(upload.videoId)) {
            // Completed after the video left draft (published from another upload, sold...):
            // its package changes only through a new video, never by a stale upload.
            store.remove(upload.id);
            throw notEditable();
        }
        res.headers.erase("Connection");
        res.set_header("Upload-Offset", std::to_string(newOffset));
        res.set_header("Upload-Expires", upload.expiresAt);
        res.status = 204;
        if (newOffset == upload.lengthBytes)
            ingest.enqueue(upload.id);
    });

    server.Delete(kPattern, [&](const httplib::Request& req, httplib::Response& res) {
        tusHeaders(res);
        const auto ctx = auth.require(req);
        requireTusVersion(req);
        const UploadInfo upload = ownUpload(store, req, ctx);
        if (upload.completed)
            throw ApiError(409, "upload_complete", "A finished upload cannot be terminated.");
        store.remove(upload.id);
        res.status = 204;
    });
}

} // namespace reelgate::server::uploads
