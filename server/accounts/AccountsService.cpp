#include "accounts/AccountsService.h"

#include "accounts/UserRow.h"
#include "common/ServiceError.h"
#include "db/DbError.h"
#include "db/SqlText.h"
#include "mail/Outbox.h"
#include "reelgate/core/Crypto.h"

#include <algorithm>
#include <regex>

namespace reelgate::server::accounts {
namespace {

using Kind = ServiceError::Kind;

ServiceError invalid(const std::string& code, const std::string& message) {
    return {Kind::Invalid, code, message};
}

std::string idText(UserId id) {
    return std::to_string(id.value);
}

std::size_t utf8Chars(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

} // namespace

std::string AccountsService::trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
        return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

std::string AccountsService::normalize(const std::string& text) {
    std::string out = trim(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
    });
    return out;
}

void AccountsService::validateUsername(const std::string& username) {
    static const std::regex kPattern("^[A-Za-z0-9][A-Za-z0-9_.-]{2,31}$");
    if (!std::regex_match(username, kPattern))
        throw invalid("invalid_username", "A username has 3 to 32 characters: letters, digits, "
                                          "'_', '.' or '-', starting with a letter or digit.");
}

void AccountsService::validateEmail(const std::string& email) {
    static const std::regex kPattern(R"(^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$)");
    if (email.size() > 254 || !std::regex_match(email, kPattern))
        throw invalid("invalid_email", "That does not look like an email address.");
}

void AccountsService::validatePassword(const std::string& password) {
    if (password.size() > kMaxPasswordBytes)
        throw invalid("invalid_password", "That password is too long (at most 1024 bytes).");
    if (utf8Chars(password) < kMinPasswordChars)
        throw invalid("weak_password", "Choose a password of at least " +
                                           std::to_string(kMinPasswordChars) + " characters.");
}

User AccountsService::registerUser(const std::string& rawUsername, const std::string& rawEmail,
                                   const std::string& password) {
    const std::string username = trim(rawUsername);
    validateUsername(username);
    const std::string email = normalize(rawEmail);
    validateEmail(email);
    validatePassword(password);
    const std::string hash = hasher_.hash(password);
    auto conn = pool_.acquire();
    try {
        auto rows = conn->exec("INSERT INTO users (username, username_norm, email, email_norm,"
                               " password_hash) VALUES ($1, lower($1), $2, $2, $3) RETURNING " +
                                   userColumns(),
                               {username, email, hash});
        return userFromRow(rows, 0);
    } catch (const db::DbError& e) {
        if (e.sqlState() != "23505")
            throw;
        if (std::string(e.what()).find("email") != std::string::npos)
            throw ServiceError(Kind::Conflict, "email_taken",
                               "An account with that email already exists.");
        throw ServiceError(Kind::Conflict, "username_taken", "That username is taken.");
    }
}

std::optional<UserId> AccountsService::accountFor(const std::string& login) {
    auto conn = pool_.acquire();
    auto rows = conn->exec("SELECT id FROM users WHERE username_norm = $1 OR email_norm = $1",
                           {normalize(login)});
    if (rows.rows() == 0)
        return std::nullopt;
    return UserId{rows.int64(0, 0)};
}

User AccountsService::checkCredentials(const std::string& login, const std::string& password) {
    const ServiceError wrong(Kind::Unauthorized, "invalid_credentials",
                             "Wrong username or password.");
    if (password.size() > kMaxPasswordBytes)
        throw wrong;
    auto conn = pool_.acquire();
    auto rows = conn->exec("SELECT password_hash, " + userColumns() +
                               " FROM users WHERE username_norm = $1 OR email_norm = $1",
                           {normalize(login)});
    if (rows.rows() == 0) {
        hasher_.verifyDummy(password);
        throw wrong;
    }
    const std::string stored = rows.text(0, 0);
    User user = userFromRow(rows, 0, 1);
    const bool right = hasher_.verify(stored, password); // the same work either way
    if (user.suspended)
        throw ServiceError(Kind::Forbidden, "account_suspended",
                           "This account is suspended. Contact the site's operator.");
    if (!right)
        throw wrong;
    if (hasher_.needsRehash(stored))
        conn->exec("UPDATE users SET password_hash = $2 WHERE id = $1",
                   {idText(user.id), hasher_.hash(password)});
    return user;
}

void AccountsService::changePassword(UserId user, std::int64_t currentSession,
                                     const std::string& current, const std::string& replacement) {
    validatePassword(replacement);
    std::string stored;
    {
        auto conn = pool_.acquire();
        auto rows = conn->exec("SELECT password_hash FROM users WHERE id = $1", {idText(user)});
        if (rows.rows() == 0)
            throw ServiceError(Kind::NotFound, "not_found", "No such user.");
        stored = rows.text(0, 0);
    }
    if (!hasher_.verify(stored, current))
        throw ServiceError(Kind::Forbidden, "wrong_password", "The current password is wrong.");
    const std::string hash = hasher_.hash(replacement);
    {
        auto conn = pool_.acquire();
        conn->exec("UPDATE users SET password_hash = $2, password_changed_at = now() WHERE id = $1",
                   {idText(user), hash});
    } // back to the pool before the session store takes one
    sessions_.revokeAllOf(user, currentSession);
}

void AccountsService::requestPasswordReset(const std::string& rawEmail,
                                           const std::string& publicUrl) {
    const std::string email = normalize(rawEmail);
    auto conn = pool_.acquire();
    auto rows = conn->exec("SELECT id, username FROM users WHERE email_norm = $1 AND "
                           "status = 'active'",
                           {email});
    if (rows.rows() == 0)
        return;
    const std::string token = core::randomToken(32);
    db::PgTransaction tx(*conn);
    conn->exec("INSERT INTO password_resets (user_id, token_hash, expires_at)"
               " VALUES ($1, $2, now() + interval '1 hour')",
               {rows.text(0, 0), core::sha256Hex(token)});
    mail::Outbox::queue(*conn, email, "Reset your Reelgate password",
                        "Hello " + rows.text(0, 1) +
                            ",\n\nSomeone (hopefully you) asked to reset the password of your "
                            "Reelgate account.\nOpen this link within one hour to choose a new "
                            "one:\n\n  " +
                            publicUrl + "/reset#token=" + token +
                            "\n\nIf it was not you, ignore this mail: your password stays as "
                            "it is.\n");
    tx.commit();
}

void AccountsService::resetPassword(const std::string& token, const std::string& replacement) {
    validatePassword(replacement);
    const std::string hash = hasher_.hash(replacement);
    auto conn = pool_.acquire();
    db::PgTransaction tx(*conn);
    auto rows = conn->exec("UPDATE password_resets SET used_at = now()"
                           " WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()"
                           " RETURNING user_id",
                           {core::sha256Hex(token)});
    if (rows.rows() == 0)
        throw ServiceError(Kind::Invalid, "invalid_reset_token",
                           "This reset link is invalid, already used or expired. Ask for a new "
                           "one.");
    const std::string userId = rows.text(0, 0);
    conn->exec("UPDATE users SET password_hash = $2, password_changed_at = now() WHERE id = $1",
               {userId, hash});
    conn->exec("UPDATE auth_sessions SET revoked_at = now() WHERE user_id = $1 AND "
               "revoked_at IS NULL",
               {userId});
    tx.commit();
    sessions_.forgetUser(UserId{std::stoll(userId)});
}

std::optional<User> AccountsService::findById(UserId id) {
    auto conn = pool_.acquire();
    auto rows = conn->exec("SELECT " + userColumns() + " FROM users WHERE id = $1", {idText(id)});
    if (rows.rows() == 0)
        return std::nullopt;
    return userFromRow(rows, 0);
}

std::optional<User> AccountsService::findByLogin(const std::string& login) {
    auto conn = pool_.acquire();
    auto rows = conn->exec("SELECT " + userColumns() +
                               " FROM users WHERE username_norm = $1 OR email_norm = $1",
                           {normalize(login)});
    if (rows.rows() == 0)
        return std::nullopt;
    return userFromRow(rows, 0);
}

std::vector<User> AccountsService::listUsers(const std::string& search, int limit) {
    auto conn = pool_.acquire();
    auto rows =
        conn->exec("SELECT " + userColumns() +
                       " FROM users WHERE $1 = '' OR username_norm LIKE '%' || $1 || '%'"
                       " OR email_norm LIKE '%' || $1 || '%' ORDER BY id LIMIT $2",
                   {db::likeEscaped(normalize(search)), std::to_string(std::clamp(limit, 1, 500))});
    std::vector<User> out;
    for (int r = 0; r < rows.rows(); ++r)
        out.push_back(userFromRow(rows, r));
    return out;
}

User AccountsService::updateFlag(UserId id, const std::string& assignment) {
    auto conn = pool_.acquire();
    auto rows =
        conn->exec("UPDATE users SET " + assignment + " WHERE id = $1 RETURNING " + userColumns(),
                   {idText(id)});
    if (rows.rows() == 0)
        throw ServiceError(Kind::NotFound, "not_found", "No such user.");
    // Committed: the next request of any of the user's sign-ins sees the change (other
    // instances hear it from sql/0013's trigger).
    sessions_.forgetUser(id);
    return userFromRow(rows, 0);
}

User AccountsService::setCreator(UserId id, bool on) {
    return updateFlag(id, on ? "is_creator = true" : "is_creator = false");
}

User AccountsService::setAdmin(UserId id, bool on) {
    return updateFlag(id, on ? "is_admin = true" : "is_admin = false");
}

User AccountsService::setSuspended(UserId id, bool suspended) {
    User user = updateFlag(id, suspended ? "status = 'suspended'" : "status = 'active'");
    if (suspended)
        sessions_.revokeAllOf(id);
    return user;
}

} // namespace reelgate::server::accounts
