#pragma once
// The buyer's store over HTTP. Signed in: GET /api/me/library (bought and allowlisted videos
// with where the viewer stopped), GET/PUT /api/videos/{id}/progress {"position_ms"} (only for
// those who may watch it), GET/PUT /api/me/profile (creators: display name, bio, links).
// Everyone: GET /api/creators/{username} (profile + a page of their public videos, same
// ?sort/?limit/?offset as the catalog), GET /api/site/{terms|privacy|refund_policy}.
// Admins: PUT /api/admin/site/{key} {"body"}.
// storePageChecks() tells the web pages which /v/{id} and /c/{username} exist for a request.

#include "accounts/RequestAuth.h"
#include "catalog/VideoService.h"
#include "catalog/ViewerAccess.h"
#include "settings/PlatformSettings.h"
#include "store/CreatorProfiles.h"
#include "store/SiteTexts.h"
#include "store/WatchHistory.h"
#include "web/WebPages.h"

#include <httplib.h>

namespace reelgate::server::store {

// The store's services, built together from the pool. Thread-safe.
struct StoreServices {
    StoreServices(db::PgPool& pool, catalog::VideoService& videos)
        : history(pool, videos)
        , profiles(pool)
        , texts(pool) {}
    WatchHistory history;
    CreatorProfiles profiles;
    SiteTexts texts;
};

void registerStoreRoutes(httplib::Server& server, StoreServices& store,
                         catalog::VideoService& videos, accounts::RequestAuth& auth,
                         catalog::ViewerAccess& viewers, settings::PlatformSettings& settings);

web::PageChecks storePageChecks(StoreServices& store, catalog::VideoService& videos,
                                accounts::RequestAuth& auth, catalog::ViewerAccess& viewers);

} // namespace reelgate::server::store
