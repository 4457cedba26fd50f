#pragma once
// Sending money out to a user: a payout provider (Xendit disbursements, PayPal payouts) takes
// an amount, our reference (also its idempotency key: the same reference pays once) and the
// user's decrypted payout details. Calls never throw for the provider's sake; they answer what
// became of the payout:
//   Pending  the provider accepted it (not yet confirmed paid), payoutId set;
//   Paid     confirmed;
//   Failed   refused or failed for good (nothing paid), reason set;
//   Unknown  no usable answer (unreachable, 5xx, a duplicate it will not show): it may exist,
//            so it is asked about again under the SAME reference, never sent under a new one.
// Reasons are safe to show an admin (no credentials, no payout details). Thread-safe.

#include "payments/PaymentProvider.h"
#include "reelgate/core/Money.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace reelgate::server::payouts {

struct PayoutRequest {
    std::string reference; // ours, unique per withdrawal and attempt
    core::Money amount = core::Money::zero(core::Currency::fromCode("USD"));
    std::string method;      // bank | ewallet | paypal
    nlohmann::json details;  // decrypted: see money/PayoutDetails.h
    std::string description; // what the recipient reads
};

enum class PayoutState { Unknown = 0, Pending, Paid, Failed };

struct PayoutResult {
    PayoutState state = PayoutState::Unknown;
    std::string payoutId; // the provider's id, when it told us
    std::string reason;
};

// What an authenticated payout notification is about (nothing more is believed from it: the
// payout's state is fetched with status()).
struct PayoutNotice {
    std::string eventId;  // the provider's event (a replay carries the same one)
    std::string payoutId; // the provider's payout id; "" when it is about something else
    std::string key;      // our reference, when the notification names it
};

class PayoutProvider {
public:
    virtual ~PayoutProvider() = default;
    virtual std::string name() const = 0; // "xendit", "paypal": also the clearing account
    virtual bool supports(const std::string& method) const = 0;
    virtual PayoutResult send(const PayoutRequest& request) = 0;
    // After an attempt whose answer was lost: the payout under request.reference looked up by
    // that reference where the provider allows it, else sent again under it (deduplicated).
    virtual PayoutResult resume(const PayoutRequest& request) = 0;
    // The state of an accepted payout, fetched by the provider's id (webhooks never trust the
    // notification's own body).
    virtual PayoutResult status(const std::string& payoutId) = 0;
    // Authenticates a payout notification the provider's way; payments::NotificationRejected
    // when it is not genuine, payments::ProviderError when that cannot be checked now.
    virtual PayoutNotice verifyNotification(const payments::IncomingNotification& n) = 0;
};

// Xendit disbursements (POST /disbursements, Basic auth with the secret key, X-IDEMPOTENCY-KEY
// and external_id = our reference; GET /disbursements?external_id= and /disbursements/{id}):
// banks and e-wallets (the e-wallet provider is the channel code, the phone the account number).
// Disbursement callbacks carry x-callback-token (compared in constant time; none configured:
// every callback is refused).
std::unique_ptr<PayoutProvider> makeXenditPayouts(std::string secretKey, std::string apiUrl,
                                                  std::string callbackToken);
// PayPal payouts (an OAuth client-credentials token, POST /v1/payments/payouts with
// sender_batch_id and PayPal-Request-Id = our reference, GET /v1/payments/payouts/{batch}).
// PAYMENT.PAYOUTS-ITEM.* webhooks are verified with PayPal's verify API for `webhookId`.
std::unique_ptr<PayoutProvider> makePayPalPayouts(std::string clientId, std::string clientSecret,
                                                  std::string apiUrl, std::string webhookId);

} // namespace reelgate::server::payouts
