#include "web/WebPages.h"

#include "http/JsonResponse.h"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace reelgate::server::web {
namespace fs = std::filesystem;

namespace {

constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

fs::path executableDir() {
    std::error_code ec;
    const auto exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : exe.parent_path();
}

struct Page {
    const char* route;
    const char* file;
};

constexpr Page kPages[] = {
    {"/", "index.html"},        {"/signin", "signin.html"}, {"/signup", "signup.html"},
    {"/forgot", "forgot.html"}, {"/reset", "reset.html"},   {"/account", "account.html"},
};

} // namespace

fs::path resolveWebDir(const fs::path& configured) {
    std::vector<fs::path> candidates;
    if (!configured.empty())
        candidates.push_back(configured);
    else {
        candidates.push_back(executableDir() / "../share/reelgate/web");
        candidates.push_back(REELGATE_SOURCE_WEB_DIR);
    }
    for (const auto& dir : candidates) {
        std::error_code ec;
        if (fs::exists(dir / "pages/index.html", ec))
            return fs::canonical(dir, ec);
    }
    throw std::runtime_error("the web pages are missing (looked in " + candidates.front().string() +
                             "); pass --web-dir");
}

void registerWebPages(httplib::Server& server, const fs::path& webDir) {
    server.set_mount_point("/static", (webDir / "static").string(),
                           {{"Cache-Control", "no-cache"}});
    server.set_file_extension_and_mimetype_mapping("mjs", "text/javascript");
    for (const auto& page : kPages) {
        const fs::path file = webDir / "pages" / page.file;
        server.Get(page.route, [file](const httplib::Request&, httplib::Response& res) {
            std::ifstream in(file, std::ios::binary);
            if (!in) {
                http::sendError(res, 404, "not_found", "This page is missing.");
                return;
            }
            std::ostringstream html;
            html << in.rdbuf();
            res.set_header("Content-Security-Policy", kContentSecurityPolicy);
            res.set_header("Cache-Control", "no-cache");
            res.set_content(html.str(), "text/html; charset=utf-8");
        });
    }
}

} // namespace reelgate::server::web
