#include "web/WebPages.h"

#include "http/JsonResponse.h"

#include <fstream>
#include <optional>
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
    const char* name; // pages/<name>.html, static/js/pages/<name>.js
};

constexpr Page kPages[] = {
    {"/", "index"},        {"/signin", "signin"}, {"/signup", "signup"},
    {"/forgot", "forgot"}, {"/reset", "reset"},   {"/account", "account"},
};

std::optional<std::string> readText(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void replaceAll(std::string& text, const std::string& from, const std::string& to) {
    for (auto pos = text.find(from); pos != std::string::npos;
         pos = text.find(from, pos + to.size()))
        text.replace(pos, from.size(), to);
}

// A page file is its <main> fragment after a first line "<!-- title: ... -->"; the shared
// head, header and footer come from layout.html.
std::optional<std::string> composePage(const fs::path& webDir, const std::string& name) {
    auto layout = readText(webDir / "layout.html");
    auto fragment = readText(webDir / "pages" / (name + ".html"));
    if (!layout || !fragment)
        return std::nullopt;
    std::string title = "Reelgate";
    const std::string marker = "<!-- title: ";
    if (fragment->rfind(marker, 0) == 0) {
        const auto end = fragment->find(" -->");
        title = fragment->substr(marker.size(), end - marker.size());
        fragment->erase(0, fragment->find('\n', end) + 1);
    }
    replaceAll(*layout, "{{title}}", title);
    replaceAll(*layout, "{{page}}", name);
    replaceAll(*layout, "{{main}}", *fragment);
    return layout;
}

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
        if (fs::exists(dir / "layout.html", ec))
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
        server.Get(page.route, [webDir, name = std::string(page.name)](const httplib::Request&,
                                                                       httplib::Response& res) {
            const auto html = composePage(webDir, name);
            if (!html) {
                http::sendError(res, 404, "not_found", "This page is missing.");
                return;
            }
            res.set_header("Content-Security-Policy", kContentSecurityPolicy);
            res.set_header("Cache-Control", "no-cache");
            res.set_content(*html, "text/html; charset=utf-8");
        });
    }
}

} // namespace reelgate::server::web
