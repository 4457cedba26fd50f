#include "settings/SettingsRoutes.h"

#include "http/JsonBody.h"
#include "http/JsonResponse.h"

namespace reelgate::server::settings {

void registerSettingsRoutes(httplib::Server& server, PlatformSettings& settings,
                            accounts::RequestAuth& auth) {
    server.Get("/api/platform", [&](const httplib::Request&, httplib::Response& res) {
        http::sendJson(res, 200, settings.publicJson());
    });
    server.Get("/api/admin/settings", [&](const httplib::Request& req, httplib::Response& res) {
        auth.requireAdmin(req);
        http::sendJson(res, 200, {{"settings", settings.adminJson()}});
    });
    const auto update = [&](const httplib::Request& req, httplib::Response& res) {
        auth.requireAdmin(req);
        http::JsonBody body(req);
        http::sendJson(res, 200, {{"settings", settings.update(body.json())}});
    };
    server.Put("/api/admin/settings", update);
    server.Patch("/api/admin/settings", update); // the same: only the fields sent change
}

} // namespace reelgate::server::settings
