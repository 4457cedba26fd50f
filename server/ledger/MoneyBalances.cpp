#include "ledger/MoneyBalances.h"

#include "db/SqlText.h"
#include "settings/PlatformSettings.h"

namespace reelgate::server::ledger {

using nlohmann::json;

json MoneyBalances::balancesJson(db::PgConnection& conn, accounts::UserId user) {
    const std::string userId = std::to_string(user.value);
    auto rows = conn.exec(
        "SELECT a.currency, "
        "  sum(balance_minor) FILTER (WHERE kind = 'wallet'), "
        "  sum(balance_minor) FILTER (WHERE kind = 'earnings'), "
        "  sum(balance_minor) FILTER (WHERE kind = 'earnings_pending'), "
        "  sum(balance_minor) FILTER (WHERE kind = 'withdrawal_held'), "
        "  sum(balance_minor) FILTER (WHERE kind = 'receivable'), " +
            db::isoUtc("(SELECT min(release_at) FROM earnings_holds h WHERE h.user_id = $1 AND "
                       "h.currency = a.currency AND h.released_at IS NULL AND "
                       "h.remaining_minor > 0)") +
            " FROM ledger_accounts a WHERE a.user_id = $1 GROUP BY a.currency ORDER BY a.currency",
        {userId});
    json out = json::array();
    for (int r = 0; r < rows.rows(); ++r) {
        const auto currency = core::Currency::fromCode(rows.text(r, 0));
        const auto amount = [&](int column) {
            return rows.isNull(r, column) ? std::int64_t{0} : rows.int64(r, column);
        };
        const auto money = [&](std::int64_t minor) {
            return settings::moneyJson(core::Money(minor, currency));
        };
        const std::int64_t deposited = amount(1), available = amount(2), pending = amount(3);
        json entry = money(deposited + available + pending);
        entry["deposited"] = money(deposited);
        entry["spendable"] = money(deposited + available);
        entry["available"] = money(available);
        entry["pending"] = money(pending);
        entry["pending"]["pending_until"] = rows.isNull(r, 6) ? json() : json(rows.text(r, 6));
        entry["pending_until"] = entry["pending"]["pending_until"];
        entry["held"] = money(amount(4));
        entry["owed"] = money(-amount(5));
        out.push_back(entry);
    }
    return out;
}

} // namespace reelgate::server::ledger
