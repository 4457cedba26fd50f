#pragma once
// The buyer-facing pages (plain HTML/CSS/JS from resources/web) and their static assets.
// Pages get a strict Content-Security-Policy; files are served only from inside the web dir
// (httplib's mount point refuses '..' and absolute paths).

#include <httplib.h>

#include <filesystem>

namespace reelgate::server::web {

// `configured` if set; else the installed copy (<prefix>/share/reelgate/web next to the
// binary); else the source tree's resources/web. Throws std::runtime_error when none exists.
std::filesystem::path resolveWebDir(const std::filesystem::path& configured);

void registerWebPages(httplib::Server& server, const std::filesystem::path& webDir);

} // namespace reelgate::server::web
