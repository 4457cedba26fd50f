#include "admin/AdminMoneyRoutes.h"

#include "http/ApiError.h"
#include "http/JsonBody.h"
#include "http/JsonResponse.h"
#include "http/QueryParam.h"
#include "ledger/EarningsBook.h"
#include "money/AuditLog.h"

#include <set>

namespace reelgate::server::admin {

using http::ApiError;
using money::sendList;
using nlohmann::json;

namespace {
constexpr const char* kWithdrawalId = R"(/api/admin/withdrawals/([A-Za-z0-9_-]{8,32}))";
}

void registerAdminMoneyRoutes(httplib::Server& server, money::MoneyServices& money,
                              db::PgPool& pool, accounts::RequestAuth& auth) {
    server.Get("/api/admin/withdrawals", [&](const httplib::Request& req, httplib::Response& res) {
        auth.requireAdmin(req);
        const std::string status = http::queryText(req, "status", 20);
        static const std::set<std::string> kStatuses = {"requested", "approved", "sent",    "paid",
                                                        "rejected",  "failed",   "returned"};
        if (!status.empty() && !kStatuses.contains(status))
            throw ApiError::badRequest(
                "status is requested, approved, sent, paid, rejected, failed or returned.");
        const auto [limit, offset] = money::pageOf(req);
        sendList(req, res, money.withdrawals.adminList(status, limit, offset), "withdrawals",
                 {{"id", "id"},
                  {"user", "user"},
                  {"status", "status"},
                  {"amount", "amount"},
                  {"fee", "fee"},
                  {"net", "net"},
                  {"method", "method"},
                  {"via", "via"},
                  {"reference", "reference"},
                  {"reason", "reason"},
                  {"created_at", "created_at"},
                  {"resolved_at", "resolved_at"},
                  {"in_doubt", "in_doubt"},
                  {"last_attempt_at", "last_attempt_at"}});
    });

    // An approved payout without an answer (in doubt) or a sent one: ask the provider now.
    server.Post(std::string(kWithdrawalId) + "/retry", [&](const httplib::Request& req,
                                                           httplib::Response& res) {
        const auto ctx = auth.requireAdmin(req);
        http::JsonBody body(req);
        const std::string note = body.optionalString("note", 500).value_or("");
        http::sendJson(
            res, 200,
            {{"withdrawal", money.withdrawals.retry(req.matches[1].str(), ctx.user.id, note)}});
    });

    server.Post(std::string(kWithdrawalId) + "/approve", [&](const httplib::Request& req,
                                                             httplib::Response& res) {
        const auto ctx = auth.requireAdmin(req);
        http::JsonBody body(req);
        money::WithdrawalDecision decision;
        decision.via = body.requiredString("via", 20);
        decision.reference = body.optionalString("reference", 100).value_or("");
        decision.note = body.optionalString("note", 500).value_or("");
        http::sendJson(res, 200,
                       {{"withdrawal",
                         money.withdrawals.approve(req.matches[1].str(), ctx.user.id, decision)}});
    });

    server.Post(std::string(kWithdrawalId) + "/reject", [&](const httplib::Request& req,
                                                            httplib::Response& res) {
        const auto ctx = auth.requireAdmin(req);
        http::JsonBody body(req);
        const std::string reason = body.optionalString("reason", 500)
                                       .value_or(body.optionalString("note", 500).value_or(""));
        http::sendJson(
            res, 200,
            {{"withdrawal", money.withdrawals.reject(req.matches[1].str(), ctx.user.id, reason)}});
    });

    server.Get("/api/admin/purchases", [&](const httplib::Request& req, httplib::Response& res) {
        auth.requireAdmin(req);
        const auto [limit, offset] = money::pageOf(req);
        sendList(req, res, money.refunds.search(http::queryText(req, "q", 200), limit, offset),
                 "purchases",
                 {{"id", "id"},
                  {"buyer", "buyer"},
                  {"video", "video"},
                  {"price", "price"},
                  {"fee", "fee"},
                  {"commission", "commission"},
                  {"creator_net", "creator_net"},
                  {"affiliate", "affiliate"},
                  {"paid_with", "paid_with"},
                  {"created_at", "created_at"}});
    });

    server.Post(
        R"(/api/admin/purchases/([A-Za-z0-9_-]{8,32})/refund)",
        [&](const httplib::Request& req, httplib::Response& res) {
            const auto ctx = auth.requireAdmin(req);
            http::JsonBody body(req);
            const std::string reason = body.optionalString("reason", 500)
                                           .value_or(body.optionalString("note", 500).value_or(""));
            // A part (minor units; default: all that is left).
            std::optional<std::int64_t> amount;
            if (const auto& v = body.json().value("amount_minor", nlohmann::json()); !v.is_null()) {
                if (!v.is_number_integer() ||
                    (v.is_number_unsigned() && v.get<std::uint64_t>() > INT64_MAX))
                    throw ApiError::badRequest("amount_minor is a whole number of minor units.");
                amount = v.get<std::int64_t>();
            }
            http::sendJson(res, 200,
                           money.refunds.refund(req.matches[1].str(), ctx.user, reason, amount));
        });

    server.Get("/api/admin/disputes", [&](const httplib::Request& req, httplib::Response& res) {
        auth.requireAdmin(req);
        const auto [limit, offset] = money::pageOf(req);
        sendList(req, res, money.reports.disputes(limit, offset), "disputes",
                 {{"deposit", "deposit"},
                  {"provider", "provider"},
                  {"user", "user"},
                  {"charge", "charge"},
                  {"reversed", "reversed"},
                  {"status", "status"},
                  {"outcome", "outcome"},
                  {"video", "video"},
                  {"received_at", "received_at"}});
    });

    server.Get("/api/admin/commissions", [&](const httplib::Request& req, httplib::Response& res) {
        auth.requireAdmin(req);
        const auto [limit, offset] = money::pageOf(req);
        sendList(req, res, money.reports.commissions(limit, offset), "commissions",
                 {{"purchase", "purchase"},
                  {"affiliate", "affiliate"},
                  {"buyer", "buyer"},
                  {"video", "video"},
                  {"amount", "amount"},
                  {"created_at", "created_at"}});
    });

    server.Get("/api/admin/revenue", [&](const httplib::Request& req, httplib::Response& res) {
        auth.requireAdmin(req);
        sendList(
            req, res,
            money.reports.revenue(http::queryText(req, "from", 10), http::queryText(req, "to", 10)),
            "days", {{"day", "day"}, {"currency", "currency"}, {"revenue", "revenue"}});
    });

    server.Get(
        "/api/admin/trial-balance", [&](const httplib::Request& req, httplib::Response& res) {
            auth.requireAdmin(req);
            ledger::EarningsBook::mature(pool, std::nullopt); // every due hold, before reading
            sendList(req, res, money.reports.trialBalance(), "accounts",
                     {{"id", "id"},
                      {"kind", "kind"},
                      {"owner", "owner"},
                      {"currency", "currency"},
                      {"balance", "balance"}});
        });

    server.Get("/api/admin/audit", [&](const httplib::Request& req, httplib::Response& res) {
        auth.requireAdmin(req);
        const auto [limit, offset] = money::pageOf(req);
        auto conn = pool.acquire();
        sendList(req, res, money::AuditLog::list(*conn, limit, offset), "entries",
                 {{"at", "at"},
                  {"admin", "admin"},
                  {"action", "action"},
                  {"subject", "subject"},
                  {"note", "note"},
                  {"details", "details"}});
    });
}

} // namespace reelgate::server::admin
