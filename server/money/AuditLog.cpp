#include "money/AuditLog.h"

#include "db/SqlText.h"

namespace reelgate::server::money {

using nlohmann::json;

void AuditLog::record(db::PgConnection& conn, accounts::UserId admin, const std::string& action,
                      const std::string& subject, const std::string& note, const json& details) {
    conn.exec("INSERT INTO admin_audit (admin_id, action, subject, note, details) "
              "VALUES ($1, $2, $3, $4, $5::jsonb)",
              {std::to_string(admin.value), action, subject, note, details.dump()});
}

json AuditLog::list(db::PgConnection& conn, int limit, int offset) {
    auto rows = conn.exec("SELECT " + db::isoUtc("a.at") +
                              ", u.username, a.action, a.subject, a.note, a.details::text "
                              "FROM admin_audit a JOIN users u ON u.id = a.admin_id "
                              "ORDER BY a.id DESC LIMIT $1 OFFSET $2",
                          {std::to_string(limit), std::to_string(offset)});
    json entries = json::array();
    for (int r = 0; r < rows.rows(); ++r)
        entries.push_back({{"at", rows.text(r, 0)},
                           {"admin", rows.text(r, 1)},
                           {"action", rows.text(r, 2)},
                           {"subject", rows.text(r, 3)},
                           {"note", rows.text(r, 4)},
                           {"details", json::parse(rows.text(r, 5))}});
    return {{"entries", entries}};
}

} // namespace reelgate::server::money
