#pragma once
// Videos over HTTP. Creators: POST /api/videos (draft), GET /api/me/videos, GET/PATCH
// /api/videos/{id}, PUT/GET /api/videos/{id}/allowlist, POST /api/videos/{id}/unpublish and
// /republish, DELETE /api/videos/{id} (answers how many buyers keep access).
// Everyone: GET /api/catalog (published and public), GET /api/videos/{id} (published; unlisted
// ones by their link; unpublished and deleted ones for their buyers); the poster, preview and
// watermark routes are in VideoMediaRoutes.h.
// Prices come with display_prices (the admin's display currencies); GET /api/videos/{id} tells a
// signed-in viewer whether they own it. Removing someone from an allowlist ends their playback
// sessions of that video (viewers).

#include "accounts/RequestAuth.h"
#include "catalog/VideoService.h"
#include "catalog/ViewerAccess.h"
#include "settings/PlatformSettings.h"

#include <httplib.h>

#include <filesystem>

namespace reelgate::server::catalog {

// videosDir: <data-dir>/videos, where published packages live (unused since the poster moved).
void registerCatalogRoutes(httplib::Server& server, VideoService& videos,
                           accounts::RequestAuth& auth, const std::filesystem::path& videosDir,
                           settings::PlatformSettings& settings, ViewerAccess& viewers);

} // namespace reelgate::server::catalog
