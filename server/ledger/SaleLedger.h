#pragma once
// One sale in the ledger, for both ways a video is paid: from the buyer's wallet
// (wallet/PurchaseService) and at checkout through a payment provider (payments/DepositLedger).
// Inside the caller's transaction: lock() takes every account the sale touches in the ledger's
// one order and reads their balances; record() posts ONE transaction (payer -> creator's
// earnings, platform fee, referrer's commission; fee and commission floored, the creator gets
// the remainder: core::splitSale), records the holds of the earned parts, inserts the
// purchase row (the access grant; ServiceError already_owned when the buyer has it) and, for a
// request with an Idempotency-Key, stores its answer: all in ONE statement (one round trip).
// A wallet pays deposited money first, then available earnings (pending earnings are not
// spendable); record() throws insufficient_funds when both do not cover the price.

#include "accounts/User.h"
#include "db/PgConnection.h"
#include "ledger/Ledger.h"
#include "reelgate/core/Money.h"
#include "reelgate/core/SaleSplit.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>

namespace reelgate::server::ledger {

struct SaleInput {
    accounts::UserId buyer;
    accounts::UserId creator;
    std::optional<accounts::UserId> affiliate; // already checked: active, not buyer or creator
    std::int64_t videoId = 0;
    std::string title;
    core::Money price = core::Money::zero(core::Currency::fromCode("USD"));
    int feeBps = 0;
    int affiliateBps = 0; // the video's rate; capped so fee + commission <= price
    int holdDays = 7;
    std::string clearingProvider; // empty: the buyer's wallet pays
};

struct LockedSale {
    SaleInput input;
    std::map<std::int64_t, std::int64_t> balances;
    std::int64_t payerDeposited = 0; // wallet, or the provider's clearing account
    std::int64_t payerEarnings = 0;  // 0 for a checkout
    std::int64_t payerPending = 0;   // 0 for a checkout; locked only to report the total
    std::int64_t platform = 0;
};

// The answer record() stores under the buyer's Idempotency-Key, in the sale's statement. The
// body's purchase.id and purchase.created_at are set there to the purchase row's (public id,
// ISO 8601 UTC), as in the SaleRecord returned. With an answer, a unique violation (the key or
// the purchase, taken meanwhile by a concurrent request that committed) is thrown as DbError
// 23505: roll back and look again (the key's answer, or the video owned); without one it is
// ServiceError already_owned.
struct SaleAnswer {
    std::string key;
    std::string requestHash;
    int status = 0;
    nlohmann::json body;
};

struct SaleRecord {
    std::int64_t purchaseId = 0;
    std::string publicId;
    std::string createdAt;
    std::optional<std::int64_t> transactionId; // none for a free video
    std::optional<core::SaleSplit> split;
};

// A recorded sale, for reversing it (refunds, disputes).
struct SaleShares {
    std::int64_t purchaseId = 0;
    core::Money price = core::Money::zero(core::Currency::fromCode("USD"));
    std::int64_t feeMinor = 0;
    std::int64_t commissionMinor = 0;
    accounts::UserId creator;
    std::optional<accounts::UserId> affiliate;
    std::optional<std::int64_t> transactionId;
};

class SaleLedger {
public:
    static LockedSale lock(db::PgConnection& conn, const SaleInput& input);
    // What the buyer's wallet can spend (deposited + available earnings), and what it holds
    // in all (spendable + pending earnings: the wallet's balance).
    static std::int64_t spendable(const LockedSale& sale);
    static std::int64_t holdings(const LockedSale& sale);
    // With `commit`, the transaction commits in the same round trip as the sale's statement.
    static SaleRecord record(db::PgConnection& conn, LockedSale& sale,
                             const std::optional<SaleAnswer>& answer = std::nullopt,
                             db::PgTransaction* commit = nullptr);

    static SaleShares shares(db::PgConnection& conn, std::int64_t purchaseId);
    // The accounts reverseShares() moves (lock them with the payer's side first).
    static std::vector<std::int64_t> shareAccounts(db::PgConnection& conn, const SaleShares& sale);
    // Appends the postings taking back `amountMinor` of the sale in its proportions: the
    // platform's revenue, the referrer's and the creator's earnings (EarningsBook::takeBack).
    // `alreadyMinor` of the price was taken back before (partial refunds). Rounding never
    // makes or loses a cent: after a cumulative R the fee taken back is
    // floor(fee * R / price) (the commission likewise) and the creator gives the rest, so
    // each step takes the difference of those floors, and parts adding up to the price take
    // back exactly the fee, the commission and the creator's share. Returns the part that
    // became receivable.
    static std::int64_t reverseShares(db::PgConnection& conn,
                                      std::map<std::int64_t, std::int64_t>& balances,
                                      std::vector<Posting>& postings, const SaleShares& sale,
                                      std::int64_t amountMinor, std::int64_t alreadyMinor = 0);
};

} // namespace reelgate::server::ledger
