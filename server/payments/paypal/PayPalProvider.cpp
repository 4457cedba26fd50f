#include "payments/paypal/PayPalProvider.h"
#include "payments/paypal/PayPalToken.h"
#include "payments/paypal/PayPalWebhook.h"

#include "payments/ProviderHttp.h"
#include "reelgate/core/Crypto.h"

namespace reelgate::server::payments {
namespace {

using nlohmann::json;

std::optional<core::Money> amountOf(const json& object) {
    if (!object.contains("amount") || !object["amount"].is_object())
        return std::nullopt;
    const auto currency = core::Currency::tryFromCode(jsonText(object["amount"], "currency_code"));
    if (!currency)
        return std::nullopt;
    return core::Money::tryParse(jsonText(object["amount"], "value"), *currency);
}

// The first capture of an order's first purchase unit, or null.
const json* firstCapture(const json& order) {
    const auto& units = order.value("purchase_units", json::array());
    if (!units.is_array() || units.empty() || !units[0].contains("payments"))
        return nullptr;
    const auto& captures = units[0]["payments"].value("captures", json::array());
    return captures.is_array() && !captures.empty() ? &captures[0] : nullptr;
}

PaymentEvent fromCapture(const json& capture, const std::string& orderId) {
    PaymentEvent event;
    event.providerPaymentId = orderId;
    event.providerChargeId = jsonText(capture, "id");
    event.reference = jsonText(capture, "custom_id");
    event.amount = amountOf(capture);
    const std::string status = jsonText(capture, "status");
    if (status == "COMPLETED")
        event.status = PaymentStatus::Paid;
    else if (status == "PENDING")
        event.status = PaymentStatus::Pending;
    else if (status == "DECLINED" || status == "FAILED")
        event.status = PaymentStatus::Failed;
    event.eventId = "capture:" + event.providerChargeId + ":" + status;
    event.description = "capture " + status;
    return event;
}

// A refund (GET /v2/payments/refunds/{id}): the capture it belongs to (its "up" link) and the
// capture's cumulative refunded total, which is what DepositReversal reverses to.
PaymentEvent fromRefund(const json& refund) {
    PaymentEvent event;
    event.reference = jsonText(refund, "custom_id");
    for (const auto& link : refund.value("links", json::array()))
        if (jsonText(link, "rel") == "up") {
            const std::string href = jsonText(link, "href");
            event.providerChargeId = href.substr(href.find_last_of('/') + 1);
        }
    if (refund.contains("seller_payable_breakdown") &&
        refund["seller_payable_breakdown"].is_object()) {
        const json& breakdown = refund["seller_payable_breakdown"];
        if (breakdown.contains("total_refunded_amount"))
            event.amount = amountOf(json{{"amount", breakdown["total_refunded_amount"]}});
    }
    // Only a completed refund moved money; a pending or failed one changes nothing yet.
    if (jsonText(refund, "status") == "COMPLETED" && !event.providerChargeId.empty())
        event.status = PaymentStatus::Refunded;
    return event;
}

// A dispute (GET /v1/customer/disputes/{id}). PayPal holds the disputed amount while it is
// open, so it is reversed at once (as Stripe's); one the buyer loses is the admin's to review.
PaymentEvent fromDispute(const json& dispute) {
    PaymentEvent event;
    const auto& transactions = dispute.value("disputed_transactions", json::array());
    if (transactions.is_array() && !transactions.empty() && transactions[0].is_object())
        event.providerChargeId = jsonText(transactions[0], "seller_transaction_id");
    if (dispute.contains("dispute_amount"))
        event.amount = amountOf(json{{"amount", dispute["dispute_amount"]}});
    std::string outcome;
    if (dispute.contains("dispute_outcome") && dispute["dispute_outcome"].is_object())
        outcome = jsonText(dispute["dispute_outcome"], "outcome_code");
    if (jsonText(dispute, "status") != "RESOLVED")
        event.status = PaymentStatus::Disputed;
    else if (outcome == "RESOLVED_SELLER_FAVOUR" || outcome == "CANCELED_BY_BUYER" ||
             outcome == "DENIED")
        event.status = PaymentStatus::DisputeWon;
    else
        event.status = PaymentStatus::Disputed; // the buyer got the money back
    if (event.providerChargeId.empty())
        event.status = PaymentStatus::Invalid;
    return event;
}

} // namespace

PayPalProvider::PayPalProvider(PayPalKeys keys)
    : keys_(std::move(keys)) {
    keys_.apiUrl = withoutTrailingSlash(keys_.apiUrl);
    token_ = PayPalToken::forClient(keys_.apiUrl, keys_.clientId, keys_.clientSecret);
}

Capabilities PayPalProvider::capabilities() const {
    Capabilities caps;
    // PayPal's currencies; a price in another (rupiah ...) is charged in USD at the admin's rate.
    caps.currencies = {"AUD", "BRL", "CAD", "CNY", "CZK", "DKK", "EUR", "HKD",
                       "HUF", "ILS", "JPY", "MYR", "MXN", "TWD", "NZD", "NOK",
                       "PHP", "PLN", "GBP", "SGD", "SEK", "CHF", "THB", "USD"};
    caps.chargeCurrency = "USD";
    caps.refunds = true;
    return caps;
}

json PayPalProvider::call(const std::string& method, const std::string& path,
                          const std::string& body, const std::string& requestId) {
    ProviderRequest request;
    request.method = method;
    request.url = keys_.apiUrl + path;
    request.body = body;
    if (method == "POST")
        request.contentType = "application/json";
    request.bearer = token_->get();
    if (!requestId.empty())
        request.headers.emplace_back("PayPal-Request-Id", requestId);
    return sendJsonRequest(request, "PayPal");
}

CheckoutResult PayPalProvider::createCheckout(const CheckoutRequest& request) {
    const json body = {
        {"intent", "CAPTURE"},
        {"purchase_units",
         json::array({{{"reference_id", request.reference},
                       {"custom_id", request.reference},
                       {"description", request.description.substr(0, 127)},
                       {"amount",
                        {{"currency_code", std::string(request.amount.currency().code())},
                         {"value", request.amount.toDecimalString()}}}}})},
        {"payment_source",
         {{"paypal",
           {{"experience_context",
             {{"return_url", request.successUrl},
              {"cancel_url", request.cancelUrl},
              {"user_action", "PAY_NOW"}}}}}}}};
    const json order = call("POST", "/v2/checkout/orders", body.dump(), request.reference);
    CheckoutResult result;
    result.providerPaymentId = jsonText(order, "id");
    for (const auto& link : order.value("links", json::array()))
        if (jsonText(link, "rel") == "payer-action" || jsonText(link, "rel") == "approve")
            result.redirectUrl = jsonText(link, "href");
    if (result.providerPaymentId.empty() || result.redirectUrl.rfind("http", 0) != 0)
        throw ProviderError("PayPal answered an order without an id or an approval page");
    return result;
}

PaymentEvent PayPalProvider::verifyNotification(const IncomingNotification& notification) {
    const json event = json::parse(notification.body, nullptr, false);
    if (!event.is_object() || !event.contains("resource") || !event["resource"].is_object())
        throw NotificationRejected("the body is not a PayPal webhook event");
    const json verdict = call("POST", "/v1/notifications/verify-webhook-signature",
                              payPalVerifyRequest(notification, keys_.webhookId));
    if (jsonText(verdict, "verification_status") != "SUCCESS")
        throw NotificationRejected("PayPal did not confirm the signature");

    const std::string type = jsonText(event, "event_type");
    const json& resource = event["resource"];
    PaymentEvent out;
    if (type == "CHECKOUT.ORDER.APPROVED") {
        out = queryStatus("", jsonText(resource, "id")); // captures it
    } else if (type == "PAYMENT.CAPTURE.COMPLETED" || type == "PAYMENT.CAPTURE.DENIED" ||
               type == "PAYMENT.CAPTURE.DECLINED") {
        const std::string orderId = resource.contains("supplementary_data")
                                        ? resource["supplementary_data"]
                                              .value("related_ids", json::object())
                                              .value("order_id", "")
                                        : "";
        out = fromCapture(
            call("GET", "/v2/payments/captures/" + formEncode(jsonText(resource, "id")), ""),
            orderId);
    } else if (type == "PAYMENT.CAPTURE.REFUNDED") {
        // The refund as PayPal serves it: its cumulative total names what to reverse.
        out = fromRefund(
            call("GET", "/v2/payments/refunds/" + formEncode(jsonText(resource, "id")), ""));
    } else if (type == "CUSTOMER.DISPUTE.CREATED" || type == "CUSTOMER.DISPUTE.RESOLVED" ||
               type == "CUSTOMER.DISPUTE.UPDATED") {
        out = fromDispute(call(
            "GET", "/v1/customer/disputes/" + formEncode(jsonText(resource, "dispute_id")), ""));
    }
    out.eventId = jsonText(event, "id");
    out.description = type;
    if (out.eventId.empty())
        throw NotificationRejected("the event has no id");
    return out;
}

PaymentEvent PayPalProvider::queryStatus(const std::string&, const std::string& orderId) {
    json order = call("GET", "/v2/checkout/orders/" + formEncode(orderId), "");
    const std::string status = jsonText(order, "status");
    if (status == "APPROVED") // the buyer approved: take the money (idempotent per order)
        order = call("POST", "/v2/checkout/orders/" + formEncode(orderId) + "/capture", "{}",
                     "capture-" + orderId);
    if (const json* capture = firstCapture(order))
        return fromCapture(*capture, orderId);
    PaymentEvent event;
    event.providerPaymentId = orderId;
    event.status = status == "VOIDED" ? PaymentStatus::Failed : PaymentStatus::Pending;
    event.eventId = "order:" + orderId + ":" + status;
    event.description = "order " + status;
    return event;
}

void PayPalProvider::refund(const std::string& captureId, const core::Money& amount,
                            const std::string& refundKey) {
    // PayPal-Request-Id makes a retry of this request answer the first refund. Our key names
    // the request (the payment, what was refunded before, the amount), so a second refund of
    // the same amount once the first is booked is a new one; without a key, every call is.
    call("POST", "/v2/payments/captures/" + formEncode(captureId) + "/refund",
         json{{"amount",
               {{"value", amount.toDecimalString()},
                {"currency_code", std::string(amount.currency().code())}}}}
             .dump(),
         "refund-" + (refundKey.empty() ? core::randomToken(16) : refundKey));
}

} // namespace reelgate::server::payments
