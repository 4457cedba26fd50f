#include "wallet/WalletRoutes.h"

#include "http/ApiError.h"
#include "http/JsonBody.h"
#include "http/JsonResponse.h"
#include "http/QueryParam.h"
#include "settings/PlatformSettings.h"

namespace reelgate::server::wallet {
namespace {

using http::ApiError;
using nlohmann::json;

bool plausibleUsername(const std::string& name) {
    if (name.empty() || name.size() > 40)
        return false;
    for (const char c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-')
            return false;
    return true;
}

} // namespace

void registerWalletRoutes(httplib::Server& server, WalletService& wallets,
                          PurchaseService& purchases, accounts::RequestAuth& auth) {
    server.Get("/api/wallet", [&](const httplib::Request& req, httplib::Response& res) {
        const auto ctx = auth.require(req);
        res.set_header("Cache-Control", "no-store");
        http::sendJson(res, 200, {{"balances", wallets.balances(ctx.user.id)}});
    });

    server.Get("/api/wallet/history", [&](const httplib::Request& req, httplib::Response& res) {
        const auto ctx = auth.require(req);
        res.set_header("Cache-Control", "no-store");
        http::sendJson(res, 200,
                       wallets.history(ctx.user.id, http::queryInt(req, "limit", 50),
                                       http::queryInt(req, "offset", 0)));
    });

    server.Post(R"(/api/videos/([A-Za-z0-9_-]{8,32})/purchase)", [&](const httplib::Request& req,
                                                                     httplib::Response& res) {
        const auto ctx = auth.require(req);
        PurchaseRequest request;
        request.buyer = ctx.user.id;
        request.videoPublicId = req.matches[1].str();
        request.idempotencyKey = req.get_header_value("Idempotency-Key");
        if (!req.body.empty()) {
            http::JsonBody body(req);
            request.referrer = body.optionalString("ref", 64).value_or("");
        }
        if (request.referrer.empty())
            request.referrer = accounts::RequestAuth::cookie(req, kReferralCookie).value_or("");
        if (!plausibleUsername(request.referrer))
            request.referrer.clear();
        const auto outcome = purchases.purchase(request);
        http::sendJson(res, outcome.status, outcome.body);
    });

    server.Get("/api/me/purchases", [&](const httplib::Request& req, httplib::Response& res) {
        const auto ctx = auth.require(req);
        http::sendJson(res, 200, purchases.purchases(ctx.user.id));
    });

    server.Get("/api/me/affiliate", [&](const httplib::Request& req, httplib::Response& res) {
        const auto ctx = auth.require(req);
        http::sendJson(res, 200, purchases.affiliate(ctx.user.id, ctx.user.username));
    });

    server.Get("/api/me/sales", [&](const httplib::Request& req, httplib::Response& res) {
        const auto ctx = auth.requireCreator(req);
        http::sendJson(res, 200, purchases.creatorSales(ctx.user.id));
    });
}

} // namespace reelgate::server::wallet
