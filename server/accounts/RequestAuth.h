#pragma once
// Who is calling? A studio sends `Authorization: Bearer rgt_...`; a browser sends the
// `rg_session` cookie (HttpOnly, SameSite=Lax, Secure when the public URL is https).
// A state-changing request authenticated by cookie must carry the CSRF token (header
// X-CSRF-Token, also readable by the page's script from the `rg_csrf` cookie) or come with a
// same-origin `Origin` header; bearer requests are exempt. Failures are thrown as ApiError.
// Thread-safe.

#include "accounts/SessionStore.h"

#include <httplib.h>

#include <optional>
#include <string>

namespace reelgate::server::accounts {

class RequestAuth {
public:
    static constexpr const char* kSessionCookie = "rg_session";
    static constexpr const char* kCsrfCookie = "rg_csrf";
    static constexpr const char* kCsrfHeader = "X-CSRF-Token";

    // publicUrl: the address users reach the server at (https://... turns on Secure cookies).
    RequestAuth(SessionStore& sessions, const std::string& publicUrl);

    // The credential identify() authenticates with: a bearer secret when an
    // `Authorization: Bearer` header is present, else the session cookie, else empty. Caches of
    // authorisation decisions key on this (never on a header that did not authenticate).
    static std::string credential(const httplib::Request& req);

    // The caller's live session, or nullopt. Does not check CSRF.
    std::optional<AuthContext> identify(const httplib::Request& req);
    // Like identify(), but 401 without a session, 403 for a suspended user, and the CSRF rule
    // for cookie-authenticated state changes.
    AuthContext require(const httplib::Request& req);
    AuthContext requireAdmin(const httplib::Request& req);
    AuthContext requireCreator(const httplib::Request& req);
    // For state changes that have no session yet (sign-in, sign-up): a foreign Origin is refused.
    void refuseForeignOrigin(const httplib::Request& req) const;

    static std::string csrfTokenFor(const std::string& sessionSecret);
    void setSessionCookies(httplib::Response& res, const IssuedSession& session) const;
    void clearSessionCookies(httplib::Response& res) const;
    static std::optional<std::string> cookie(const httplib::Request& req, const std::string& name);

private:
    bool sameOrigin(const httplib::Request& req) const;

    SessionStore& sessions_;
    std::string publicOrigin_; // scheme://host[:port] of the public URL
    std::string publicScheme_; // "http" or "https": an Origin of the other scheme is foreign
    bool secureCookies_;
};

} // namespace reelgate::server::accounts
