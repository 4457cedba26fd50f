#pragma once
// HTTP <-> accounts: /api/auth/* (register, login, logout, tokens, password change, forgot,
// reset) and /api/me. Login and forgot-password are rate limited per client address and per
// account (429 + Retry-After). The per-account budget is one per account, whatever username or
// email of it was typed, and an attempt is counted before the password is hashed (a right
// password gives it back), so concurrent guesses cannot overrun it.

#include "accounts/AccountsService.h"
#include "accounts/AttemptLimiter.h"
#include "accounts/RequestAuth.h"
#include "http/RateLimiter.h"

#include <httplib.h>

namespace reelgate::server::accounts {

struct AuthLimits {
    http::RateLimiter loginPerAddress{60, std::chrono::minutes(5)};
    AttemptLimiter loginFailuresPerAccount{10, std::chrono::minutes(15)};
    http::RateLimiter forgotPerAddress{10, std::chrono::minutes(15)};
    AttemptLimiter forgotPerAccount{3, std::chrono::hours(1)};
    http::RateLimiter registerPerAddress{50, std::chrono::hours(1)};
};

void registerAuthRoutes(httplib::Server& server, AccountsService& accounts, SessionStore& sessions,
                        accounts::RequestAuth& auth, AuthLimits& limits,
                        const std::string& publicUrl);

} // namespace reelgate::server::accounts
