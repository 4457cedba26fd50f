#pragma once
// GET /api/platform (anyone: fee, affiliate cap, stream limit, display currencies and rates);
// GET/PUT/PATCH /api/admin/settings (admins;
// PUT and PATCH both change only the fields sent).

#include "accounts/RequestAuth.h"
#include "settings/PlatformSettings.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <functional>

namespace reelgate::server::settings {

// onChange (optional) hears every applied change with the admin who made it (the audit log).
using SettingsChanged =
    std::function<void(const accounts::AuthContext& admin, const nlohmann::json& changes)>;

void registerSettingsRoutes(httplib::Server& server, PlatformSettings& settings,
                            accounts::RequestAuth& auth, SettingsChanged onChange = {});

} // namespace reelgate::server::settings
