#include "accounts/RequestAuth.h"

#include "http/ApiError.h"
#include "reelgate/core/Base64Url.h"
#include "reelgate/core/Crypto.h"

namespace reelgate::server::accounts {
using http::ApiError;
namespace {

bool isSafeMethod(const std::string& method) {
    return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

std::string originOf(const std::string& url) {
    const auto scheme = url.find("://");
    if (scheme == std::string::npos)
        return url;
    const auto path = url.find('/', scheme + 3);
    return path == std::string::npos ? url : url.substr(0, path);
}

std::string trimmed(const std::string& s) {
    const auto a = s.find_first_not_of(' ');
    const auto b = s.find_last_not_of(' ');
    return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

} // namespace

RequestAuth::RequestAuth(SessionStore& sessions, const std::string& publicUrl)
    : sessions_(sessions)
    , publicOrigin_(originOf(publicUrl))
    , publicScheme_(publicUrl.rfind("https://", 0) == 0 ? "https" : "http")
    , secureCookies_(publicUrl.rfind("https://", 0) == 0) {}

std::optional<std::string> RequestAuth::cookie(const httplib::Request& req,
                                               const std::string& name) {
    const std::string header = req.get_header_value("Cookie");
    std::size_t pos = 0;
    while (pos < header.size()) {
        auto end = header.find(';', pos);
        if (end == std::string::npos)
            end = header.size();
        const std::string part = trimmed(header.substr(pos, end - pos));
        const auto eq = part.find('=');
        if (eq != std::string::npos && part.substr(0, eq) == name)
            return part.substr(eq + 1);
        pos = end + 1;
    }
    return std::nullopt;
}

std::string RequestAuth::csrfTokenFor(const std::string& sessionSecret) {
    return core::base64UrlEncode(core::hmacSha256(sessionSecret, "reelgate-csrf-v1"));
}

std::string RequestAuth::credential(const httplib::Request& req) {
    const std::string authorization = req.get_header_value("Authorization");
    if (authorization.rfind("Bearer ", 0) == 0)
        return "bearer " + trimmed(authorization.substr(7));
    if (auto secret = cookie(req, kSessionCookie))
        return "cookie " + *secret;
    return {};
}

std::optional<AuthContext> RequestAuth::identify(const httplib::Request& req) {
    const std::string authorization = req.get_header_value("Authorization");
    if (authorization.rfind("Bearer ", 0) == 0) {
        auto ctx = sessions_.resolve(trimmed(authorization.substr(7)));
        if (!ctx || ctx->kind != accounts::SessionKind::Token)
            throw ApiError(401, "invalid_token", "This token is unknown, expired or revoked.");
        return ctx;
    }
    if (auto secret = cookie(req, kSessionCookie)) {
        auto ctx = sessions_.resolve(*secret);
        if (ctx && ctx->kind == accounts::SessionKind::Browser)
            return ctx;
    }
    return std::nullopt;
}

bool RequestAuth::sameOrigin(const httplib::Request& req) const {
    const std::string origin = req.get_header_value("Origin");
    if (origin.empty())
        return false;
    if (origin == publicOrigin_)
        return true;
    // The same host and the scheme the public URL names (the http:// twin of an https site is
    // another origin: a network attacker can serve it).
    const std::string host = req.get_header_value("Host");
    return !host.empty() && origin == publicScheme_ + "://" + host;
}

void RequestAuth::refuseForeignOrigin(const httplib::Request& req) const {
    if (req.has_header("Origin") && !sameOrigin(req))
        throw ApiError(403, "csrf_failed", "This request came from another site and was refused.");
}

AuthContext RequestAuth::require(const httplib::Request& req) {
    auto ctx = identify(req);
    if (!ctx)
        throw ApiError::unauthorized();
    if (ctx->user.suspended)
        throw ApiError(403, "account_suspended", "This account is suspended.");
    if (ctx->kind == accounts::SessionKind::Browser && !isSafeMethod(req.method)) {
        const std::string presented = req.get_header_value(kCsrfHeader);
        const bool tokenOk =
            !presented.empty() && core::constantTimeEqual(presented, csrfTokenFor(ctx->secret));
        if (!tokenOk && !sameOrigin(req))
            throw ApiError(403, "csrf_failed",
                           "Missing or wrong CSRF token; reload the page and try again.");
        if (!tokenOk && req.has_header(kCsrfHeader))
            throw ApiError(403, "csrf_failed", "Wrong CSRF token; reload the page and try again.");
    }
    return *ctx;
}

AuthContext RequestAuth::requireAdmin(const httplib::Request& req) {
    auto ctx = require(req);
    if (!ctx.user.isAdmin)
        throw ApiError::forbidden("Only administrators may do this.");
    return ctx;
}

AuthContext RequestAuth::requireCreator(const httplib::Request& req) {
    auto ctx = require(req);
    if (!ctx.user.isCreator)
        throw ApiError::forbidden("Only creators may do this; turn on creator mode first.");
    return ctx;
}

void RequestAuth::setSessionCookies(httplib::Response& res, const IssuedSession& session) const {
    const std::string attrs =
        "; Path=/; SameSite=Lax; Max-Age=2592000" + std::string(secureCookies_ ? "; Secure" : "");
    res.set_header("Set-Cookie",
                   std::string(kSessionCookie) + "=" + session.secret + attrs + "; HttpOnly");
    res.set_header("Set-Cookie",
                   std::string(kCsrfCookie) + "=" + csrfTokenFor(session.secret) + attrs);
}

void RequestAuth::clearSessionCookies(httplib::Response& res) const {
    const std::string attrs =
        "=; Path=/; SameSite=Lax; Max-Age=0" + std::string(secureCookies_ ? "; Secure" : "");
    res.set_header("Set-Cookie", std::string(kSessionCookie) + attrs + "; HttpOnly");
    res.set_header("Set-Cookie", std::string(kCsrfCookie) + attrs);
}

} // namespace reelgate::server::accounts
