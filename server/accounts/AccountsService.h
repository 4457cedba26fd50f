#pragma once
// Accounts: registration, sign-in checks, password change and reset, roles and suspension.
// Knows the database, not HTTP; refuses with ServiceError. Thread-safe; every function holds
// at most one pooled connection at a time.

#include "accounts/PasswordHasher.h"
#include "accounts/SessionStore.h"
#include "accounts/User.h"
#include "db/PgPool.h"

#include <optional>
#include <string>
#include <vector>

namespace reelgate::server::accounts {

class AccountsService {
public:
    static constexpr std::size_t kMinPasswordChars = 10;
    static constexpr std::size_t kMaxPasswordBytes = 1024;

    AccountsService(db::PgPool& pool, SessionStore& sessions, const PasswordHasher& hasher)
        : pool_(pool)
        , sessions_(sessions)
        , hasher_(hasher) {}

    User registerUser(const std::string& username, const std::string& email,
                      const std::string& password);
    // The account `login` (a username or an email, any case) names, so that attempts are
    // counted per account whatever name of it was typed.
    std::optional<UserId> accountFor(const std::string& login);
    // `login` is a username or an email, any case. Throws Unauthorized (same message whether
    // or not the account exists) or Forbidden for a suspended account, whatever the password
    // (a suspended account's sign-in does not tell a right password from a wrong one).
    User checkCredentials(const std::string& login, const std::string& password);
    // Revokes every other session and token of the user.
    void changePassword(UserId user, std::int64_t currentSession, const std::string& current,
                        const std::string& replacement);
    // Queues a reset mail when the address has an account; silent otherwise.
    void requestPasswordReset(const std::string& email, const std::string& publicUrl);
    // Single use, one hour; signs the user out everywhere.
    void resetPassword(const std::string& token, const std::string& replacement);

    std::optional<User> findById(UserId id);
    std::optional<User> findByLogin(const std::string& login);
    std::vector<User> listUsers(const std::string& search, int limit);
    User setCreator(UserId id, bool on);
    User setAdmin(UserId id, bool on);
    User setSuspended(UserId id, bool suspended);

    // Validation shared with the command line (throws ServiceError Invalid).
    static void validateUsername(const std::string& username);
    static void validateEmail(const std::string& email);
    static void validatePassword(const std::string& password);
    static std::string trim(const std::string& text);
    static std::string normalize(const std::string& text); // trim + ASCII lower-case

private:
    User updateFlag(UserId id, const std::string& assignment);

    db::PgPool& pool_;
    SessionStore& sessions_;
    const PasswordHasher& hasher_;
};

} // namespace reelgate::server::accounts
