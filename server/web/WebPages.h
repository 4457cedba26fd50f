#pragma once
// The buyer-facing pages (plain HTML/CSS/JS from resources/web) and their static assets.
// Pages get a strict Content-Security-Policy; files are served only from inside the web dir
// (httplib's mount point refuses '..' and absolute paths). hls.js is served from the web dir's
// node_modules (npm ci in resources/web) at /static/vendor/hls.min.js.
// A page GET with ?ref=USERNAME remembers the referrer for 30 days in the HttpOnly `rg_ref`
// cookie (read by the purchase endpoint) and tells the page through <body data-referrer>.

#include <httplib.h>

#include <filesystem>
#include <string>

namespace reelgate::server::web {

// `configured` if set; else the installed copy (<prefix>/share/reelgate/web next to the
// binary); else the source tree's resources/web. Throws std::runtime_error when none exists.
std::filesystem::path resolveWebDir(const std::filesystem::path& configured);

// publicUrl: how users reach the server; https://... makes the referral cookie Secure.
void registerWebPages(httplib::Server& server, const std::filesystem::path& webDir,
                      const std::string& publicUrl = {});

} // namespace reelgate::server::web
