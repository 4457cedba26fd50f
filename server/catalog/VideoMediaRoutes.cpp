#include "catalog/VideoMediaRoutes.h"

#include "catalog/VideoMediaImage.h"
#include "http/ApiError.h"
#include "http/FileResponse.h"
#include "http/JsonBody.h"
#include "http/JsonResponse.h"
#include "reelgate/core/Text.h"

namespace reelgate::server::catalog {
namespace {

using http::ApiError;
using nlohmann::json;

constexpr const char* kVideo = R"(/api/videos/([A-Za-z0-9_-]{8,32}))";

int statusFor(PosterRefused::Reason reason) {
    switch (reason) {
    case PosterRefused::Reason::TooLarge:
        return 413;
    case PosterRefused::Reason::NotAnImage:
        return 415;
    case PosterRefused::Reason::Unfit:
        break;
    }
    return 422;
}

} // namespace

void registerVideoMediaRoutes(httplib::Server& server, VideoMediaService& media,
                              accounts::RequestAuth& auth) {
    server.Get(std::string(kVideo) + "/poster",
               [&media](const httplib::Request& req, httplib::Response& res) {
                   const auto poster = media.poster(req.matches[1].str());
                   if (!poster)
                       throw ApiError::notFound("This video has no poster.");
                   // Revalidated often: the creator may replace it; the ETag makes that cheap.
                   res.set_header("Cache-Control", "public, max-age=300");
                   res.set_header("ETag", poster->etag);
                   if (req.get_header_value("If-None-Match") == poster->etag) {
                       res.status = 304;
                       return;
                   }
                   if (!http::sendFile(res, poster->file, poster->contentType))
                       throw ApiError::notFound("This video has no poster.");
               });

    server.Get(std::string(kVideo) + "/media",
               [&media](const httplib::Request& req, httplib::Response& res) {
                   const auto found = media.publicMedia(req.matches[1].str());
                   if (!found)
                       throw ApiError::notFound("There is no video here.");
                   res.set_header("Cache-Control", "public, max-age=60");
                   http::sendJson(res, 200, *found);
               });

    server.Put(
        std::string(kVideo) + "/poster", [&](const httplib::Request& req, httplib::Response& res) {
            const auto ctx = auth.requireCreator(req);
            try {
                const Video video = media.setPoster(ctx.user.id, req.matches[1].str(), req.body);
                http::sendJson(res, 200, {{"video", video.toJson(true)}});
            } catch (const PosterRefused& e) {
                throw ApiError(statusFor(e.reason()), "invalid_poster",
                               std::string("The poster was refused: ") + e.what() + ".");
            }
        });

    server.Get(std::string(kVideo) + "/preview",
               [&](const httplib::Request& req, httplib::Response& res) {
                   const auto ctx = auth.requireCreator(req);
                   http::sendJson(res, 200, media.preview(ctx.user.id, req.matches[1].str()));
               });

    server.Put(std::string(kVideo) + "/preview", [&](const httplib::Request& req,
                                                     httplib::Response& res) {
        const auto ctx = auth.requireCreator(req);
        http::JsonBody body(req);
        const json& seconds = body.json().value("seconds", json());
        if (!seconds.is_number_integer() || seconds.get<std::int64_t>() < 0 ||
            seconds.get<std::int64_t>() > VideoMediaService::kMaxPreviewSeconds)
            throw ApiError::badRequest("'seconds' must be a whole number from 0 (no preview) to " +
                                       std::to_string(VideoMediaService::kMaxPreviewSeconds) + ".");
        http::sendJson(res, 200,
                       {{"seconds", media.setPreviewSeconds(ctx.user.id, req.matches[1].str(),
                                                            seconds.get<int>())}});
    });

    server.Get(std::string(kVideo) + "/watermark",
               [&](const httplib::Request& req, httplib::Response& res) {
                   const auto ctx = auth.requireCreator(req);
                   http::sendJson(res, 200, media.watermark(ctx.user.id, req.matches[1].str()));
               });

    server.Put(std::string(kVideo) + "/watermark", [&](const httplib::Request& req,
                                                       httplib::Response& res) {
        const auto ctx = auth.requireCreator(req);
        http::JsonBody body(req);
        // {"watermark": {...}} or the spec itself, as the studio's WatermarkSpec writes it.
        const json& spec =
            body.json().contains("watermark") ? body.json()["watermark"] : body.json();
        http::sendJson(res, 200, media.setWatermark(ctx.user.id, req.matches[1].str(), spec));
    });
}

} // namespace reelgate::server::catalog
