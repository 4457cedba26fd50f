#include "money/PayoutWebhookRoutes.h"

#include "common/Log.h"
#include "http/ApiError.h"
#include "http/JsonResponse.h"

namespace reelgate::server::money {

void registerPayoutWebhookRoutes(httplib::Server& server, WithdrawalService& withdrawals) {
    server.Post(R"(/api/payouts/(xendit|paypal)/webhook)", [&](const httplib::Request& req,
                                                               httplib::Response& res) {
        const std::string provider = req.matches[1].str();
        const payments::IncomingNotification notification{
            req.body, [&req](const std::string& name) { return req.get_header_value(name); }};
        try {
            const std::string outcome = withdrawals.applyNotification(provider, notification);
            http::sendJson(res, 200, {{"received", true}, {"outcome", outcome}});
        } catch (const payments::NotificationRejected& e) {
            Log::warn("refused a " + provider + " payout notification: " + e.what());
            throw http::ApiError(401, "not_authentic",
                                 "This notification could not be authenticated.");
        } catch (const payments::ProviderError& e) {
            Log::warn("a " + provider + " payout notification could not be checked: " + e.what());
            throw http::ApiError(503, "provider_unavailable", "Try again later.", 30);
        }
    });
}

} // namespace reelgate::server::money
