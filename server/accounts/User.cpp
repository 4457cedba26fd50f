#include "accounts/User.h"

#include "db/SqlText.h"

namespace reelgate::server::accounts {

std::vector<std::string> User::roles() const {
    std::vector<std::string> out{"buyer"};
    if (isCreator)
        out.emplace_back("creator");
    if (isAdmin)
        out.emplace_back("admin");
    return out;
}

nlohmann::json User::toJson() const {
    return {{"id", id.value},
            {"username", username},
            {"email", email},
            {"roles", roles()},
            {"status", suspended ? "suspended" : "active"},
            {"created_at", createdAt}};
}

std::string userColumns(const std::string& t) {
    return t + ".id, " + t + ".username, " + t + ".email, " + t + ".is_creator, " + t +
           ".is_admin, " + t + ".status, " + db::isoUtc(t + ".created_at");
}

} // namespace reelgate::server::accounts
