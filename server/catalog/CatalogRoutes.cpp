#include "catalog/CatalogRoutes.h"

#include "http/ApiError.h"
#include "http/JsonBody.h"
#include "http/JsonResponse.h"
#include "http/QueryParam.h"
#include "reelgate/core/Text.h"

namespace reelgate::server::catalog {
namespace {

using http::ApiError;
using nlohmann::json;

constexpr const char* kVideo = R"(/api/videos/([A-Za-z0-9_-]{8,32}))";

json shown(const Video& video, bool forOwner, settings::PlatformSettings& settings) {
    json out = video.toJson(forOwner);
    out["display_prices"] = settings.displayPrices(video.price);
    return out;
}

json list(const std::vector<Video>& videos, bool forOwner, settings::PlatformSettings& settings) {
    json out = json::array();
    for (const auto& v : videos)
        out.push_back(shown(v, forOwner, settings));
    return out;
}

} // namespace

CatalogFilter catalogFilter(const httplib::Request& req) {
    CatalogFilter filter;
    filter.search = http::queryText(req, "q", CatalogFilter::kMaxSearchChars);
    const auto sort = CatalogFilter::parseSort(http::queryText(req, "sort", 20));
    if (!sort)
        throw ApiError::badRequest("'sort' is one of newest, price_low, price_high, popular.");
    filter.sort = *sort;
    filter.limit = http::queryInt(req, "limit", 24);
    filter.offset = http::queryInt(req, "offset", 0);
    return filter;
}

std::optional<SeenVideo> visibleVideo(VideoService& videos, accounts::RequestAuth& auth,
                                      ViewerAccess& viewers, const httplib::Request& req,
                                      const std::string& publicId) {
    const auto video = videos.find(publicId);
    if (!video)
        return std::nullopt;
    SeenVideo seen;
    seen.video = *video;
    const auto viewer = auth.identify(req);
    seen.owner = viewer && viewer->user.id == video->creatorId && !video->deleted;
    if (viewer)
        seen.rights = viewers.access(viewer->user, *video);
    // An unpublished or deleted video stays on the page of those who bought it.
    const bool kept = video->state == "unpublished" && !video->packageDir.empty() && seen.rights &&
                      seen.rights->purchased;
    if (!seen.owner && !kept && video->state != "published")
        return std::nullopt;
    return seen;
}

void registerCatalogRoutes(httplib::Server& server, VideoService& videos,
                           accounts::RequestAuth& auth, const std::filesystem::path& /*videosDir*/,
                           settings::PlatformSettings& settings, ViewerAccess& viewers,
                           BestQualityOf bestQuality) {
    server.Get("/api/catalog", [&](const httplib::Request& req, httplib::Response& res) {
        const CatalogPage page = videos.catalog(catalogFilter(req));
        http::sendJson(res, 200,
                       {{"videos", list(page.videos, false, settings)},
                        {"next_offset", page.nextOffset ? json(*page.nextOffset) : json()}});
    });

    server.Get("/api/admin/videos", [&](const httplib::Request& req, httplib::Response& res) {
        auth.requireAdmin(req);
        const std::string search = req.get_param_value("q");
        if (core::checkText(search, {.maxChars = 200}) != core::TextProblem::None)
            throw ApiError(400, "invalid_request",
                           "The search must be text of at most 200 characters.");
        http::sendJson(
            res, 200,
            {{"videos", list(videos.withPackages(search, http::queryInt(req, "limit", 100),
                                                 http::queryInt(req, "offset", 0)),
                             true, settings)}});
    });

    server.Post("/api/videos", [&](const httplib::Request& req, httplib::Response& res) {
        const auto ctx = auth.requireCreator(req);
        http::JsonBody body(req);
        http::sendJson(res, 201, {{"video", videos.create(ctx.user.id, body.json()).toJson(true)}});
    });

    server.Get("/api/me/videos", [&](const httplib::Request& req, httplib::Response& res) {
        const auto ctx = auth.require(req);
        http::sendJson(res, 200,
                       {{"videos", list(videos.listByCreator(ctx.user.id), true, settings)}});
    });

    server.Get(kVideo, [&, bestQuality](const httplib::Request& req, httplib::Response& res) {
        const auto seen = visibleVideo(videos, auth, viewers, req, req.matches[1].str());
        if (!seen)
            throw ApiError::notFound("There is no video here.");
        json out = shown(seen->video, seen->owner, settings);
        const auto quality = bestQuality ? bestQuality(seen->video) : std::nullopt;
        out["best_quality"] = quality ? json(*quality) : json();
        if (seen->rights) {
            out["viewer"] = {{"owned", seen->rights->purchased},
                             {"can_watch", seen->rights->canWatch()},
                             {"is_creator", seen->rights->creator}};
        }
        http::sendJson(res, 200, {{"video", out}});
    });

    server.Patch(kVideo, [&](const httplib::Request& req, httplib::Response& res) {
        const auto ctx = auth.requireCreator(req);
        http::JsonBody body(req);
        http::sendJson(
            res, 200,
            {{"video",
              videos.update(ctx.user.id, req.matches[1].str(), body.json()).toJson(true)}});
    });

    server.Post(std::string(kVideo) + "/unpublish", [&](const httplib::Request& req,
                                                        httplib::Response& res) {
        const auto ctx = auth.requireCreator(req);
        const Video video = videos.unpublish(ctx.user.id, req.matches[1].str());
        viewers.endSessionsWithoutAccess(video.id); // allowlisted viewers stop; buyers keep it
        http::sendJson(res, 200, {{"video", video.toJson(true)}});
    });

    server.Post(std::string(kVideo) + "/republish", [&](const httplib::Request& req,
                                                        httplib::Response& res) {
        const auto ctx = auth.requireCreator(req);
        http::sendJson(
            res, 200,
            {{"video", videos.republish(ctx.user.id, req.matches[1].str()).toJson(true)}});
    });

    server.Delete(kVideo, [&](const httplib::Request& req, httplib::Response& res) {
        const auto ctx = auth.requireCreator(req);
        const Deletion gone = videos.remove(ctx.user.id, req.matches[1].str());
        if (const auto video = videos.find(gone.publicId))
            viewers.endSessionsWithoutAccess(video->id);
        http::sendJson(res, 200, {{"deleted", gone.publicId}, {"buyers_keep_access", gone.buyers}});
    });

    server.Get(std::string(kVideo) + "/allowlist", [&](const httplib::Request& req,
                                                       httplib::Response& res) {
        const auto ctx = auth.requireCreator(req);
        http::sendJson(res, 200,
                       {{"usernames", videos.allowlist(ctx.user.id, req.matches[1].str())}});
    });

    server.Put(std::string(kVideo) + "/allowlist", [&](const httplib::Request& req,
                                                       httplib::Response& res) {
        const auto ctx = auth.requireCreator(req);
        http::JsonBody body(req);
        const json& names = body.json().value("usernames", json());
        if (!names.is_array())
            throw ApiError::badRequest("'usernames' must be a list of usernames.");
        std::vector<std::string> usernames;
        for (const auto& name : names) {
            if (!name.is_string())
                throw ApiError::badRequest("'usernames' must be a list of usernames.");
            usernames.push_back(name.get<std::string>());
        }
        const auto change = videos.setAllowlist(ctx.user.id, req.matches[1].str(), usernames);
        viewers.revokeLostAccess(change.videoId, change.removed);
        http::sendJson(res, 200, {{"usernames", change.usernames}});
    });
}

} // namespace reelgate::server::catalog
