#pragma once
// GET /healthz -> 200 {"status":"ok","database":"ok","version":"..."} or
// 503 {"status":"unavailable","database":"error","reason":"...","version":"..."}.

#include "health/HealthService.h"

#include <httplib.h>

namespace reelgate::server {

void registerHealthRoutes(httplib::Server& server, HealthService& health);

} // namespace reelgate::server
