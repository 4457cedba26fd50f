#pragma once
// Reading query parameters. A malformed value is the caller's mistake: ApiError 400 naming the
// parameter, never echoing its bytes (`q=%ff%fe` is a 400, not a 500).

#include <httplib.h>

#include <string>

namespace reelgate::server::http {

// The whole-number parameter `name`, or `fallback` when absent.
int queryInt(const httplib::Request& req, const char* name, int fallback);

// The text parameter `name` (empty when absent): UTF-8 without control characters, at most
// maxChars characters (core/Text.h).
std::string queryText(const httplib::Request& req, const char* name, std::size_t maxChars = 200);

} // namespace reelgate::server::http
