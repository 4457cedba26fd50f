#pragma once
// PayPal webhooks are verified by PayPal itself: POST /v1/notifications/verify-webhook-signature
// with the transmission headers, our webhook id and the event as it came (re-serialising it
// could change the bytes that were signed); it answers verification_status SUCCESS for a
// genuine one. Used by the payments webhook and the payouts webhook.

#include "payments/PaymentProvider.h"

#include <string>

namespace reelgate::server::payments {

// The body to POST to the verify API for this notification.
std::string payPalVerifyRequest(const IncomingNotification& notification,
                                const std::string& webhookId);

} // namespace reelgate::server::payments
