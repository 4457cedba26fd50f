#pragma once
// One payment provider (Stripe, PayPal, Midtrans, Xendit, bank transfer): the small interface
// every provider folder implements. A provider talks to its remote API and authenticates its
// notifications; it knows nothing of deposits, the ledger or HTTP routes. Amounts are integer
// minor units (core::Money). Implementations are thread-safe (called from HTTP workers and the
// reconciler at once). Errors: ProviderError when the provider cannot be reached or refuses;
// NotificationRejected when a notification is not authentic (never processed).

#include "reelgate/core/Money.h"

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace reelgate::server::payments {

// DisputeWon: a dispute closed in the seller's favour (the provider released the money).
enum class PaymentStatus {
    Invalid = 0,
    Pending,
    Paid,
    Failed,
    Expired,
    Refunded,
    Disputed,
    DisputeWon
};

const char* statusName(PaymentStatus status);

struct Capabilities {
    std::vector<std::string> currencies; // codes it charges; empty = any
    std::string chargeCurrency;  // non-empty: what others are converted into (at the admin's rate)
    bool wholeUnitsOnly = false; // amounts in whole major units (rupiah without sen)
    bool refunds = false;
    bool asynchronous = false; // methods that settle later (bank transfer, virtual accounts)
    bool redirects = true;     // false: the buyer gets instructions instead of a page
};

struct CheckoutRequest {
    std::string reference; // ours; unique per deposit; the provider echoes it back
    core::Money amount;    // what to charge, in a currency the provider charges
    std::string description;
    std::string successUrl;
    std::string cancelUrl;
    std::string buyerEmail;
};

struct CheckoutResult {
    std::string providerPaymentId; // session / order / invoice id
    std::string redirectUrl;       // empty when instructions are the way to pay
    std::string instructions;
};

// A notification or a status answer, normalised. amount is what the provider says was paid
// (or refunded); absent when it did not say.
struct PaymentEvent {
    std::string eventId;           // unique per provider; duplicates are dropped on it
    std::string reference;         // ours, when the provider echoes it
    std::string providerPaymentId; // session / order / invoice
    std::string providerChargeId;  // payment intent / capture (refunds and disputes name it)
    PaymentStatus status = PaymentStatus::Invalid;
    std::optional<core::Money> amount;
    std::string description; // the provider's event type, for the admin
};

struct IncomingNotification {
    std::string body; // raw bytes as received
    std::function<std::string(const std::string& name)> header;
};

class ProviderError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class NotificationRejected : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// An identifier a notification carries (event id, payment or payout id, our reference), checked
// at the edge like any text from outside: UTF-8 without control characters, 1 to maxChars
// characters (empty allowed when `optional`). NotificationRejected names `what` otherwise.
void requireNotificationText(std::string_view value, const char* what, std::size_t maxChars,
                             bool optional = false);

class PaymentProvider {
public:
    virtual ~PaymentProvider() = default;
    virtual std::string name() const = 0;  // "stripe": URLs, database, clearing account
    virtual std::string label() const = 0; // what a buyer reads: "Card (Stripe)"
    virtual Capabilities capabilities() const = 0;
    virtual CheckoutResult createCheckout(const CheckoutRequest& request) = 0;
    // Authenticates and normalises one notification. An event that is not about a payment we
    // track comes back with status Invalid (stored, answered 2xx, changes nothing).
    virtual PaymentEvent verifyNotification(const IncomingNotification& notification) = 0;
    // Asks the provider about a payment (reconciler, and providers whose notifications only
    // say "look again").
    virtual PaymentEvent queryStatus(const std::string& reference,
                                     const std::string& providerPaymentId) = 0;
    // Refunds `amount` (all or part) of a paid payment. refundKey is our key for this refund
    // request (1-64 of [A-Za-z0-9_-]): a retry of the same request carries the same key, and
    // every provider is sent it the way it deduplicates refunds (Stripe's Idempotency-Key,
    // PayPal's PayPal-Request-Id, Midtrans's refund_key, Xendit's idempotency-key), so a
    // retried request refunds once.
    virtual void refund(const std::string& providerPaymentId, const core::Money& amount,
                        const std::string& refundKey) = 0;
};

} // namespace reelgate::server::payments
