#include "payments/PaymentRoutes.h"

#include "common/Log.h"
#include "http/ApiError.h"
#include "http/JsonBody.h"
#include "http/JsonResponse.h"
#include "http/QueryParam.h"
#include "wallet/WalletRoutes.h"

#include <chrono>

namespace reelgate::server::payments {
namespace {

using http::ApiError;
using nlohmann::json;

std::optional<core::Money> amountFrom(const http::JsonBody& body) {
    const auto& j = body.json();
    if (j.contains("amount") && j["amount"].is_object())
        return core::Money::tryFromJson(j["amount"]);
    const auto text = body.optionalString("amount", 32);
    const auto code = core::Currency::tryFromCode(body.optionalString("currency", 3).value_or(""));
    if (!text || !code)
        throw ApiError(400, "invalid_amount",
                       "Send amount (like \"10.00\") and currency (like \"USD\").");
    return core::Money::tryParse(*text, *code);
}

void sendOutcome(httplib::Response& res, const DepositOutcome& outcome) {
    res.set_header("Cache-Control", "no-store");
    http::sendJson(res, outcome.status, outcome.body);
}

// Provider failures at checkout: the buyer may try again later.
template <typename F> DepositOutcome guarded(F&& create) {
    try {
        return create();
    } catch (const ProviderError& e) {
        Log::warn(std::string("checkout failed: ") + e.what());
        throw ApiError(502, "provider_unavailable",
                       "The payment provider could not be reached; try again in a moment.");
    }
}

} // namespace

void registerPaymentRoutes(httplib::Server& server, PaymentsService& payments,
                           accounts::RequestAuth& auth) {
    server.Get("/api/payments/providers", [&](const httplib::Request&, httplib::Response& res) {
        http::sendJson(res, 200, payments.providersJson());
    });

    server.Get("/api/payments/quote", [&](const httplib::Request& req, httplib::Response& res) {
        const auto currency = core::Currency::tryFromCode(req.get_param_value("currency"));
        const auto amount = currency
                                ? core::Money::tryParse(req.get_param_value("amount"), *currency)
                                : std::nullopt;
        if (!amount || amount->amountMinor() <= 0)
            throw ApiError(400, "invalid_amount", "Send amount (like 10.00) and currency.");
        http::sendJson(res, 200, payments.quoteJson(req.get_param_value("provider"), *amount));
    });

    server.Post("/api/wallet/deposits", [&](const httplib::Request& req, httplib::Response& res) {
        const auto ctx = auth.require(req);
        http::JsonBody body(req);
        DepositRequest request;
        request.user = ctx.user.id;
        request.provider = body.requiredString("provider", 20);
        request.idempotencyKey = req.get_header_value("Idempotency-Key");
        request.amount = amountFrom(body);
        if (!request.amount)
            throw ApiError(400, "invalid_amount", "The amount is not a valid sum of money.");
        sendOutcome(res, guarded([&] { return payments.createDeposit(request); }));
    });

    server.Post(R"(/api/videos/([A-Za-z0-9_-]{8,32})/checkout)", [&](const httplib::Request& req,
                                                                     httplib::Response& res) {
        const auto ctx = auth.require(req);
        http::JsonBody body(req);
        DepositRequest request;
        request.user = ctx.user.id;
        request.videoPublicId = req.matches[1].str();
        request.provider = body.requiredString("provider", 20);
        request.idempotencyKey = req.get_header_value("Idempotency-Key");
        request.referrer = body.optionalString("ref", 64).value_or("");
        if (request.referrer.empty())
            request.referrer =
                accounts::RequestAuth::cookie(req, wallet::kReferralCookie).value_or("");
        if (request.referrer.size() > 40) // usernames are shorter; a stranger counts as none
            request.referrer.clear();
        sendOutcome(res, guarded([&] { return payments.createDeposit(request); }));
    });

    server.Get("/api/wallet/deposits", [&](const httplib::Request& req, httplib::Response& res) {
        const auto ctx = auth.require(req);
        res.set_header("Cache-Control", "no-store");
        http::sendJson(res, 200, payments.deposits(ctx.user.id));
    });

    server.Get(R"(/api/wallet/deposits/([A-Za-z0-9_-]{8,32}))", [&](const httplib::Request& req,
                                                                    httplib::Response& res) {
        const auto ctx = auth.require(req);
        res.set_header("Cache-Control", "no-store");
        http::sendJson(res, 200,
                       payments.deposit(ctx.user.id, ctx.user.isAdmin, req.matches[1].str()));
    });

    server.Post(R"(/api/wallet/deposits/([A-Za-z0-9_-]{8,32})/check)",
                [&](const httplib::Request& req, httplib::Response& res) {
                    const auto ctx = auth.require(req);
                    res.set_header("Cache-Control", "no-store");
                    http::sendJson(
                        res, 200,
                        payments.checkDeposit(ctx.user.id, ctx.user.isAdmin, req.matches[1].str()));
                });

    server.Post(R"(/api/payments/([a-z]{2,20})/webhook)", [&](const httplib::Request& req,
                                                              httplib::Response& res) {
        const std::string provider = req.matches[1].str();
        IncomingNotification notification{
            req.body, [&req](const std::string& name) { return req.get_header_value(name); }};
        try {
            const auto outcome = payments.handleNotification(provider, notification);
            http::sendJson(res, 200, {{"received", true}, {"outcome", outcome.outcome}});
        } catch (const NotificationRejected& e) {
            Log::warn("refused a " + provider + " notification: " + e.what());
            throw ApiError(400, "not_authentic", "This notification could not be authenticated.");
        } catch (const ProviderError& e) {
            Log::warn("a " + provider + " notification could not be checked: " + e.what());
            throw ApiError(503, "provider_unavailable", "Try again later.", 30);
        }
    });

    server.Get("/api/admin/deposits", [&](const httplib::Request& req, httplib::Response& res) {
        auth.requireAdmin(req);
        res.set_header("Cache-Control", "no-store");
        http::sendJson(res, 200,
                       payments.adminDeposits(req.get_param_value("filter"),
                                              req.get_param_value("provider"),
                                              http::queryInt(req, "limit", 100)));
    });

    server.Get(R"(/api/admin/deposits/([A-Za-z0-9_-]{8,32}))",
               [&](const httplib::Request& req, httplib::Response& res) {
                   auth.requireAdmin(req);
                   res.set_header("Cache-Control", "no-store");
                   http::sendJson(res, 200, payments.adminDeposit(req.matches[1].str()));
               });

    server.Post(R"(/api/admin/deposits/([A-Za-z0-9_-]{8,32})/(approve|reject))",
                [&](const httplib::Request& req, httplib::Response& res) {
                    const auto ctx = auth.requireAdmin(req);
                    std::string note;
                    if (!req.body.empty())
                        note = http::JsonBody(req).optionalString("note", 500).value_or("");
                    http::sendJson(res, 200,
                                   payments.decideBankTransfer(req.matches[1].str(),
                                                               req.matches[2].str() == "approve",
                                                               note, ctx.user.username));
                });

    server.Post(R"(/api/admin/deposits/([A-Za-z0-9_-]{8,32})/refund)",
                [&](const httplib::Request& req, httplib::Response& res) {
                    const auto ctx = auth.requireAdmin(req);
                    std::optional<core::Money> amount;
                    if (!req.body.empty() && http::JsonBody(req).json().contains("amount")) {
                        amount = amountFrom(http::JsonBody(req));
                        if (!amount)
                            throw ApiError(400, "invalid_amount", "The amount is not valid.");
                    }
                    try {
                        http::sendJson(res, 200,
                                       payments.refundDeposit(req.matches[1].str(), amount,
                                                              ctx.user.username));
                    } catch (const ProviderError& e) {
                        Log::warn(std::string("refund failed: ") + e.what());
                        throw ApiError(502, "provider_unavailable",
                                       "The payment provider did not take the refund.");
                    }
                });

    server.Post(
        "/api/admin/payments/reconcile", [&](const httplib::Request& req, httplib::Response& res) {
            auth.requireAdmin(req);
            http::sendJson(res, 200, {{"settled", payments.reconcile(std::chrono::seconds(0))}});
        });
}

} // namespace reelgate::server::payments
