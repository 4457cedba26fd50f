#include "payments/paypal/PayPalWebhook.h"

#include <nlohmann/json.hpp>

namespace reelgate::server::payments {

std::string payPalVerifyRequest(const IncomingNotification& notification,
                                const std::string& webhookId) {
    const std::string request = nlohmann::json{
        {"auth_algo", notification.header("PAYPAL-AUTH-ALGO")},
        {"cert_url", notification.header("PAYPAL-CERT-URL")},
        {"transmission_id", notification.header("PAYPAL-TRANSMISSION-ID")},
        {"transmission_sig", notification.header("PAYPAL-TRANSMISSION-SIG")},
        {"transmission_time", notification.header("PAYPAL-TRANSMISSION-TIME")},
        {"webhook_id", webhookId}}.dump();
    return request.substr(0, request.size() - 1) + ",\"webhook_event\":" + notification.body + "}";
}

} // namespace reelgate::server::payments
