#pragma once
// A Reelgate account as the rest of the server sees it.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace reelgate::server::accounts {

struct UserId {
    std::int64_t value = 0;
    auto operator<=>(const UserId&) const = default;
};

struct User {
    UserId id;
    std::string username; // as the user typed it; unique regardless of case
    std::string email;
    bool isCreator = false;
    bool isAdmin = false;
    bool suspended = false;
    std::string createdAt; // ISO 8601 UTC

    // "buyer" always, then "creator" and "admin" when held.
    std::vector<std::string> roles() const;
    nlohmann::json toJson() const;
};

// Columns selected by userColumns(), in this order, for User rows.
std::string userColumns(const std::string& tableAlias = "users");

} // namespace reelgate::server::accounts
