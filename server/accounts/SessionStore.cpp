#include "accounts/SessionStore.h"

#include "accounts/UserRow.h"
#include "db/SqlText.h"
#include "reelgate/core/Crypto.h"

namespace reelgate::server::accounts {
namespace {

std::string seconds(std::chrono::hours h) {
    return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(h).count());
}

// Tokens carry a recognizable prefix so leaked ones can be found by secret scanners.
constexpr const char* kBrowserPrefix = "rgs_";
constexpr const char* kTokenPrefix = "rgt_";

} // namespace

nlohmann::json TokenInfo::toJson() const {
    return {{"id", id},
            {"label", label},
            {"created_at", createdAt},
            {"last_seen_at", lastSeenAt},
            {"expires_at", expiresAt}};
}

IssuedSession SessionStore::create(UserId user, SessionKind kind, const std::string& label) {
    const bool browser = kind == SessionKind::Browser;
    IssuedSession issued;
    issued.secret = std::string(browser ? kBrowserPrefix : kTokenPrefix) + core::randomToken(32);
    auto conn = pool_.acquire();
    auto rows = conn->exec(
        "INSERT INTO auth_sessions (user_id, token_hash, kind, label, expires_at) "
        "VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5)) "
        "RETURNING id, " +
            db::isoUtc("expires_at"),
        {std::to_string(user.value), core::sha256Hex(issued.secret), browser ? "browser" : "token",
         label, seconds(browser ? policy_.browserAbsolute : policy_.tokenAbsolute)});
    issued.id = rows.int64(0, 0);
    issued.expiresAt = rows.text(0, 1);
    return issued;
}

std::optional<AuthContext> SessionStore::resolve(const std::string& secret) {
    if (secret.size() < 20 || secret.size() > 100)
        return std::nullopt;
    const std::string tokenHash = core::sha256Hex(secret);
    AuthContext ctx;
    ctx.secret = secret;
    if (auto cached = cache_.find(tokenHash)) {
        ctx.sessionId = cached->sessionId;
        ctx.kind = cached->browser ? SessionKind::Browser : SessionKind::Token;
        ctx.user = std::move(cached->user);
        return ctx;
    }
    const std::uint64_t generation = cache_.generation();
    auto conn = pool_.acquire();
    auto rows = conn->execPrepared(
        "SELECT s.id, s.kind, (s.last_seen_at < now() - interval '60 seconds'), " +
            userColumns("u") +
            ", (extract(epoch FROM s.expires_at - now()) * 1000)::bigint"
            " FROM auth_sessions s JOIN users u ON u.id = s.user_id"
            " WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()"
            " AND s.last_seen_at > now() - make_interval(secs => CASE s.kind"
            " WHEN 'browser' THEN $2::double precision ELSE $3::double precision END)",
        {tokenHash, seconds(policy_.browserIdle), seconds(policy_.tokenIdle)});
    if (rows.rows() == 0)
        return std::nullopt;
    ctx.sessionId = rows.int64(0, 0);
    ctx.kind = rows.text(0, 1) == "browser" ? SessionKind::Browser : SessionKind::Token;
    ctx.user = userFromRow(rows, 0, 3);
    // Idle tracking needs last_seen_at; write it at most once a minute per session. A cached
    // sign-in is read again at least every SessionCache::kTtl, which is when this happens.
    if (rows.boolean(0, 2))
        conn->exec("UPDATE auth_sessions SET last_seen_at = now() WHERE id = $1",
                   {std::to_string(ctx.sessionId)});
    cache_.remember(tokenHash, {ctx.sessionId, ctx.kind == SessionKind::Browser, ctx.user},
                    std::chrono::milliseconds(rows.int64(0, 10)), generation);
    return ctx;
}

void SessionStore::revoke(std::int64_t sessionId) {
    std::optional<UserId> user;
    {
        auto conn = pool_.acquire();
        auto rows = conn->exec("UPDATE auth_sessions SET revoked_at = now()"
                               " WHERE id = $1 AND revoked_at IS NULL RETURNING user_id",
                               {std::to_string(sessionId)});
        if (rows.rows() == 1)
            user = UserId{rows.int64(0, 0)};
    }
    if (user)
        notifyRevoked(*user);
}

void SessionStore::revokeAllOf(UserId user, std::int64_t keep) {
    {
        auto conn = pool_.acquire();
        conn->exec("UPDATE auth_sessions SET revoked_at = now()"
                   " WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL",
                   {std::to_string(user.value), std::to_string(keep)});
    }
    notifyRevoked(user);
}

std::vector<TokenInfo> SessionStore::listTokens(UserId user) {
    auto conn = pool_.acquire();
    auto rows = conn->exec("SELECT id, label, " + db::isoUtc("created_at") + ", " +
                               db::isoUtc("last_seen_at") + ", " + db::isoUtc("expires_at") +
                               " FROM auth_sessions WHERE user_id = $1 AND kind = 'token'"
                               " AND revoked_at IS NULL AND expires_at > now() ORDER BY id",
                           {std::to_string(user.value)});
    std::vector<TokenInfo> out;
    for (int r = 0; r < rows.rows(); ++r)
        out.push_back(
            {rows.int64(r, 0), rows.text(r, 1), rows.text(r, 2), rows.text(r, 3), rows.text(r, 4)});
    return out;
}

bool SessionStore::revokeToken(UserId user, std::int64_t tokenId) {
    bool revoked = false;
    {
        auto conn = pool_.acquire();
        revoked = conn->exec("UPDATE auth_sessions SET revoked_at = now()"
                             " WHERE id = $1 AND user_id = $2"
                             " AND kind = 'token' AND revoked_at IS NULL",
                             {std::to_string(tokenId), std::to_string(user.value)})
                      .affectedRows() == 1;
    }
    if (revoked)
        notifyRevoked(user);
    return revoked;
}

} // namespace reelgate::server::accounts
