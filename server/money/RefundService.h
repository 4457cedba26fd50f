#pragma once
// Admin refunds of purchases, whole or in parts (their sum at most the price; each part claimed
// under the purchase's row lock before the provider is called). A wallet purchase: the part
// goes back to where the price came from (deposited money first, up to what the purchase drew
// from it, then earnings). A checkout purchase: the provider's refund API is asked for the
// part, then the same reversal a provider's refund
// notification makes (payments/DepositReversal, cumulative: a later notification finds it
// done); a provider without a refund API: the buyer's wallet gets it as deposited money. Either
// way the creator's, referrer's and platform's shares are taken back in proportion
// (ledger/SaleLedger::reverseShares: cumulative floors, no cent made or lost; pending first,
// then available, the rest a receivable). Access ends when the parts reach the price (the
// purchase row goes); a refund and an audit entry are recorded per part.

#include "accounts/User.h"
#include "db/PgPool.h"
#include "ledger/Ledger.h"
#include "payments/PaymentsService.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace reelgate::server::money {

class RefundService {
public:
    RefundService(db::PgPool& pool, payments::PaymentsService& payments)
        : pool_(pool)
        , payments_(payments) {}

    // {"refund": {..., "whole"}, "reversal": [{"account", "amount"}]}; amountMinor: the part
    // to refund (default: all that is left). ServiceError: not_found, invalid_amount (400),
    // already_refunded (409), refund_too_large (422: more than is left),
    // partial_refund_unavailable (422: charged in another amount or currency), provider errors.
    nlohmann::json refund(const std::string& purchasePublicId, const accounts::User& admin,
                          const std::string& reason,
                          std::optional<std::int64_t> amountMinor = std::nullopt);
    // Purchases matching `q` (buyer, video title, purchase or video id), newest first.
    nlohmann::json search(const std::string& q, int limit, int offset);

    struct PurchaseRow {
        std::int64_t id = 0;
        accounts::UserId buyer;
        std::int64_t videoId = 0;
        core::Money price = core::Money::zero(core::Currency::fromCode("USD"));
        std::optional<std::int64_t> depositId;
        std::string depositPublicId;
    };

private:
    // A wallet purchase's part [before, before + amount) back to the buyer and taken from the
    // shares; the transaction's id (none for a free purchase).
    std::optional<std::int64_t> reverseWalletSale(db::PgConnection& conn, const PurchaseRow& p,
                                                  std::int64_t before, std::int64_t amount,
                                                  std::vector<ledger::Posting>& postings);

    db::PgPool& pool_;
    payments::PaymentsService& payments_;
};

} // namespace reelgate::server::money
