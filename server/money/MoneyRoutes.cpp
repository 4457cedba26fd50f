#include "money/MoneyRoutes.h"

#include "http/ApiError.h"
#include "http/JsonBody.h"
#include "http/JsonResponse.h"
#include "http/QueryParam.h"
#include "money/Csv.h"

namespace reelgate::server::money {

using http::ApiError;
using nlohmann::json;

std::pair<int, int> pageOf(const httplib::Request& req) {
    const int limit = http::queryInt(req, "limit", 100);
    const int offset = http::queryInt(req, "offset", 0);
    if (limit < 1 || limit > 500 || offset < 0)
        throw ApiError::badRequest("limit is 1..500 and offset 0 or more.");
    return {limit, offset};
}

void sendList(const httplib::Request& req, httplib::Response& res, const json& body,
              const std::string& key,
              const std::vector<std::pair<std::string, std::string>>& columns) {
    res.set_header("Cache-Control", "no-store");
    const std::string format = http::queryText(req, "format", 10);
    if (format == "csv") {
        res.status = 200;
        res.set_header("Content-Disposition", "attachment; filename=\"" + key + ".csv\"");
        res.set_content(jsonToCsv(body.at(key), columns), "text/csv; charset=utf-8");
        return;
    }
    if (!format.empty() && format != "json")
        throw ApiError::badRequest("format is json or csv.");
    http::sendJson(res, 200, body);
}

core::Money moneyField(const json& body) {
    const auto money = core::Money::tryFromJson(body);
    if (!money)
        throw ApiError(400, "invalid_amount",
                       "Send \"amount_minor\" (a whole number of minor units) and \"currency\" "
                       "(a known ISO 4217 code).");
    return *money;
}

void registerMoneyRoutes(httplib::Server& server, MoneyServices& money,
                         accounts::RequestAuth& auth) {
    server.Get("/api/me/payout-details", [&](const httplib::Request& req, httplib::Response& res) {
        const auto ctx = auth.require(req);
        res.set_header("Cache-Control", "no-store");
        http::sendJson(res, 200, money.details.get(ctx.user.id));
    });

    server.Put("/api/me/payout-details", [&](const httplib::Request& req, httplib::Response& res) {
        const auto ctx = auth.require(req);
        http::JsonBody body(req);
        const std::string method = body.requiredString("method", 20);
        const std::string password = body.requiredString("password", 1024);
        res.set_header("Cache-Control", "no-store");
        http::sendJson(
            res, 200,
            money.details.update(ctx.user, method, body.json().value("details", json()), password));
    });

    server.Post(
        "/api/wallet/withdrawals", [&](const httplib::Request& req, httplib::Response& res) {
            const auto ctx = auth.require(req);
            http::JsonBody body(req);
            const auto [status, answer] = money.withdrawals.request(
                ctx.user.id, moneyField(body.json()), req.get_header_value("Idempotency-Key"));
            http::sendJson(res, status, answer);
        });

    server.Get("/api/wallet/withdrawals", [&](const httplib::Request& req, httplib::Response& res) {
        const auto ctx = auth.require(req);
        const auto [limit, offset] = pageOf(req);
        sendList(req, res, money.withdrawals.list(ctx.user.id, limit, offset), "withdrawals",
                 {{"id", "id"},
                  {"status", "status"},
                  {"amount", "amount"},
                  {"fee", "fee"},
                  {"net", "net"},
                  {"method", "method"},
                  {"reference", "reference"},
                  {"reason", "reason"},
                  {"created_at", "created_at"},
                  {"resolved_at", "resolved_at"}});
    });

    server.Get("/api/me/statement", [&](const httplib::Request& req, httplib::Response& res) {
        const auto ctx = auth.require(req);
        const std::string month = http::queryText(req, "month", 7);
        const std::string csv = money.reports.statement(ctx.user.id, month); // checks month
        res.set_header("Cache-Control", "no-store");
        res.set_header("Content-Disposition",
                       "attachment; filename=\"statement-" + month + ".csv\"");
        res.set_content(csv, "text/csv; charset=utf-8");
    });

    server.Post("/api/wallet/transfers", [&](const httplib::Request& req, httplib::Response& res) {
        const auto ctx = auth.require(req);
        http::JsonBody body(req);
        const auto amount = moneyField(body.json());
        const std::string to = body.requiredString("to", 64);
        const std::string note = body.optionalString("note", 200).value_or("");
        const auto [status, answer] = money.transfers.send(ctx.user.id, to, amount, note,
                                                           req.get_header_value("Idempotency-Key"));
        http::sendJson(res, status, answer);
    });
}

} // namespace reelgate::server::money
