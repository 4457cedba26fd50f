#pragma once
// PayPal Orders v2: an order per deposit (our reference as custom_id), the buyer approves it on
// PayPal's page, and the server captures it (after the APPROVED webhook, the buyer's return, or
// a lookup); only a COMPLETED capture counts. A webhook counts only when PayPal's
// verify-webhook-signature API says SUCCESS for our webhook id, and then the order or capture
// is fetched rather than believed. Thread-safe (the OAuth token is PayPalToken's, shared with the
// payouts).

#include "payments/PaymentProvider.h"
#include "payments/paypal/PayPalToken.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <mutex>

namespace reelgate::server::payments {

struct PayPalKeys {
    std::string clientId;
    std::string clientSecret;
    std::string webhookId;
    std::string apiUrl; // https://api-m.paypal.com (sandbox: https://api-m.sandbox.paypal.com)
};

class PayPalProvider : public PaymentProvider {
public:
    explicit PayPalProvider(PayPalKeys keys);

    std::string name() const override { return "paypal"; }
    std::string label() const override { return "PayPal"; }
    Capabilities capabilities() const override;
    CheckoutResult createCheckout(const CheckoutRequest& request) override;
    PaymentEvent verifyNotification(const IncomingNotification& notification) override;
    // Looks the order up and captures it when the buyer has approved it.
    PaymentEvent queryStatus(const std::string& reference,
                             const std::string& providerPaymentId) override;
    void refund(const std::string& captureId, const core::Money& amount,
                const std::string& refundKey) override;

private:
    nlohmann::json call(const std::string& method, const std::string& path, const std::string& body,
                        const std::string& requestId = "");

    PayPalKeys keys_;
    std::shared_ptr<PayPalToken> token_; // shared with the payouts (payouts/PayoutProviders)
};

} // namespace reelgate::server::payments
