#pragma once
// HTTP <-> accounts: /api/auth/* (register, login, logout, tokens, password change, forgot,
// reset) and /api/me. Login and forgot-password are rate limited per client address and per
// account (429 + Retry-After).

#include "accounts/AccountsService.h"
#include "accounts/RequestAuth.h"
#include "http/RateLimiter.h"

#include <httplib.h>

namespace reelgate::server::accounts {

struct AuthLimits {
    http::RateLimiter loginPerAddress{60, std::chrono::minutes(5)};
    http::RateLimiter loginFailuresPerAccount{10, std::chrono::minutes(15)};
    http::RateLimiter forgotPerAddress{10, std::chrono::minutes(15)};
    http::RateLimiter forgotPerAccount{3, std::chrono::hours(1)};
    http::RateLimiter registerPerAddress{50, std::chrono::hours(1)};
};

void registerAuthRoutes(httplib::Server& server, AccountsService& accounts, SessionStore& sessions,
                        accounts::RequestAuth& auth, AuthLimits& limits,
                        const std::string& publicUrl);

} // namespace reelgate::server::accounts
