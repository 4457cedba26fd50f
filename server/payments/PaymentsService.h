#pragma once
// Money in: deposits through payment providers. A top-up or a pay-at-checkout creates a PENDING
// deposit and the provider's checkout (a page to pay on, or bank instructions); the
// provider's authenticated notification, a status lookup or an admin's approval posts it at
// most once (DepositLedger) or voids it. Every authenticated notification is stored raw,
// append-only, unique on (provider, event id): a duplicate changes nothing; an amount or
// currency that differs from the deposit's credits nothing and flags it for the admin; a
// processing failure throws, so the route answers non-2xx and the provider retries.
// Knows the database, not HTTP. Thread-safe.

#include "accounts/User.h"
#include "db/PgPool.h"
#include "payments/PaymentProvider.h"
#include "settings/PlatformSettings.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <string>

namespace reelgate::server::payments {

struct DepositRequest {
    accounts::UserId user;
    std::string provider;
    std::string idempotencyKey;
    std::optional<core::Money> amount; // top-up; absent for a checkout (the price)
    std::string videoPublicId;         // checkout
    std::string referrer;              // checkout: username from ?ref=, empty = none
};

struct DepositOutcome {
    int status = 0; // 201 first time, 200 for a replay of the same Idempotency-Key
    nlohmann::json body;
};

// What a notification did: "duplicate", "posted", "mismatch", "ignored" ...
struct NotificationOutcome {
    std::string outcome;
    std::string depositId; // public id, empty when it named none of ours
};

class PaymentsService {
public:
    // publicUrl: where buyers come back to after paying (return pages).
    PaymentsService(db::PgPool& pool, settings::PlatformSettings& settings, std::string publicUrl);

    // Adds an enabled provider (before serving).
    void addProvider(std::unique_ptr<PaymentProvider> provider);
    // Enabled providers for the payment panels: [{name, label, redirects, charge_currency}].
    nlohmann::json providersJson() const;

    // What `provider` would charge for `amount` now: {amount, charge, exchange_rate} (shown to
    // the buyer before paying). ServiceError as createDeposit for the provider and currency.
    nlohmann::json quoteJson(const std::string& provider, const core::Money& amount) const;

    // ServiceError: unknown_provider (404), too_many_pending_payments (429: 20 pending within
    // the hour), invalid_amount (400), idempotency_key_required
    // (400), idempotency_key_reused (422), no_exchange_rate (409), and for a checkout those of
    // a purchase (not_found, not_published, own_video, already_owned, free_video).
    // ProviderError when the provider could not be reached.
    DepositOutcome createDeposit(const DepositRequest& request);

    // The deposit as its owner (or an admin) sees it; ServiceError NotFound otherwise.
    nlohmann::json deposit(accounts::UserId viewer, bool admin, const std::string& publicId);
    nlohmann::json deposits(accounts::UserId user);
    // The buyer is back from the provider's page: ask the provider now (PayPal captures an
    // approved order here) instead of waiting for its notification. Answers like deposit().
    nlohmann::json checkDeposit(accounts::UserId viewer, bool admin, const std::string& publicId);

    // NotificationRejected for an unauthentic one; ServiceError NotFound for an unknown or
    // disabled provider; anything else thrown means "not processed, retry".
    NotificationOutcome handleNotification(const std::string& provider,
                                           const IncomingNotification& notification);

    // Admin: every deposit (newest first) with its notifications; filter is a status
    // (pending, posted, voided, refunded, disputed), "flagged" or "" (all); provider "" = all.
    nlohmann::json adminDeposits(const std::string& filter, const std::string& provider, int limit);
    // Admin: one deposit with every notification's raw body and what was reversed so far.
    nlohmann::json adminDeposit(const std::string& publicId);
    // Admin confirms (approve) or refuses (reject) a pending bank transfer.
    nlohmann::json decideBankTransfer(const std::string& publicId, bool approve,
                                      const std::string& note, const std::string& adminName);
    // Admin: asks the provider to refund `amount` (absent: what is not reversed yet) of a
    // posted deposit. The ledger is reversed when the provider confirms (its notification).
    // ServiceError: not_found, not_refundable (409: not posted, or the provider has no API
    // refunds), invalid_amount. ProviderError when the provider refuses.
    // `refundKey` names this refund to the provider (a retry of it refunds once); the caller's
    // own refund row id when it has one, else one is derived from the deposit (its reference,
    // what was reversed so far, the amount).
    nlohmann::json refundDeposit(const std::string& publicId,
                                 const std::optional<core::Money>& amount,
                                 const std::string& adminName, const std::string& refundKey = {});
    // Asks the providers about deposits pending for longer than `age`; returns how many
    // settled. A provider that cannot be reached is skipped until the next round.
    int reconcile(std::chrono::seconds age);

private:
    struct Quote {
        core::Money charge;
        std::string rate; // empty when no conversion
    };
    Quote quote(const PaymentProvider& provider, const core::Money& amount) const;
    PaymentProvider* find(const std::string& name) const;
    // Looks one payment up and applies a settled answer; true when it changed something.
    bool settle(PaymentProvider& provider, const std::string& reference,
                const std::string& paymentId);
    NotificationOutcome apply(const std::string& provider, const PaymentEvent& event,
                              const std::string& raw);

    db::PgPool& pool_;
    settings::PlatformSettings& settings_;
    std::string publicUrl_;
    std::map<std::string, std::unique_ptr<PaymentProvider>> providers_;
};

} // namespace reelgate::server::payments
