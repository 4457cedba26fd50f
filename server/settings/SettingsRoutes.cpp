#include "settings/SettingsRoutes.h"

#include "http/JsonBody.h"
#include "http/JsonResponse.h"

namespace reelgate::server::settings {

void registerSettingsRoutes(httplib::Server& server, PlatformSettings& settings,
                            accounts::RequestAuth& auth, SettingsChanged onChange) {
    server.Get("/api/platform", [&](const httplib::Request&, httplib::Response& res) {
        http::sendJson(res, 200, settings.publicJson());
    });
    server.Get("/api/admin/settings", [&](const httplib::Request& req, httplib::Response& res) {
        auth.requireAdmin(req);
        http::sendJson(res, 200, {{"settings", settings.adminJson()}});
    });
    const auto update = [&settings, &auth, onChange](const httplib::Request& req,
                                                     httplib::Response& res) {
        const auto ctx = auth.requireAdmin(req);
        http::JsonBody body(req);
        const auto applied = settings.update(body.json(), [&](db::PgConnection& conn) {
            if (onChange)
                onChange(conn, ctx, body.json());
        });
        http::sendJson(res, 200, {{"settings", applied}});
    };
    server.Put("/api/admin/settings", update);
    server.Patch("/api/admin/settings", update); // the same: only the fields sent change
}

} // namespace reelgate::server::settings
