#pragma once
// The buyer-facing pages (plain HTML/CSS/JS from resources/web) and their static assets.
// Pages get a strict Content-Security-Policy; files are served only from inside the web dir
// (httplib's mount point refuses '..' and absolute paths). hls.js is served from the web dir's
// node_modules (npm ci in resources/web) at /static/vendor/hls.min.js.
// A page GET with ?ref=USERNAME remembers the referrer for 30 days in the HttpOnly `rg_ref`
// cookie (read by the purchase endpoint) and tells the page through <body data-referrer>.
// A page whose subject does not exist (PageChecks), and any unknown address a browser asks for
// as a page (Accept: text/html, outside /api/), answers the HTML "not found" page with 404;
// other unknown addresses keep the JSON error.

#include <httplib.h>

#include <filesystem>
#include <functional>
#include <string>

namespace reelgate::server::web {

// `configured` if set; else the installed copy (<prefix>/share/reelgate/web next to the
// binary); else the source tree's resources/web. Throws std::runtime_error when none exists.
std::filesystem::path resolveWebDir(const std::filesystem::path& configured);

// Whether the subject of a page exists for this request; unset checks pass everything.
struct PageChecks {
    std::function<bool(const httplib::Request&, const std::string& videoId)> video;
    std::function<bool(const std::string& username)> creator;
};

// publicUrl: how users reach the server; https://... makes the referral cookie Secure.
void registerWebPages(httplib::Server& server, const std::filesystem::path& webDir,
                      const std::string& publicUrl = {}, PageChecks checks = {});

} // namespace reelgate::server::web
