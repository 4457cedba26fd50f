#include "payments/midtrans/MidtransProvider.h"

#include "payments/ProviderHttp.h"
#include "reelgate/core/Crypto.h"

#include <openssl/evp.h>

namespace reelgate::server::payments {
namespace {

using nlohmann::json;

std::string text(const json& object, const char* name) {
    const auto it = object.find(name);
    if (it == object.end())
        return {};
    return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string sha512Hex(const std::string& data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha512(), nullptr) != 1)
        throw std::runtime_error("SHA-512 failed");
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 15];
    }
    return out;
}

// "10000.00" (Midtrans writes rupiah with two decimals) as rupiah minor units.
std::optional<core::Money> rupiah(const std::string& grossAmount) {
    return core::Money::tryParse(grossAmount, core::Currency::fromCode("IDR"));
}

// A status answer (or notification) normalised.
PaymentEvent fromStatus(const json& status) {
    PaymentEvent event;
    event.reference = text(status, "order_id");
    event.providerPaymentId = text(status, "transaction_id");
    event.providerChargeId = event.providerPaymentId;
    event.amount = rupiah(text(status, "gross_amount"));
    const std::string state = text(status, "transaction_status");
    const std::string fraud = text(status, "fraud_status");
    if (state == "settlement" || (state == "capture" && (fraud.empty() || fraud == "accept")))
        event.status = PaymentStatus::Paid;
    else if (state == "pending" || (state == "capture" && fraud == "challenge"))
        event.status = PaymentStatus::Pending;
    else if (state == "deny" || state == "cancel" || state == "failure")
        event.status = PaymentStatus::Failed;
    else if (state == "expire")
        event.status = PaymentStatus::Expired;
    else if (state == "refund" || state == "partial_refund") {
        event.status = PaymentStatus::Refunded;
        event.amount = rupiah(text(status, "refund_amount"));
    }
    event.eventId = event.providerPaymentId + ":" + state + ":" + text(status, "status_code");
    // refund_amount is the cumulative total: each further partial refund is a new event.
    if (event.status == PaymentStatus::Refunded)
        event.eventId += ":" + text(status, "refund_amount");
    event.description = "transaction " + state;
    return event;
}

} // namespace

MidtransProvider::MidtransProvider(MidtransKeys keys)
    : keys_(std::move(keys)) {
    keys_.apiUrl = withoutTrailingSlash(keys_.apiUrl);
    keys_.snapUrl = withoutTrailingSlash(keys_.snapUrl);
}

Capabilities MidtransProvider::capabilities() const {
    Capabilities caps;
    caps.currencies = {"IDR"};
    caps.chargeCurrency = "IDR";
    caps.wholeUnitsOnly = true;
    caps.refunds = true;
    caps.asynchronous = true;
    return caps;
}

json MidtransProvider::call(const std::string& method, const std::string& url,
                            const std::string& body) {
    ProviderRequest request;
    request.method = method;
    request.url = url;
    request.body = body;
    if (method == "POST")
        request.contentType = "application/json";
    request.headers.emplace_back("Accept", "application/json");
    request.basicUser = keys_.serverKey; // Basic auth: the server key, an empty password
    return sendJsonRequest(request, "Midtrans");
}

CheckoutResult MidtransProvider::createCheckout(const CheckoutRequest& request) {
    const std::int64_t wholeRupiah = request.amount.amountMinor() / 100;
    json body = {
        {"transaction_details", {{"order_id", request.reference}, {"gross_amount", wholeRupiah}}},
        {"item_details", json::array({{{"id", "reelgate"},
                                       {"price", wholeRupiah},
                                       {"quantity", 1},
                                       {"name", request.description.substr(0, 50)}}})},
        {"callbacks", {{"finish", request.successUrl}}}};
    if (!request.buyerEmail.empty())
        body["customer_details"] = {{"email", request.buyerEmail}};
    const json answer = call("POST", keys_.snapUrl + "/snap/v1/transactions", body.dump());
    CheckoutResult result;
    result.providerPaymentId = text(answer, "token");
    result.redirectUrl = text(answer, "redirect_url");
    if (result.redirectUrl.rfind("http", 0) != 0)
        throw ProviderError("Midtrans answered without a payment page");
    return result;
}

PaymentEvent MidtransProvider::verifyNotification(const IncomingNotification& notification) {
    const json body = json::parse(notification.body, nullptr, false);
    if (!body.is_object())
        throw NotificationRejected("the notification is not a JSON object");
    const std::string orderId = text(body, "order_id");
    const std::string expected = sha512Hex(orderId + text(body, "status_code") +
                                           text(body, "gross_amount") + keys_.serverKey);
    if (orderId.empty() || !core::constantTimeEqual(expected, text(body, "signature_key")))
        throw NotificationRejected("the signature_key does not match");
    // Authentic, but only the status API's answer is believed (the notification may be old),
    // and the event is named after what was believed: a later, different status is new.
    return queryStatus(orderId, "");
}

PaymentEvent MidtransProvider::queryStatus(const std::string& reference, const std::string&) {
    return fromStatus(call("GET", keys_.apiUrl + "/v2/" + formEncode(reference) + "/status", ""));
}

void MidtransProvider::refund(const std::string& providerPaymentId, const core::Money& amount,
                              const std::string& refundKey) {
    json body = {{"amount", amount.amountMinor() / 100}, {"reason", "Refund from Reelgate"}};
    if (!refundKey.empty()) // without one, Midtrans makes up a new key: every call refunds
        body["refund_key"] = refundKey;
    call("POST", keys_.apiUrl + "/v2/" + formEncode(providerPaymentId) + "/refund", body.dump());
}

} // namespace reelgate::server::payments
