#pragma once
// The append-only log of admin money actions (sql/0009 admin_audit; a trigger refuses UPDATE,
// DELETE and TRUNCATE): who, what, about what, why, when. Written in the same transaction as
// the action, so an action without its entry cannot commit.

#include "accounts/User.h"
#include "db/PgConnection.h"

#include <nlohmann/json.hpp>

#include <string>

namespace reelgate::server::money {

class AuditLog {
public:
    static void record(db::PgConnection& conn, accounts::UserId admin, const std::string& action,
                       const std::string& subject, const std::string& note,
                       const nlohmann::json& details = nlohmann::json::object());
    // {"entries":[{"at","admin","action","subject","note","details"}]}, newest first.
    static nlohmann::json list(db::PgConnection& conn, int limit, int offset);
};

} // namespace reelgate::server::money
