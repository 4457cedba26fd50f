#include "money/MoneyReports.h"

#include "common/ServiceError.h"
#include "db/SqlText.h"
#include "money/Csv.h"
#include "settings/PlatformSettings.h"

#include <map>
#include <regex>

namespace reelgate::server::money {
namespace {

using nlohmann::json;

core::Money moneyOf(std::int64_t minor, const std::string& code) {
    return core::Money(minor, core::Currency::fromCode(code));
}

void requireDate(const std::string& text, const char* name) {
    static const std::regex kDay(R"(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))");
    if (!std::regex_match(text, kDay))
        throw ServiceError(ServiceError::Kind::Invalid, "invalid_request",
                           std::string("'") + name + "' is a date: YYYY-MM-DD.");
}

} // namespace

json MoneyReports::trialBalance() {
    // A system account (user_id NULL) keeps no balance row (sql/0015): the sum of its entries.
    auto conn = pool_.acquire();
    auto r = conn->exec(
        "SELECT a.id, a.kind, coalesce(u.username, ''), a.currency, "
        "CASE WHEN a.user_id IS NULL THEN (SELECT coalesce(sum(e.amount_minor), 0)::bigint "
        "FROM ledger_entries e WHERE e.account_id = a.id) ELSE a.balance_minor END "
        "FROM ledger_accounts a "
        "LEFT JOIN users u ON u.id = a.user_id ORDER BY a.currency, a.kind, a.id");
    json accounts = json::array();
    std::map<std::string, std::int64_t> sums;
    for (int i = 0; i < r.rows(); ++i) {
        sums[r.text(i, 3)] += r.int64(i, 4);
        accounts.push_back(
            {{"id", r.int64(i, 0)},
             {"kind", r.text(i, 1)},
             {"owner", r.text(i, 2).empty() ? json() : json(r.text(i, 2))},
             {"currency", r.text(i, 3)},
             {"balance", settings::moneyJson(moneyOf(r.int64(i, 4), r.text(i, 3)))}});
    }
    json totals = json::array();
    for (const auto& [code, sum] : sums)
        totals.push_back({{"currency", code}, {"sum", settings::moneyJson(moneyOf(sum, code))}});
    return {{"accounts", accounts}, {"totals", totals}};
}

json MoneyReports::revenue(const std::string& from, const std::string& to) {
    requireDate(from, "from");
    requireDate(to, "to");
    auto conn = pool_.acquire();
    auto r = conn->exec(
        "SELECT to_char((t.created_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD'), a.currency, "
        "sum(e.amount_minor)::bigint FROM ledger_entries e "
        "JOIN ledger_accounts a ON a.id = e.account_id "
        "JOIN ledger_transactions t ON t.id = e.transaction_id "
        "WHERE a.kind = 'platform_revenue' AND e.role NOT IN ('loss') AND "
        "(t.created_at AT TIME ZONE 'UTC')::date BETWEEN $1::date AND $2::date "
        "GROUP BY 1, 2 ORDER BY 1, 2",
        {from, to});
    json days = json::array();
    for (int i = 0; i < r.rows(); ++i)
        days.push_back({{"day", r.text(i, 0)},
                        {"currency", r.text(i, 1)},
                        {"revenue", settings::moneyJson(moneyOf(r.int64(i, 2), r.text(i, 1)))}});
    return {{"days", days}};
}

json MoneyReports::commissions(int limit, int offset) {
    auto conn = pool_.acquire();
    auto r = conn->exec("SELECT p.public_id, a.username, b.username, v.title, p.commission_minor, "
                        "p.currency, " +
                            db::isoUtc("p.created_at") +
                            " FROM purchases p JOIN users a ON a.id = p.affiliate_id "
                            "JOIN users b ON b.id = p.buyer_id JOIN videos v ON v.id = p.video_id "
                            "WHERE p.affiliate_id IS NOT NULL ORDER BY p.id DESC "
                            "LIMIT $1 OFFSET $2",
                        {std::to_string(limit), std::to_string(offset)});
    json out = json::array();
    for (int i = 0; i < r.rows(); ++i)
        out.push_back({{"purchase", r.text(i, 0)},
                       {"affiliate", r.text(i, 1)},
                       {"buyer", r.text(i, 2)},
                       {"video", r.text(i, 3)},
                       {"amount", settings::moneyJson(moneyOf(r.int64(i, 4), r.text(i, 5)))},
                       {"created_at", r.text(i, 6)}});
    return {{"commissions", out}};
}

json MoneyReports::disputes(int limit, int offset) {
    auto conn = pool_.acquire();
    auto r = conn->exec(
        "SELECT d.public_id, d.provider, u.username, d.charge_amount_minor, d.charge_currency, "
        "d.reversed_minor, d.status, n.outcome, " +
            db::isoUtc("n.received_at") +
            ", coalesce(v.title, '') "
            "FROM payment_notifications n JOIN deposits d ON d.id = n.deposit_id "
            "JOIN users u ON u.id = d.user_id LEFT JOIN videos v ON v.id = d.video_id "
            "WHERE n.status = 'disputed' ORDER BY n.id DESC LIMIT $1 OFFSET $2",
        {std::to_string(limit), std::to_string(offset)});
    json out = json::array();
    for (int i = 0; i < r.rows(); ++i)
        out.push_back({{"deposit", r.text(i, 0)},
                       {"provider", r.text(i, 1)},
                       {"user", r.text(i, 2)},
                       {"charge", settings::moneyJson(moneyOf(r.int64(i, 3), r.text(i, 4)))},
                       {"reversed", settings::moneyJson(moneyOf(r.int64(i, 5), r.text(i, 4)))},
                       {"status", r.text(i, 6)},
                       {"outcome", r.text(i, 7)},
                       {"received_at", r.text(i, 8)},
                       {"video", r.text(i, 9).empty() ? json() : json(r.text(i, 9))}});
    return {{"disputes", out}};
}

std::string MoneyReports::statement(accounts::UserId user, const std::string& month) {
    static const std::regex kMonth(R"(\d{4}-(0[1-9]|1[0-2]))");
    if (!std::regex_match(month, kMonth))
        throw ServiceError(ServiceError::Kind::Invalid, "invalid_request", "'month' is YYYY-MM.");
    const std::string start = month + "-01";
    const std::string held = "a.kind IN ('wallet', 'earnings_pending', 'earnings') AND "
                             "e.role <> 'mature' AND a.user_id = $1";
    auto conn = pool_.acquire();
    std::map<std::string, std::int64_t> running;
    auto opening =
        conn->exec("SELECT a.currency, sum(e.amount_minor)::bigint FROM ledger_entries e "
                   "JOIN ledger_accounts a ON a.id = e.account_id "
                   "JOIN ledger_transactions t ON t.id = e.transaction_id WHERE " +
                       held + " AND t.created_at < $2::date GROUP BY 1",
                   {std::to_string(user.value), start});
    for (int i = 0; i < opening.rows(); ++i)
        running[opening.text(i, 0)] = opening.int64(i, 1);
    auto r = conn->exec(
        "SELECT " + db::isoUtc("t.created_at") +
            ", e.role, t.memo, e.amount_minor, a.currency FROM ledger_entries e "
            "JOIN ledger_accounts a ON a.id = e.account_id "
            "JOIN ledger_transactions t ON t.id = e.transaction_id WHERE " +
            held +
            " AND t.created_at >= $2::date AND t.created_at < $2::date + interval '1 month' "
            "ORDER BY e.id",
        {std::to_string(user.value), start});
    std::string csv = csvRow({"date", "kind", "description", "amount", "currency", "balance"});
    for (int i = 0; i < r.rows(); ++i) {
        const std::string code = r.text(i, 4);
        running[code] += r.int64(i, 3);
        csv += csvRow({r.text(i, 0), r.text(i, 1), r.text(i, 2),
                       moneyOf(r.int64(i, 3), code).toDecimalString(), code,
                       moneyOf(running[code], code).toDecimalString()});
    }
    return csv;
}

} // namespace reelgate::server::money
