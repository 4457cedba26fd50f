#pragma once
// GET /api/platform (anyone: fee, affiliate cap, stream limit, display currencies and rates);
// GET/PUT/PATCH /api/admin/settings (admins;
// PUT and PATCH both change only the fields sent).

#include "accounts/RequestAuth.h"
#include "settings/PlatformSettings.h"

#include <httplib.h>

namespace reelgate::server::settings {

void registerSettingsRoutes(httplib::Server& server, PlatformSettings& settings,
                            accounts::RequestAuth& auth);

} // namespace reelgate::server::settings
