#pragma once
// Midtrans Snap: a Snap transaction per deposit (our reference as order_id), the buyer pays on
// Snap's page (cards, QRIS, virtual accounts, e-wallets). Midtrans charges rupiah: other
// currencies are converted at the admin's rate (locked on the deposit) and rounded to whole
// rupiah. A notification counts only when its signature_key (SHA-512 of order_id +
// status_code + gross_amount + server key) matches, and then only what the status API says
// is believed. A refund carries our refund_key, so a retried refund request refunds once.
// Thread-safe.

#include "payments/PaymentProvider.h"

#include <nlohmann/json.hpp>

namespace reelgate::server::payments {

struct MidtransKeys {
    std::string serverKey;
    std::string apiUrl;  // Core API (status): https://api.midtrans.com or a stand-in
    std::string snapUrl; // Snap (checkout): https://app.midtrans.com or a stand-in
};

class MidtransProvider : public PaymentProvider {
public:
    explicit MidtransProvider(MidtransKeys keys);

    std::string name() const override { return "midtrans"; }
    std::string label() const override { return "QRIS, bank or e-wallet (Midtrans)"; }
    Capabilities capabilities() const override;
    CheckoutResult createCheckout(const CheckoutRequest& request) override;
    PaymentEvent verifyNotification(const IncomingNotification& notification) override;
    PaymentEvent queryStatus(const std::string& reference,
                             const std::string& providerPaymentId) override;
    // Sends refundKey as Midtrans's refund_key: Midtrans treats a request with a key it has seen
    // as a retry of that refund, not a new one.
    void refund(const std::string& providerPaymentId, const core::Money& amount,
                const std::string& refundKey) override;

private:
    nlohmann::json call(const std::string& method, const std::string& url, const std::string& body);

    MidtransKeys keys_;
};

} // namespace reelgate::server::payments
