#include "payments/PaymentProvider.h"

#include "reelgate/core/Text.h"

namespace reelgate::server::payments {

void requireNotificationText(std::string_view value, const char* what, std::size_t maxChars,
                             bool optional) {
    const core::TextRules rules{maxChars, optional, false};
    if (core::checkText(value, rules) != core::TextProblem::None)
        throw NotificationRejected(std::string("the ") + what +
                                   " is missing, too long or not text");
}

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
