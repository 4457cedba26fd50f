#include "payments/xendit/XenditProvider.h"

#include "payments/ProviderHttp.h"
#include "reelgate/core/Crypto.h"

namespace reelgate::server::payments {
namespace {

using nlohmann::json;

// Xendit amounts are numbers in major units (whole rupiah; pesos may carry cents).
std::optional<core::Money> amountOf(const json& invoice, const char* field) {
    const auto currency = core::Currency::tryFromCode(jsonText(invoice, "currency"));
    const auto it = invoice.find(field);
    if (!currency || it == invoice.end() || !it->is_number())
        return std::nullopt;
    if (it->is_number_integer())
        return core::Money(it->get<std::int64_t>() * currency->minorPerMajor(), *currency);
    return core::Money::tryParse(it->dump(), *currency);
}

PaymentEvent fromInvoice(const json& invoice) {
    PaymentEvent event;
    event.reference = jsonText(invoice, "external_id");
    event.providerPaymentId = jsonText(invoice, "id");
    event.providerChargeId = event.providerPaymentId; // refunds name the invoice
    event.amount = amountOf(invoice, "amount");
    const std::string status = jsonText(invoice, "status");
    if (status == "PAID" || status == "SETTLED")
        event.status = PaymentStatus::Paid;
    else if (status == "PENDING")
        event.status = PaymentStatus::Pending;
    else if (status == "EXPIRED")
        event.status = PaymentStatus::Expired;
    event.eventId = event.providerPaymentId + ":" + status;
    event.description = "invoice " + status;
    return event;
}

} // namespace

XenditProvider::XenditProvider(XenditKeys keys)
    : keys_(std::move(keys)) {
    keys_.apiUrl = withoutTrailingSlash(keys_.apiUrl);
}

Capabilities XenditProvider::capabilities() const {
    Capabilities caps;
    caps.currencies = {"IDR", "PHP", "THB", "VND", "MYR"};
    caps.chargeCurrency = "IDR";
    caps.wholeUnitsOnly = true;
    caps.asynchronous = true;
    caps.refunds = true;
    return caps;
}

ProviderRequest XenditProvider::request(const std::string& method, const std::string& path,
                                        const std::string& body) const {
    ProviderRequest request;
    request.method = method;
    request.url = keys_.apiUrl + path;
    request.body = body;
    if (method == "POST")
        request.contentType = "application/json";
    request.basicUser = keys_.secretKey; // Basic auth: the secret key, an empty password
    return request;
}

json XenditProvider::call(const std::string& method, const std::string& path,
                          const std::string& body, const std::string& idempotencyKey) {
    auto r = request(method, path, body);
    if (!idempotencyKey.empty())
        r.headers.emplace_back("x-idempotency-key", idempotencyKey);
    return sendJsonRequest(r, "Xendit");
}

CheckoutResult XenditProvider::createCheckout(const CheckoutRequest& request) {
    json body = {
        {"external_id", request.reference},
        {"amount", request.amount.amountMinor() / request.amount.currency().minorPerMajor()},
        {"currency", std::string(request.amount.currency().code())},
        {"description", request.description},
        {"success_redirect_url", request.successUrl},
        {"failure_redirect_url", request.cancelUrl}};
    if (!request.buyerEmail.empty())
        body["payer_email"] = request.buyerEmail;
    const json invoice = call("POST", "/v2/invoices", body.dump(), request.reference);
    CheckoutResult result;
    result.providerPaymentId = jsonText(invoice, "id");
    result.redirectUrl = jsonText(invoice, "invoice_url");
    if (result.providerPaymentId.empty() || result.redirectUrl.rfind("http", 0) != 0)
        throw ProviderError("Xendit answered an invoice without an id or a page");
    return result;
}

PaymentEvent XenditProvider::verifyNotification(const IncomingNotification& notification) {
    if (keys_.callbackToken.empty() ||
        !core::constantTimeEqual(notification.header("x-callback-token"), keys_.callbackToken))
        throw NotificationRejected("the x-callback-token does not match");
    const json body = json::parse(notification.body, nullptr, false);
    if (!body.is_object())
        throw NotificationRejected("the callback is not a JSON object");
    if (jsonText(body, "event").rfind("refund.", 0) == 0)
        return refundEvent(body);
    if (jsonText(body, "id").empty())
        throw NotificationRejected("the callback names no invoice");
    // Authentic, but only the invoice as Xendit serves it now is believed.
    return queryStatus(jsonText(body, "external_id"), jsonText(body, "id"));
}

PaymentEvent XenditProvider::refundEvent(const json& callback) {
    const json data = callback.value("data", json::object());
    const std::string refundId = data.is_object() ? jsonText(data, "id") : "";
    if (refundId.empty())
        throw NotificationRejected("the refund callback names no refund");
    // Believed: the refund as Xendit serves it, and the invoice's refunds it lists.
    const json refund = call("GET", "/refunds/" + formEncode(refundId), "", "");
    PaymentEvent event;
    event.providerPaymentId = jsonText(refund, "invoice_id");
    event.providerChargeId = event.providerPaymentId;
    const std::string status = jsonText(refund, "status");
    event.eventId = "refund:" + refundId + ":" + status;
    event.description = "refund " + status;
    if (status != "SUCCEEDED" || event.providerPaymentId.empty())
        return event;                       // a pending or failed refund moved no money
    event.status = PaymentStatus::Refunded; // without an amount: flagged for the admin
    // Xendit lists at most `limit` refunds per page; an invoice refunded more often than that
    // is left to the admin (no amount) rather than reversed by a partial sum.
    const json list =
        call("GET", "/refunds?limit=100&invoice_id=" + formEncode(event.providerPaymentId), "", "");
    if (!list.is_object() || (list.contains("has_more") && list["has_more"] != false))
        return event;
    const auto currency = core::Currency::tryFromCode(jsonText(refund, "currency"));
    if (!currency)
        return event;
    std::int64_t totalMinor = 0;
    for (const auto& item : list.value("data", json::array())) {
        if (!item.is_object() || jsonText(item, "status") != "SUCCEEDED")
            continue;
        const auto amount = amountOf(item, "amount");
        if (!amount || amount->currency() != *currency || amount->amountMinor() <= 0)
            return event; // not a list we can add up: left to the admin (no amount)
        totalMinor += amount->amountMinor();
    }
    event.amount = core::Money(totalMinor, *currency);
    return event;
}

PaymentEvent XenditProvider::queryStatus(const std::string&, const std::string& providerPaymentId) {
    return fromInvoice(call("GET", "/v2/invoices/" + formEncode(providerPaymentId), "", ""));
}

void XenditProvider::refund(const std::string& invoiceId, const core::Money& amount,
                            const std::string& refundKey) {
    const std::int64_t unit = amount.currency().minorPerMajor();
    const json body = {{"invoice_id", invoiceId},
                       {"amount", amount.amountMinor() % unit == 0
                                      ? json(amount.amountMinor() / unit)
                                      : json::parse(amount.toDecimalString())},
                       {"currency", std::string(amount.currency().code())},
                       {"reason", "REQUESTED_BY_CUSTOMER"}};
    auto post = request("POST", "/refunds", body.dump());
    if (!refundKey.empty())
        post.headers.emplace_back("idempotency-key", "refund-" + refundKey);
    const auto answer = sendProviderRequest(post);
    if (answer.status == 409) {
        const json error = json::parse(answer.body, nullptr, false);
        if (error.is_object() && jsonText(error, "error_code") == "DUPLICATE_ERROR")
            return; // a retry of a refund Xendit already made
    }
    if (answer.status < 200 || answer.status > 299)
        throw ProviderError("Xendit refused the request (status " + std::to_string(answer.status) +
                            ")");
}

} // namespace reelgate::server::payments
