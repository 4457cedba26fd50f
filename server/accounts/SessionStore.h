#pragma once
// Signed-in sessions: browser sessions (cookie) and studio bearer tokens. A session secret is
// 256 random bits shown to the client once; only its SHA-256 is stored. Sessions end at an
// absolute expiry, after an idle period, on revocation, or when the user is suspended.
// Resolved sign-ins are cached (SessionCache) once the owner trusts the cache, i.e. while the
// database's revocation notifications are listened for (trustCache, applyRevocation); without
// that (a command, a second store) every resolve asks the database.
// Thread-safe (database-backed).

#include "accounts/SessionCache.h"
#include "accounts/User.h"
#include "db/PgPool.h"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace reelgate::server::accounts {

enum class SessionKind { Invalid = 0, Browser, Token };

struct SessionPolicy {
    std::chrono::hours browserAbsolute{24 * 30};
    std::chrono::hours browserIdle{24 * 7};
    std::chrono::hours tokenAbsolute{24 * 90};
    std::chrono::hours tokenIdle{24 * 30};
};

struct IssuedSession {
    std::int64_t id = 0;
    std::string secret;    // give to the client; never stored
    std::string expiresAt; // ISO 8601 UTC
};

struct AuthContext {
    std::int64_t sessionId = 0;
    SessionKind kind = SessionKind::Invalid;
    std::string secret; // as presented by the client, for deriving the CSRF token
    User user;
};

struct TokenInfo {
    std::int64_t id = 0;
    std::string label;
    std::string createdAt;
    std::string lastSeenAt;
    std::string expiresAt;
    nlohmann::json toJson() const;
};

class SessionStore {
public:
    explicit SessionStore(db::PgPool& pool, SessionPolicy policy = {})
        : pool_(pool)
        , policy_(policy) {}

    const SessionPolicy& policy() const { return policy_; }
    IssuedSession create(UserId user, SessionKind kind, const std::string& label = {});
    // The live session for `secret`, or nullopt (unknown, expired, idle too long, revoked).
    // A suspended user's session resolves with user.suspended = true; callers refuse it.
    std::optional<AuthContext> resolve(const std::string& secret);

    void revoke(std::int64_t sessionId);
    // Revokes every session and token of `user` except `keep` (0 = all).
    void revokeAllOf(UserId user, std::int64_t keep = 0);
    std::vector<TokenInfo> listTokens(UserId user);
    // False when the token is not the user's or already revoked.
    bool revokeToken(UserId user, std::int64_t tokenId);
    // Told the user whose sign-ins a revoke*() call ended, after the change is stored (on the
    // revoking thread), so caches of decisions made from a sign-in drop them at once. Set it
    // before serving; it must not throw.
    void setRevocationListener(std::function<void(UserId)> listener) {
        revoked_ = std::move(listener);
    }

    // The resolve cache: a change to a user stored by this process drops the user's cached
    // sign-ins with forgetUser() once committed (revoke*() do it themselves); changes from
    // anywhere arrive as notification payloads (applyRevocation). trustCache(): see SessionCache.
    void forgetUser(UserId user) noexcept { cache_.forgetUser(user); }
    void applyRevocation(std::string_view payload) noexcept { cache_.apply(payload); }
    void trustCache(bool trusted) noexcept { cache_.trust(trusted); }

private:
    void notifyRevoked(UserId user) {
        cache_.forgetUser(user);
        if (revoked_)
            revoked_(user);
    }

    db::PgPool& pool_;
    SessionPolicy policy_;
    std::function<void(UserId)> revoked_;
    SessionCache cache_;
};

} // namespace reelgate::server::accounts
