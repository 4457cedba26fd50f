#pragma once
// Admin refunds of purchases. A wallet purchase: the price goes back to where it came from
// (the buyer's deposited money and earnings, as the purchase drew them). A checkout purchase:
// the provider's refund API is asked for the whole charge (payments/PaymentsService), then the
// same reversal a provider's refund notification makes (payments/DepositReversal; a later
// notification finds it done); a provider without a refund API: the buyer's wallet gets the
// price as deposited money. Either way the creator's, referrer's and platform's shares are
// taken back (money/SaleLedger: pending first, then available, the rest a receivable), the
// purchase goes (access ends) and the refund and an audit entry are recorded. A purchase is
// refunded at most once (claimed before the provider is called).

#include "accounts/User.h"
#include "db/PgPool.h"
#include "payments/PaymentsService.h"

#include <nlohmann/json.hpp>

#include <string>

namespace reelgate::server::money {

class RefundService {
public:
    RefundService(db::PgPool& pool, payments::PaymentsService& payments)
        : pool_(pool)
        , payments_(payments) {}

    // {"refund": {...}, "reversal": [{"account", "amount"}]}. ServiceError: not_found,
    // already_refunded (409), provider errors.
    nlohmann::json refund(const std::string& purchasePublicId, const accounts::User& admin,
                          const std::string& reason);
    // Purchases matching `q` (buyer, video title, purchase or video id), newest first.
    nlohmann::json search(const std::string& q, int limit, int offset);

private:
    db::PgPool& pool_;
    payments::PaymentsService& payments_;
};

} // namespace reelgate::server::money
