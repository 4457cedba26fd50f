#include "health/HealthRoutes.h"

#include "http/JsonResponse.h"
#include "reelgate/core/Version.h"

namespace reelgate::server {

void registerHealthRoutes(httplib::Server& server, HealthService& health) {
    server.Get("/healthz", [&health](const httplib::Request&, httplib::Response& res) {
        const HealthReport report = health.check();
        res.set_header("Cache-Control", "no-store");
        if (report.databaseOk) {
            http::sendJson(res, 200, {{"status", "ok"}, {"database", "ok"}, {"version", kVersion}});
        } else {
            http::sendJson(res, 503,
                           {{"status", "unavailable"},
                            {"database", "error"},
                            {"reason", report.reason},
                            {"version", kVersion}});
        }
    });
}

} // namespace reelgate::server
