#include "payments/stripe/StripeProvider.h"

#include "payments/ProviderHttp.h"
#include "payments/stripe/StripeSignature.h"

#include <chrono>

namespace reelgate::server::payments {
namespace {

using nlohmann::json;

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::optional<core::Money> moneyField(const json& object, const char* amountName) {
    const auto amount = object.find(amountName);
    const auto currency = core::Currency::tryFromCode(jsonText(object, "currency"));
    if (amount == object.end() || !amount->is_number_integer() || !currency)
        return std::nullopt;
    return core::Money(amount->get<std::int64_t>(), *currency);
}

// A Checkout Session (from an event or a lookup) as a payment event.
PaymentEvent fromSession(const json& session, PaymentStatus status) {
    PaymentEvent event;
    event.providerPaymentId = jsonText(session, "id");
    event.reference = jsonText(session, "client_reference_id");
    event.providerChargeId = jsonText(session, "payment_intent");
    event.amount = moneyField(session, "amount_total");
    event.status = status;
    return event;
}

PaymentStatus sessionStatus(const json& session) {
    if (jsonText(session, "payment_status") == "paid")
        return PaymentStatus::Paid;
    if (jsonText(session, "status") == "expired")
        return PaymentStatus::Expired;
    return PaymentStatus::Pending;
}

std::int64_t nowSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

StripeProvider::StripeProvider(StripeKeys keys)
    : keys_(std::move(keys)) {
    keys_.apiUrl = withoutTrailingSlash(keys_.apiUrl);
}

Capabilities StripeProvider::capabilities() const {
    Capabilities caps;
    caps.refunds = true;
    caps.asynchronous = true; // some methods (bank debits) settle after the session completes
    return caps;
}

json StripeProvider::call(const std::string& method, const std::string& path,
                          const std::string& form, const std::string& idempotencyKey) {
    ProviderRequest request;
    request.method = method;
    request.url = keys_.apiUrl + path;
    request.body = form;
    if (method == "POST")
        request.contentType = "application/x-www-form-urlencoded";
    request.bearer = keys_.secretKey;
    if (!idempotencyKey.empty())
        request.headers.emplace_back("Idempotency-Key", idempotencyKey);
    return sendJsonRequest(request, "Stripe");
}

CheckoutResult StripeProvider::createCheckout(const CheckoutRequest& request) {
    const std::string item = "line_items[0]";
    std::string form =
        "mode=payment&client_reference_id=" + formEncode(request.reference) +
        "&metadata[reference]=" + formEncode(request.reference) +
        "&payment_intent_data[metadata][reference]=" + formEncode(request.reference) +
        "&success_url=" + formEncode(request.successUrl) +
        "&cancel_url=" + formEncode(request.cancelUrl) + "&" + item + "[quantity]=1&" + item +
        "[price_data][currency]=" + formEncode(lower(request.amount.currency().code())) + "&" +
        item + "[price_data][unit_amount]=" + std::to_string(request.amount.amountMinor()) + "&" +
        item + "[price_data][product_data][name]=" + formEncode(request.description);
    if (!request.buyerEmail.empty())
        form += "&customer_email=" + formEncode(request.buyerEmail);
    const json session = call("POST", "/v1/checkout/sessions", form, request.reference);
    CheckoutResult result;
    result.providerPaymentId = jsonText(session, "id");
    result.redirectUrl = jsonText(session, "url");
    if (result.providerPaymentId.empty() || result.redirectUrl.rfind("http", 0) != 0)
        throw ProviderError("Stripe answered a session without an id or a page");
    return result;
}

PaymentEvent StripeProvider::verifyNotification(const IncomingNotification& notification) {
    const std::string why =
        checkStripeSignature(notification.header("Stripe-Signature"), notification.body,
                             keys_.webhookSecrets, nowSeconds());
    if (!why.empty())
        throw NotificationRejected(why);
    const json event = json::parse(notification.body, nullptr, false);
    if (!event.is_object() || !event.contains("data") || !event["data"].is_object() ||
        !event["data"].contains("object") || !event["data"]["object"].is_object())
        throw NotificationRejected("the event is not a Stripe event object");
    const json& object = event["data"]["object"];
    const std::string type = jsonText(event, "type");
    PaymentEvent out;
    if (type == "checkout.session.completed")
        out = fromSession(object, sessionStatus(object));
    else if (type == "checkout.session.async_payment_succeeded")
        out = fromSession(object, PaymentStatus::Paid);
    else if (type == "checkout.session.async_payment_failed")
        out = fromSession(object, PaymentStatus::Failed);
    else if (type == "checkout.session.expired")
        out = fromSession(object, PaymentStatus::Expired);
    else if (type == "charge.refunded" || type == "charge.dispute.created") {
        const bool refund = type == "charge.refunded";
        out.providerChargeId = jsonText(object, "payment_intent");
        if (object.contains("metadata") && object["metadata"].is_object())
            out.reference = jsonText(object["metadata"], "reference");
        out.amount = moneyField(object, refund ? "amount_refunded" : "amount");
        out.status = refund ? PaymentStatus::Refunded : PaymentStatus::Disputed;
    } else if (type == "charge.dispute.closed") {
        // Won: Stripe gave the money back (flagged, as PayPal's). Lost: the reversal made when
        // it opened stands (reversing to the same cumulative amount changes nothing, and makes
        // up for a lost charge.dispute.created). Anything else (an inquiry closed) is ignored.
        const std::string status = jsonText(object, "status");
        out.providerChargeId = jsonText(object, "payment_intent");
        out.amount = moneyField(object, "amount");
        out.status = status == "won"    ? PaymentStatus::DisputeWon
                     : status == "lost" ? PaymentStatus::Disputed
                                        : PaymentStatus::Invalid;
    }
    out.eventId = jsonText(event, "id");
    out.description = type;
    if (out.eventId.empty())
        throw NotificationRejected("the event has no id");
    return out;
}

PaymentEvent StripeProvider::queryStatus(const std::string&, const std::string& providerPaymentId) {
    const json session =
        call("GET", "/v1/checkout/sessions/" + formEncode(providerPaymentId), "", "");
    PaymentEvent event = fromSession(session, sessionStatus(session));
    event.eventId = "lookup:" + providerPaymentId + ":" + statusName(event.status);
    event.description = "checkout session lookup";
    return event;
}

void StripeProvider::refund(const std::string& providerChargeId, const core::Money& amount,
                            const std::string& refundKey) {
    call("POST", "/v1/refunds",
         "payment_intent=" + formEncode(providerChargeId) +
             "&amount=" + std::to_string(amount.amountMinor()),
         refundKey.empty() ? "" : "refund-" + refundKey);
}

} // namespace reelgate::server::payments
