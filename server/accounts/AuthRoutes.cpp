#include "accounts/AuthRoutes.h"

#include "common/ServiceError.h"
#include "http/ApiError.h"
#include "http/JsonBody.h"
#include "http/JsonResponse.h"

namespace reelgate::server::accounts {
namespace {

using http::ApiError;
using http::JsonBody;
using nlohmann::json;

void throttle(http::RateLimiter& limiter, const std::string& key) {
    if (const int wait = limiter.retryAfterSeconds(key); wait > 0)
        throw ApiError(429, "rate_limited",
                       "Too many attempts. Try again in " + std::to_string(wait) + " seconds.",
                       wait);
}

json sessionReply(const User& user, const IssuedSession& session) {
    return {{"user", user.toJson()},
            {"csrf_token", accounts::RequestAuth::csrfTokenFor(session.secret)},
            {"expires_at", session.expiresAt}};
}

void reserve(AttemptLimiter& limiter, const std::string& key) {
    if (const int wait = limiter.reserve(key); wait > 0)
        throw ApiError(429, "rate_limited",
                       "Too many attempts. Try again in " + std::to_string(wait) + " seconds.",
                       wait);
}

// One key per account, whatever name of it was used; a login that names no account is
// counted under its normalized text.
std::string accountKeyFor(AccountsService& accounts, const std::string& login) {
    if (const auto id = accounts.accountFor(login))
        return "user:" + std::to_string(id->value);
    return "login:" + AccountsService::normalize(login);
}

std::string loginField(const JsonBody& body) {
    if (auto login = body.optionalString("login", 254))
        return *login;
    if (auto username = body.optionalString("username", 254))
        return *username;
    return body.requiredString("email", 254);
}

} // namespace

void registerAuthRoutes(httplib::Server& server, AccountsService& accounts, SessionStore& sessions,
                        accounts::RequestAuth& auth, AuthLimits& limits,
                        const std::string& publicUrl) {
    // Checks credentials under both rate limits; shared by browser sign-in and token creation.
    auto signIn = [&accounts, &limits](const httplib::Request& req, const JsonBody& body) {
        const std::string login = loginField(body);
        const std::string password =
            body.requiredString("password", AccountsService::kMaxPasswordBytes);
        throttle(limits.loginPerAddress, req.remote_addr);
        limits.loginPerAddress.record(req.remote_addr);
        const std::string accountKey = accountKeyFor(accounts, login);
        reserve(limits.loginFailuresPerAccount, accountKey);
        const User user = accounts.checkCredentials(login, password); // a refusal stays counted
        limits.loginFailuresPerAccount.refund(accountKey);
        return user;
    };

    server.Post("/api/auth/register", [&](const httplib::Request& req, httplib::Response& res) {
        auth.refuseForeignOrigin(req);
        throttle(limits.registerPerAddress, req.remote_addr);
        JsonBody body(req);
        limits.registerPerAddress.record(req.remote_addr);
        const User user = accounts.registerUser(
            body.requiredString("username", 64), body.requiredString("email", 254),
            body.requiredString("password", AccountsService::kMaxPasswordBytes));
        const auto session = sessions.create(user.id, SessionKind::Browser);
        auth.setSessionCookies(res, session);
        http::sendJson(res, 201, sessionReply(user, session));
    });

    server.Post("/api/auth/login",
                [&, signIn](const httplib::Request& req, httplib::Response& res) {
                    auth.refuseForeignOrigin(req);
                    JsonBody body(req);
                    const User user = signIn(req, body);
                    const auto session = sessions.create(user.id, SessionKind::Browser);
                    auth.setSessionCookies(res, session);
                    http::sendJson(res, 200, sessionReply(user, session));
                });

    server.Post(
        "/api/auth/tokens", [&, signIn](const httplib::Request& req, httplib::Response& res) {
            JsonBody body(req);
            const User user = signIn(req, body);
            const std::string label = body.optionalString("label", 100).value_or("Reelgate Studio");
            const auto token = sessions.create(user.id, SessionKind::Token, label);
            http::sendJson(res, 201,
                           {{"token", token.secret},
                            {"id", token.id},
                            {"label", label},
                            {"expires_at", token.expiresAt},
                            {"user", user.toJson()}});
        });

    server.Get("/api/auth/tokens", [&](const httplib::Request& req, httplib::Response& res) {
        const auto ctx = auth.require(req);
        json list = json::array();
        for (const auto& token : sessions.listTokens(ctx.user.id)) {
            json item = token.toJson();
            item["current"] = token.id == ctx.sessionId;
            list.push_back(item);
        }
        http::sendJson(res, 200, {{"tokens", list}});
    });

    server.Delete(R"(/api/auth/tokens/(\d{1,18}))",
                  [&](const httplib::Request& req, httplib::Response& res) {
                      const auto ctx = auth.require(req);
                      if (!sessions.revokeToken(ctx.user.id, std::stoll(req.matches[1].str())))
                          throw ApiError::notFound("No such token.");
                      res.status = 204;
                  });

    server.Post("/api/auth/logout", [&](const httplib::Request& req, httplib::Response& res) {
        if (auth.identify(req)) {
            const auto ctx = auth.require(req);
            sessions.revoke(ctx.sessionId);
        }
        auth.clearSessionCookies(res);
        // The referral belongs to this visit: the next account in this browser starts clean.
        res.set_header("Set-Cookie", "rg_ref=; Path=/; SameSite=Lax; Max-Age=0; HttpOnly");
        res.status = 204;
    });

    server.Get("/api/me", [&](const httplib::Request& req, httplib::Response& res) {
        const auto ctx = auth.require(req);
        json body = {
            {"user", ctx.user.toJson()},
            {"session", {{"kind", ctx.kind == SessionKind::Browser ? "browser" : "token"}}}};
        if (ctx.kind == SessionKind::Browser)
            body["csrf_token"] = accounts::RequestAuth::csrfTokenFor(ctx.secret);
        res.set_header("Cache-Control", "no-store");
        http::sendJson(res, 200, body);
    });

    server.Post("/api/me/creator", [&](const httplib::Request& req, httplib::Response& res) {
        const auto ctx = auth.require(req);
        http::sendJson(res, 200, {{"user", accounts.setCreator(ctx.user.id, true).toJson()}});
    });

    server.Post("/api/auth/password", [&](const httplib::Request& req, httplib::Response& res) {
        const auto ctx = auth.require(req);
        JsonBody body(req);
        accounts.changePassword(
            ctx.user.id, ctx.sessionId,
            body.requiredString("current_password", AccountsService::kMaxPasswordBytes),
            body.requiredString("new_password", AccountsService::kMaxPasswordBytes));
        http::sendJson(res, 200,
                       {{"message", "Password changed. Your other sessions were signed out."}});
    });

    server.Post("/api/auth/forgot", [&](const httplib::Request& req, httplib::Response& res) {
        auth.refuseForeignOrigin(req);
        JsonBody body(req);
        const std::string email = body.requiredString("email", 254);
        throttle(limits.forgotPerAddress, req.remote_addr);
        limits.forgotPerAddress.record(req.remote_addr);
        reserve(limits.forgotPerAccount, accountKeyFor(accounts, email));
        accounts.requestPasswordReset(email, publicUrl);
        http::sendJson(res, 202,
                       {{"message", "If an account uses that address, a reset link is on its "
                                    "way. It works for one hour."}});
    });

    server.Post("/api/auth/reset", [&](const httplib::Request& req, httplib::Response& res) {
        auth.refuseForeignOrigin(req);
        JsonBody body(req);
        accounts.resetPassword(
            body.requiredString("token", 200),
            body.requiredString("new_password", AccountsService::kMaxPasswordBytes));
        http::sendJson(res, 200, {{"message", "Password changed. Sign in with the new one."}});
    });
}

} // namespace reelgate::server::accounts
