#pragma once
// Stripe Checkout Sessions: a session per deposit (our reference as client_reference_id and
// metadata), the buyer pays on Stripe's page, Stripe's signed webhook (or a session lookup)
// says paid. Refunds go through /v1/refunds on the payment intent, keyed by our refund key.
// Thread-safe.

#include "payments/PaymentProvider.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace reelgate::server::payments {

struct StripeKeys {
    std::string secretKey;                   // sk_...
    std::vector<std::string> webhookSecrets; // whsec_..., several during a rotation
    std::string apiUrl;                      // https://api.stripe.com or a stand-in
};

class StripeProvider : public PaymentProvider {
public:
    explicit StripeProvider(StripeKeys keys);

    std::string name() const override { return "stripe"; }
    std::string label() const override { return "Card (Stripe)"; }
    Capabilities capabilities() const override;
    CheckoutResult createCheckout(const CheckoutRequest& request) override;
    PaymentEvent verifyNotification(const IncomingNotification& notification) override;
    PaymentEvent queryStatus(const std::string& reference,
                             const std::string& providerPaymentId) override;
    // Sends "refund-<refundKey>" as Stripe's Idempotency-Key: Stripe answers a request with a
    // key it has seen with the first answer, refunding nothing more.
    void refund(const std::string& providerChargeId, const core::Money& amount,
                const std::string& refundKey) override;

private:
    nlohmann::json call(const std::string& method, const std::string& path, const std::string& form,
                        const std::string& idempotencyKey);

    StripeKeys keys_;
};

} // namespace reelgate::server::payments
