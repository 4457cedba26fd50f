#pragma once
// Xendit Invoices: an invoice per deposit (our reference as external_id), the buyer pays on
// the invoice page (virtual accounts, QRIS, e-wallets, cards). A callback counts only when its
// x-callback-token equals ours (constant-time), and then only what a fetch of the invoice
// says is believed. Charges IDR, PHP, THB, VND, MYR; others are converted to IDR at the
// admin's rate. Refunds go through the Refunds API (POST /refunds against the invoice); its
// refund.succeeded callback arrives at the same URL, and the invoice's refunds as Xendit lists
// them give the cumulative amount reversed. Thread-safe.

#include "payments/PaymentProvider.h"
#include "payments/ProviderHttp.h"

#include <nlohmann/json.hpp>

namespace reelgate::server::payments {

struct XenditKeys {
    std::string secretKey;
    std::string callbackToken;
    std::string apiUrl; // https://api.xendit.co or a stand-in
};

class XenditProvider : public PaymentProvider {
public:
    explicit XenditProvider(XenditKeys keys);

    std::string name() const override { return "xendit"; }
    std::string label() const override { return "Virtual account, QRIS or e-wallet (Xendit)"; }
    Capabilities capabilities() const override;
    CheckoutResult createCheckout(const CheckoutRequest& request) override;
    PaymentEvent verifyNotification(const IncomingNotification& notification) override;
    PaymentEvent queryStatus(const std::string& reference,
                             const std::string& providerPaymentId) override;
    // Sends "refund-<refundKey>" in the Refunds API's idempotency-key header. Xendit refuses a
    // key it has seen with 409 DUPLICATE_ERROR: that refund was made, so it counts as done.
    void refund(const std::string& providerPaymentId, const core::Money& amount,
                const std::string& refundKey) override;

private:
    PaymentEvent refundEvent(const nlohmann::json& callback);
    ProviderRequest request(const std::string& method, const std::string& path,
                            const std::string& body) const;
    nlohmann::json call(const std::string& method, const std::string& path, const std::string& body,
                        const std::string& idempotencyKey);

    XenditKeys keys_;
};

} // namespace reelgate::server::payments
