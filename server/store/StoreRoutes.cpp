#include "store/StoreRoutes.h"

#include "catalog/CatalogRoutes.h"
#include "http/ApiError.h"
#include "http/JsonBody.h"
#include "http/JsonResponse.h"

namespace reelgate::server::store {
namespace {

using http::ApiError;
using nlohmann::json;

constexpr const char* kProgress = R"(/api/videos/([A-Za-z0-9_-]{8,32})/progress)";
constexpr const char* kCreator = R"(/api/creators/([A-Za-z0-9][A-Za-z0-9_.-]{2,31}))";
constexpr const char* kSiteText = R"(/api/site/([a-z_]{1,20}))";
constexpr const char* kAdminSiteText = R"(/api/admin/site/([a-z_]{1,20}))";

json positionJson(const WatchPosition& at, const catalog::Video& video) {
    return {{"position_ms", at.positionMs},
            {"duration_ms", video.durationMs},
            {"updated_at", at.updatedAt.empty() ? json() : json(at.updatedAt)}};
}

json videoJson(const catalog::Video& video, settings::PlatformSettings& settings) {
    json out = video.toJson(false);
    out["display_prices"] = settings.displayPrices(video.price);
    return out;
}

} // namespace

void registerStoreRoutes(httplib::Server& server, StoreServices& store,
                         catalog::VideoService& videos, accounts::RequestAuth& auth,
                         catalog::ViewerAccess& viewers, settings::PlatformSettings& settings) {
    // The video a viewer may watch, or the refusal a stranger gets (404 as for a missing one).
    const auto watchable = [&](const httplib::Request& req) {
        auto seen = catalog::visibleVideo(videos, auth, viewers, req, req.matches[1].str());
        if (!seen || !seen->rights || !seen->rights->canWatch())
            throw ApiError::notFound("You have no video with that id to watch.");
        return seen->video;
    };

    server.Get(kProgress, [&, watchable](const httplib::Request& req, httplib::Response& res) {
        const auto ctx = auth.require(req);
        const auto video = watchable(req);
        http::sendJson(res, 200, positionJson(store.history.position(ctx.user.id, video), video));
    });

    server.Put(kProgress, [&, watchable](const httplib::Request& req, httplib::Response& res) {
        const auto ctx = auth.require(req);
        http::JsonBody body(req);
        const json& position = body.json().value("position_ms", json());
        if (!position.is_number())
            throw ApiError::badRequest("'position_ms' must be a number of milliseconds.");
        const auto video = watchable(req);
        const double asked = position.get<double>();
        // Out of any video's range (negative, huge): -1, which record() refuses.
        const std::int64_t ms = asked >= 0 && asked <= 1e12 ? static_cast<std::int64_t>(asked) : -1;
        http::sendJson(res, 200, positionJson(store.history.record(ctx.user.id, video, ms), video));
    });

    server.Get("/api/me/library", [&](const httplib::Request& req, httplib::Response& res) {
        const auto ctx = auth.require(req);
        json list = json::array();
        for (const auto& entry : store.history.library(ctx.user.id)) {
            json item = videoJson(entry.video, settings);
            item["access"] = entry.purchased ? "purchased" : "allowlisted";
            item["purchased_at"] = entry.purchasedAt.empty() ? json() : json(entry.purchasedAt);
            item["position_ms"] = entry.watched.positionMs;
            item["watched_at"] =
                entry.watched.updatedAt.empty() ? json() : json(entry.watched.updatedAt);
            item["available"] = entry.video.state == "published" || entry.purchased;
            list.push_back(item);
        }
        http::sendJson(res, 200, {{"videos", list}});
    });

    server.Get(kCreator, [&](const httplib::Request& req, httplib::Response& res) {
        const auto profile = store.profiles.findCreator(req.matches[1].str());
        if (!profile)
            throw ApiError::notFound("There is no creator with that name.");
        catalog::CatalogFilter filter = catalog::catalogFilter(req);
        filter.creator = profile->userId;
        const auto page = videos.catalog(filter);
        json list = json::array();
        for (const auto& video : page.videos)
            list.push_back(videoJson(video, settings));
        http::sendJson(res, 200,
                       {{"creator", profile->toJson()},
                        {"videos", list},
                        {"next_offset", page.nextOffset ? json(*page.nextOffset) : json()}});
    });

    server.Get("/api/me/profile", [&](const httplib::Request& req, httplib::Response& res) {
        const auto ctx = auth.require(req);
        const auto profile = store.profiles.forUser(ctx.user.id);
        json out = profile.toJson();
        out["display_name"] = profile.displayName; // as typed, for the edit form
        http::sendJson(res, 200, {{"profile", out}});
    });

    server.Put("/api/me/profile", [&](const httplib::Request& req, httplib::Response& res) {
        const auto ctx = auth.requireCreator(req);
        http::JsonBody body(req);
        const auto profile = store.profiles.update(ctx.user.id, body.json());
        json out = profile.toJson();
        out["display_name"] = profile.displayName;
        http::sendJson(res, 200, {{"profile", out}});
    });

    server.Get(kSiteText, [&](const httplib::Request& req, httplib::Response& res) {
        http::sendJson(res, 200, {{"text", store.texts.get(req.matches[1].str())}});
    });

    server.Put(kAdminSiteText, [&](const httplib::Request& req, httplib::Response& res) {
        auth.requireAdmin(req);
        http::JsonBody body(req);
        const std::string text =
            body.requiredText("body", {.maxChars = SiteTexts::kMaxChars, .allowNewlines = true});
        http::sendJson(res, 200, {{"text", store.texts.set(req.matches[1].str(), text)}});
    });
}

web::PageChecks storePageChecks(StoreServices& store, catalog::VideoService& videos,
                                accounts::RequestAuth& auth, catalog::ViewerAccess& viewers) {
    web::PageChecks checks;
    checks.video = [&videos, &auth, &viewers](const httplib::Request& req, const std::string& id) {
        return catalog::visibleVideo(videos, auth, viewers, req, id).has_value();
    };
    checks.creator = [&store](const std::string& username) {
        return store.profiles.findCreator(username).has_value();
    };
    return checks;
}

} // namespace reelgate::server::store
