#include "web/WebPages.h"

#include "http/JsonResponse.h"

#include "accounts/RequestAuth.h"

#include <fstream>
#include <optional>
#include <regex>
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

enum class Subject { None = 1, Video, Creator }; // what PageChecks must find for matches[1]

struct Page {
    const char* route;
    const char* name; // pages/<name>.html, static/js/pages/<name>.js
    Subject subject = Subject::None;
};

constexpr const char* kNotFoundPage = "notfound";

constexpr Page kPages[] = {
    {"/", "index"},
    {"/signin", "signin"},
    {"/signup", "signup"},
    {"/forgot", "forgot"},
    {"/reset", "reset"},
    {"/account", "account"},
    {"/wallet", "wallet"},
    {"/affiliate", "affiliate"},
    {"/library", "library"},
    {"/terms", "terms"},
    {"/privacy", "privacy"},
    {R"(/v/([A-Za-z0-9_-]{8,32}))", "video", Subject::Video},
    {R"(/watch/([A-Za-z0-9_-]{8,32}))", "watch", Subject::Video},
    {R"(/c/([A-Za-z0-9][A-Za-z0-9_.-]{2,31}))", "creator", Subject::Creator},
};

constexpr const char* kReferralCookie = "rg_ref";
constexpr int kReferralMaxAgeSeconds = 30 * 24 * 3600;
constexpr const char* kHlsRoute = "/static/vendor/hls.min.js";

// Only these characters reach the cookie and the page, so neither needs escaping.
bool isReferrerName(const std::string& name) {
    static const std::regex kName("[A-Za-z0-9_.-]{1,40}");
    return std::regex_match(name, kName);
}

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
// referrer is already checked by isReferrerName() (or empty).
std::optional<std::string> composePage(const fs::path& webDir, const std::string& name,
                                       const std::string& referrer) {
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
    replaceAll(*layout, "{{referrer}}", referrer);
    replaceAll(*layout, "{{main}}", *fragment);
    return layout;
}

bool subjectExists(const PageChecks& checks, Subject subject, const httplib::Request& req) {
    switch (subject) {
    case Subject::Video:
        return !checks.video || checks.video(req, req.matches[1].str());
    case Subject::Creator:
        return !checks.creator || checks.creator(req.matches[1].str());
    case Subject::None:
        break;
    }
    return true;
}

void sendPage(httplib::Response& res, const fs::path& webDir, const std::string& name,
              const std::string& referrer, int status) {
    const auto html = composePage(webDir, name, referrer);
    if (!html) {
        http::sendError(res, 404, "not_found", "This page is missing.");
        return;
    }
    res.status = status;
    res.set_header("Content-Security-Policy", kContentSecurityPolicy);
    res.set_header("Cache-Control", "no-cache");
    res.set_content(*html, "text/html; charset=utf-8");
}

// A browser navigating asks for text/html; API clients, players and scripts do not.
bool wantsPage(const httplib::Request& req) {
    return req.path.rfind("/api/", 0) != 0 &&
           req.get_header_value("Accept").find("text/html") != std::string::npos;
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

void registerWebPages(httplib::Server& server, const fs::path& webDir, const std::string& publicUrl,
                      PageChecks checks) {
    server.set_mount_point("/static", (webDir / "static").string(),
                           {{"Cache-Control", "no-cache"}});
    server.set_file_extension_and_mimetype_mapping("mjs", "text/javascript");

    // The version is pinned in resources/web/package.json; an upgrade ships with a release.
    server.Get(kHlsRoute, [webDir](const httplib::Request&, httplib::Response& res) {
        const auto script = readText(webDir / "node_modules/hls.js/dist/hls.min.js");
        if (!script) {
            http::sendError(res, 404, "not_found",
                            "The video player (hls.js) is not installed; run npm ci in the web "
                            "directory.");
            return;
        }
        res.set_header("Cache-Control", "public, max-age=86400");
        res.set_content(*script, "text/javascript; charset=utf-8");
    });

    const std::string cookieAttrs = "; Max-Age=" + std::to_string(kReferralMaxAgeSeconds) +
                                    "; Path=/; SameSite=Lax; HttpOnly" +
                                    (publicUrl.rfind("https://", 0) == 0 ? "; Secure" : "");
    for (const auto& page : kPages) {
        server.Get(page.route, [webDir, cookieAttrs, checks, subject = page.subject,
                                name = std::string(page.name)](const httplib::Request& req,
                                                               httplib::Response& res) {
            // A fresh ?ref= wins over the remembered one; a malformed one is ignored.
            std::string referrer = req.get_param_value("ref");
            if (isReferrerName(referrer))
                res.set_header("Set-Cookie", kReferralCookie + ("=" + referrer) + cookieAttrs);
            else
                referrer = accounts::RequestAuth::cookie(req, kReferralCookie).value_or("");
            if (!isReferrerName(referrer))
                referrer.clear();
            if (subjectExists(checks, subject, req))
                sendPage(res, webDir, name, referrer, 200);
            else
                sendPage(res, webDir, kNotFoundPage, referrer, 404);
        });
    }

    // It answers every GET no earlier route matched: a GET route registered after this call
    // would never be reached, so the web pages are registered last.
    server.Get(".*", [webDir](const httplib::Request& req, httplib::Response& res) {
        if (wantsPage(req))
            sendPage(res, webDir, kNotFoundPage, "", 404);
        else
            http::sendError(res, 404, "not_found", "There is nothing at this address.");
    });
}

} // namespace reelgate::server::web
