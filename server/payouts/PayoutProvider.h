#pragma once
// Sending money out to a user: a payout provider (Xendit disbursements, PayPal payouts) takes
// an amount, our reference (also its idempotency key, so a retried call pays once) and the
// user's decrypted payout details, and answers its own payout id. ProviderError
// (payments/PaymentProvider.h) when it cannot be reached or refuses; its message is safe to show
// an admin (no credentials, no payout details). Thread-safe.

#include "reelgate/core/Money.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace reelgate::server::payouts {

struct PayoutRequest {
    std::string reference; // ours, unique per withdrawal
    core::Money amount = core::Money::zero(core::Currency::fromCode("USD"));
    std::string method;      // bank | ewallet | paypal
    nlohmann::json details;  // decrypted: see money/PayoutDetails.h
    std::string description; // what the recipient reads
};

class PayoutProvider {
public:
    virtual ~PayoutProvider() = default;
    virtual std::string name() const = 0; // "xendit", "paypal": also the clearing account
    virtual bool supports(const std::string& method) const = 0;
    // The provider's payout id.
    virtual std::string send(const PayoutRequest& request) = 0;
};

// Xendit disbursements (POST /disbursements, Basic auth with the secret key): banks and
// e-wallets (the e-wallet provider is the channel code, the phone the account number).
std::unique_ptr<PayoutProvider> makeXenditPayouts(std::string secretKey, std::string apiUrl);
// PayPal payouts (POST /v1/payments/payouts after an OAuth client-credentials token).
std::unique_ptr<PayoutProvider> makePayPalPayouts(std::string clientId, std::string clientSecret,
                                                  std::string apiUrl);

} // namespace reelgate::server::payouts
