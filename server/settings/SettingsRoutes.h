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

// onChange (optional) hears every change with the admin who made it, inside the change's
// transaction (`conn`), so that what it writes (the audit log) commits with the change or not at
// all.
using SettingsChanged = std::function<void(
    db::PgConnection& conn, const accounts::AuthContext& admin, const nlohmann::json& changes)>;

void registerSettingsRoutes(httplib::Server& server, PlatformSettings& settings,
                            accounts::RequestAuth& auth, SettingsChanged onChange = {});

} // namespace reelgate::server::settings
