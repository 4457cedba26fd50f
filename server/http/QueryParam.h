#pragma once
// Reading query parameters. A malformed value is the caller's mistake: ApiError 400.

#include <httplib.h>

namespace reelgate::server::http {

// The whole-number parameter `name`, or `fallback` when absent.
int queryInt(const httplib::Request& req, const char* name, int fallback);

} // namespace reelgate::server::http
