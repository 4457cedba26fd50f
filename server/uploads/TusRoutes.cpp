#include "uploads/TusRoutes.h"

#include "http/ApiError.h"
#include "http/JsonResponse.h"
#include "reelgate/core/Base64Url.h"

#include <charconv>
#include <map>

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

std::optional<std::int64_t> parseInt(const std::string& text) {
    std::int64_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || value < 0)
        return std::nullopt;
    return value;
}

std::optional<std::string> base64Decode(std::string text) {
    for (char& c : text) {
        if (c == '+')
            c = '-';
        else if (c == '/')
            c = '_';
    }
    while (!text.empty() && text.back() == '=')
        text.pop_back();
    return core::base64UrlDecode(text);
}

// Upload-Metadata: "key base64value,key2 base64value2"
std::map<std::string, std::string> parseMetadata(const std::string& header) {
    std::map<std::string, std::string> out;
    std::size_t pos = 0;
    while (pos < header.size()) {
        auto end = header.find(',', pos);
        if (end == std::string::npos)
            end = header.size();
        std::string pair = header.substr(pos, end - pos);
        pair.erase(0, pair.find_first_not_of(' '));
        const auto space = pair.find(' ');
        const std::string key = pair.substr(0, space);
        std::string value;
        if (space != std::string::npos) {
            auto decoded = base64Decode(pair.substr(space + 1));
            if (!decoded)
                throw ApiError::badRequest("Upload-Metadata value of '" + key + "' is not base64.");
            value = *decoded;
        }
        out[key] = value;
        pos = end + 1;
    }
    return out;
}

UploadInfo ownUpload(UploadStore& store, const httplib::Request& req,
                     const accounts::AuthContext& ctx) {
    auto upload = store.find(req.matches[1].str());
    if (!upload || upload->creator != ctx.user.id)
        throw ApiError(404, "not_found", "No such upload (it may have expired).");
    return *upload;
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
        const auto length = parseInt(req.get_header_value("Upload-Length"));
        if (!length || *length == 0)
            throw ApiError::badRequest("Upload-Length is required (a positive number of bytes).");
        if (*length > maxUploadBytes)
            throw ApiError(413, "upload_too_large",
                           "The package is larger than this server accepts (" +
                               std::to_string(maxUploadBytes) + " bytes).");
        const std::string rawMetadata = req.get_header_value("Upload-Metadata");
        const auto metadata = parseMetadata(rawMetadata);
        const auto videoId = metadata.find("video_id");
        if (videoId == metadata.end())
            throw ApiError::badRequest("Upload-Metadata must name the video: video_id <base64>.");
        const catalog::Video video = videos.own(ctx.user.id, videoId->second);
        if (video.state != "draft" && video.state != "failed")
            throw ApiError(409, "video_not_editable",
                           "This video already has a package (state: " + video.state + ").");
        const UploadInfo upload = store.create(ctx.user.id, video.id, *length, rawMetadata);
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
        UploadInfo upload = ownUpload(store, req, ctx);
        const auto offset = parseInt(req.get_header_value("Upload-Offset"));
        if (!offset)
            throw ApiError::badRequest("Upload-Offset is required.");
        if (*offset != upload.offsetBytes)
            throw ApiError(409, "offset_mismatch",
                           "Upload-Offset is " + std::to_string(*offset) + ", the server has " +
                               std::to_string(upload.offsetBytes) + " bytes.");
        if (upload.completed)
            throw ApiError(409, "upload_complete", "This upload is already complete.");

        ChecksumAlgorithm algorithm = ChecksumAlgorithm::None;
        std::string expected;
        if (const std::string checksum = req.get_header_value("Upload-Checksum");
            !checksum.empty()) {
            const auto space = checksum.find(' ');
            const std::string name = checksum.substr(0, space);
            if (name == "sha1")
                algorithm = ChecksumAlgorithm::Sha1;
            else if (name == "sha256")
                algorithm = ChecksumAlgorithm::Sha256;
            else
                throw ApiError::badRequest("Upload-Checksum algorithm '" + name +
                                           "' is not supported (sha1, sha256).");
            auto digest = space == std::string::npos ? std::nullopt
                                                     : base64Decode(checksum.substr(space + 1));
            if (!digest)
                throw ApiError::badRequest("Upload-Checksum is not '<algorithm> <base64>'.");
            expected = *digest;
        }

        std::int64_t newOffset = upload.offsetBytes;
        const auto outcome = store.append(
            upload,
            [&reader](const std::function<bool(const char*, std::size_t)>& sink) {
                return reader(
                    [&sink](const char* data, std::size_t size) { return sink(data, size); });
            },
            algorithm, expected, newOffset);
        switch (outcome) {
        case AppendOutcome::ChecksumMismatch:
            throw ApiError(460, "checksum_mismatch",
                           "The chunk does not match its Upload-Checksum; nothing was stored.");
        case AppendOutcome::TooLong:
            throw ApiError(413, "too_long",
                           "The chunk goes past Upload-Length; nothing was stored.");
        case AppendOutcome::Busy:
            throw ApiError(409, "upload_busy", "Another request is writing to this upload.");
        case AppendOutcome::Stored:
        case AppendOutcome::Interrupted:
        case AppendOutcome::Invalid:
            break;
        }
        res.headers.erase("Connection");
        res.set_header("Upload-Offset", std::to_string(newOffset));
        res.set_header("Upload-Expires", upload.expiresAt);
        res.status = 204;
        if (newOffset == upload.lengthBytes) {
            videos.markProcessing(upload.videoId);
            ingest.enqueue(upload.id);
        }
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
