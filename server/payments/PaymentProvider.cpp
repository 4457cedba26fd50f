#include "payments/PaymentProvider.h"

namespace reelgate::server::payments {

const char* statusName(PaymentStatus status) {
    switch (status) {
    case PaymentStatus::Pending:
        return "pending";
    case PaymentStatus::Paid:
        return "paid";
    case PaymentStatus::Failed:
        return "failed";
    case PaymentStatus::Expired:
        return "expired";
    case PaymentStatus::Refunded:
        return "refunded";
    case PaymentStatus::Disputed:
        return "disputed";
    case PaymentStatus::DisputeWon:
        return "dispute_won";
    case PaymentStatus::Invalid:
        break;
    }
    return "other";
}

} // namespace reelgate::server::payments
