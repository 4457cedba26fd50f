#pragma once
// The ledger side of deposits, inside the caller's transaction (db::PgTransaction): find and
// lock a deposit, post it (at most once: callers hold its row lock and check it is pending),
// void it. Posting a top-up moves the money from the provider's clearing account to the
// buyer's wallet; posting a pay-at-checkout deposit pays the video in the same ledger
// transaction (creator, platform fee, referrer: money/SaleLedger, as wallet purchases) and
// records the purchase, which grants access. A checkout whose video cannot be bought any more
// (already owned, unpublished) credits the wallet instead, and says so.

#include "accounts/User.h"
#include "db/PgConnection.h"
#include "payments/PaymentProvider.h"
#include "settings/PlatformSettings.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace reelgate::server::payments {

struct Deposit {
    std::int64_t id = 0;
    std::string publicId;
    std::string reference;
    accounts::UserId user;
    std::string provider;
    std::string purpose; // topup | checkout
    std::optional<std::int64_t> videoId;
    std::string referrer;
    core::Money amount = core::Money::zero(core::Currency::fromCode("USD"));
    core::Money charge = core::Money::zero(core::Currency::fromCode("USD"));
    std::string status; // pending | posted | voided | refunded | disputed
    std::string providerPaymentId;
    std::string providerChargeId;
};

class DepositLedger {
public:
    // Locks (FOR UPDATE) the deposit with this id; nullopt when there is none.
    static std::optional<Deposit> lockById(db::PgConnection& conn, std::int64_t id);
    static std::optional<Deposit> lockByPublicId(db::PgConnection& conn,
                                                 const std::string& publicId);
    // The deposit an event of `provider` is about: by our reference, else the provider's
    // payment id, else its charge id.
    static std::optional<Deposit> lockForEvent(db::PgConnection& conn, const std::string& provider,
                                               const PaymentEvent& event);
    // Posts a pending deposit; returns the outcome ("posted", "credited_to_wallet").
    static std::string post(db::PgConnection& conn, const Deposit& deposit,
                            const settings::SettingsSnapshot& settings,
                            const std::string& providerChargeId, const std::string& providerLabel);
    // Mails the buyer a receipt for a posted deposit (in the same transaction).
    static void queueReceipt(db::PgConnection& conn, const Deposit& deposit,
                             const std::string& outcome, const std::string& publicUrl);
    static void voidPending(db::PgConnection& conn, const Deposit& deposit,
                            const std::string& status, const std::string& reason);
    static void flag(db::PgConnection& conn, const Deposit& deposit, const std::string& reason);
    // The API form of one deposit (joined with its video title).
    static nlohmann::json toJson(db::PgConnection& conn, std::int64_t depositId);
};

} // namespace reelgate::server::payments
