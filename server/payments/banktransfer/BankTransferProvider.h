#pragma once
// Bank transfer: no remote API. The buyer gets the operator's instructions and the deposit's
// unique reference to write on the transfer; an admin confirms receipt (approve or reject
// with a note) through the admin API. Thread-safe (immutable).

#include "payments/PaymentProvider.h"

namespace reelgate::server::payments {

class BankTransferProvider : public PaymentProvider {
public:
    explicit BankTransferProvider(std::string instructions)
        : instructions_(std::move(instructions)) {}

    std::string name() const override { return "bank"; }
    std::string label() const override { return "Bank transfer"; }
    Capabilities capabilities() const override;
    CheckoutResult createCheckout(const CheckoutRequest& request) override;
    PaymentEvent verifyNotification(const IncomingNotification& notification) override;
    PaymentEvent queryStatus(const std::string& reference,
                             const std::string& providerPaymentId) override;
    void refund(const std::string& providerPaymentId, const core::Money& amount,
                const std::string& refundKey) override;

private:
    std::string instructions_;
};

} // namespace reelgate::server::payments
