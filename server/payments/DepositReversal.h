#pragma once
// Refunds and disputes of a posted deposit, inside the caller's transaction with the deposit's
// row locked: a NEW ledger transaction reverses what the deposit paid (never an edit). The
// provider reports the cumulative refunded or disputed part of the charge; only the part not
// reversed yet is reversed, proportionally (a top-up: from the deposited money; a checkout:
// from the creator, the platform fee and the referrer in the sale's proportions, via
// money/SaleLedger: the sale's pending hold first, then available earnings). A user account is
// debited at most its balance; the shortfall is a receivable (what the user owes; their next
// earnings settle it), never a negative balance. A full reversal marks the deposit
// refunded/disputed and, for a checkout, revokes the access it bought.

#include "db/PgConnection.h"
#include "ledger/Ledger.h"
#include "payments/DepositLedger.h"

#include <string>

namespace reelgate::server::payments {

class DepositReversal {
public:
    // status: Refunded or Disputed. Returns the outcome ("reversed", "already_reversed").
    // `applied` (optional) receives the postings made.
    static std::string reverse(db::PgConnection& conn, const Deposit& deposit, PaymentStatus status,
                               const core::Money& cumulativeCharge,
                               std::vector<ledger::Posting>* applied = nullptr);
};

} // namespace reelgate::server::payments
