#pragma once
// Creator pages: a display name, a bio and a few links each creator edits about themselves.
// The avatar is drawn from the initials of the name (no image upload: nothing to validate or
// host). Links are http(s) only; lengths are counted in characters. Knows the database, not
// HTTP; refuses with ServiceError naming the field. Thread-safe.

#include "accounts/User.h"
#include "db/PgPool.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace reelgate::server::store {

struct CreatorProfile {
    accounts::UserId userId;
    std::string username;
    std::string displayName; // may be empty: pages show the username
    std::string bio;
    nlohmann::json links = nlohmann::json::array(); // [{"label","url"}]
    std::string since;                              // account creation, ISO 8601 UTC

    nlohmann::json toJson() const;
};

class CreatorProfiles {
public:
    static constexpr std::size_t kMaxDisplayNameChars = 60;
    static constexpr std::size_t kMaxBioChars = 2000;
    static constexpr std::size_t kMaxLinks = 5;
    static constexpr std::size_t kMaxLinkLabelChars = 40;
    static constexpr std::size_t kMaxLinkUrlChars = 300;

    explicit CreatorProfiles(db::PgPool& pool)
        : pool_(pool) {}

    // An active creator's profile (empty fields when never edited), or nullopt.
    std::optional<CreatorProfile> findCreator(const std::string& username);
    CreatorProfile forUser(accounts::UserId user);
    // fields: display_name, bio, links (each optional; absent keeps the current value).
    CreatorProfile update(accounts::UserId user, const nlohmann::json& fields);

    // "" when `url` is an acceptable link, else what is wrong with it.
    static std::string linkProblem(const std::string& url);

private:
    std::optional<CreatorProfile> load(const std::string& where, const std::string& value);

    db::PgPool& pool_;
};

} // namespace reelgate::server::store
