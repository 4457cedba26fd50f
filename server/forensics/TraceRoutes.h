#pragma once
// Admin API for leak traces: POST /api/admin/traces?video=ID with the suspect recording as the
// raw body (streamed to disk, at most the upload limit) answers 202 with a job id;
// GET /api/admin/traces/{id} tells its state and, when done, the result.

#include "accounts/RequestAuth.h"
#include "forensics/TraceJobs.h"

#include <httplib.h>

#include <cstdint>

namespace reelgate::server::forensics {

void registerTraceRoutes(httplib::Server& server, TraceJobs& jobs, accounts::RequestAuth& auth,
                         std::int64_t maxBytes);

} // namespace reelgate::server::forensics
