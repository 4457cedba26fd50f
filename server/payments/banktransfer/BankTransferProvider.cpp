#include "payments/banktransfer/BankTransferProvider.h"

namespace reelgate::server::payments {

Capabilities BankTransferProvider::capabilities() const {
    Capabilities caps;
    caps.asynchronous = true;
    caps.redirects = false;
    return caps;
}

CheckoutResult BankTransferProvider::createCheckout(const CheckoutRequest& request) {
    CheckoutResult result;
    result.providerPaymentId = request.reference;
    result.instructions = instructions_ + "\nAmount: " + request.amount.format() +
                          "\nReference (write it on the transfer): " + request.reference;
    return result;
}

PaymentEvent BankTransferProvider::verifyNotification(const IncomingNotification&) {
    throw NotificationRejected("bank transfers are confirmed by an admin, not by notifications");
}

PaymentEvent BankTransferProvider::queryStatus(const std::string& reference, const std::string&) {
    PaymentEvent event;
    event.reference = reference;
    event.status = PaymentStatus::Pending; // only an admin knows
    return event;
}

void BankTransferProvider::refund(const std::string&, const core::Money&, const std::string&) {
    throw ProviderError("a bank transfer is refunded by a transfer back, outside Reelgate");
}

} // namespace reelgate::server::payments
