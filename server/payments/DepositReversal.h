#pragma once
// Refunds and disputes of a posted deposit, inside the caller's transaction with the deposit's
// row locked: a NEW ledger transaction reverses what the deposit paid (never an edit). The
// provider reports the cumulative refunded or disputed part of the charge; only the part not
// reversed yet is reversed, proportionally (a top-up: from the wallet; a checkout: from the
// creator, the platform fee and the referrer in the sale's proportions). A wallet is debited at
// most its balance; the shortfall is the platform's loss (role 'loss'). A full reversal marks
// the deposit refunded/disputed and, for a checkout, revokes the access it bought.

#include "db/PgConnection.h"
#include "payments/DepositLedger.h"

#include <string>

namespace reelgate::server::payments {

class DepositReversal {
public:
    // status: Refunded or Disputed. Returns the outcome ("reversed", "already_reversed").
    static std::string reverse(db::PgConnection& conn, const Deposit& deposit, PaymentStatus status,
                               const core::Money& cumulativeCharge);
};

} // namespace reelgate::server::payments
