#pragma once
// Videos over HTTP. Creators: POST /api/videos (draft), GET /api/me/videos, GET/PATCH
// /api/videos/{id}, PUT/GET /api/videos/{id}/allowlist, POST /api/videos/{id}/unpublish and
// /republish, DELETE /api/videos/{id} (answers how many buyers keep access).
// Everyone: GET /api/catalog (published and public; ?q= words, ?sort=, ?limit=&offset=, answers
// next_offset or null), GET /api/videos/{id} (published; unlisted
// ones by their link; unpublished and deleted ones for their buyers), the poster, preview
// and watermark routes are in VideoMediaRoutes.h.
// Prices come with display_prices (the admin's display currencies); GET /api/videos/{id} tells a
// signed-in viewer whether they own it. Removing someone from an allowlist ends their playback
// sessions of that video (viewers).

#include "accounts/RequestAuth.h"
#include "catalog/VideoService.h"
#include "catalog/ViewerAccess.h"
#include "settings/PlatformSettings.h"

#include <httplib.h>

#include <filesystem>
#include <functional>
#include <optional>

namespace reelgate::server::catalog {

// A video as one request may see it: nullopt when it must answer "no video here" (a draft of
// somebody else, an unpublished video the caller did not buy, an unknown id).
struct SeenVideo {
    Video video;
    bool owner = false;                // its creator, signed in
    std::optional<VideoAccess> rights; // when signed in
};
std::optional<SeenVideo> visibleVideo(VideoService& videos, accounts::RequestAuth& auth,
                                      ViewerAccess& viewers, const httplib::Request& req,
                                      const std::string& publicId);

// The catalog query of a request (?q, ?sort, ?limit, ?offset); ApiError 400 when malformed.
CatalogFilter catalogFilter(const httplib::Request& req);

// The best quality a published video plays in ("1080p"), for GET /api/videos/{id}'s
// "best_quality" (null when unknown).
using BestQualityOf = std::function<std::optional<std::string>(const Video&)>;

// videosDir: <data-dir>/videos, where published packages live (unused since the poster moved).
void registerCatalogRoutes(httplib::Server& server, VideoService& videos,
                           accounts::RequestAuth& auth, const std::filesystem::path& videosDir,
                           settings::PlatformSettings& settings, ViewerAccess& viewers,
                           BestQualityOf bestQuality);

} // namespace reelgate::server::catalog
