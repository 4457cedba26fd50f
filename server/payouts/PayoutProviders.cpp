#include "payouts/PayoutProvider.h"

#include "payments/PaymentProvider.h"
#include "payments/ProviderHttp.h"
#include "payments/paypal/PayPalToken.h"
#include "payments/paypal/PayPalWebhook.h"
#include "reelgate/core/Crypto.h"

#include <algorithm>

namespace reelgate::server::payouts {
namespace {

using nlohmann::json;
using payments::jsonText;
using payments::NotificationRejected;
using payments::ProviderRequest;

// One call to a payout API. ok: a 2xx JSON answer in `body`. Otherwise `result` says what it
// means: a 4xx refusal is Failed (nothing was paid), except a conflict, a rate limit, a timeout
// or a duplicate (the payout may exist): those, 5xx and no answer at all are Unknown.
struct Answer {
    bool ok = false;
    long status = 0;
    json body;
    PayoutResult result;
};

Answer call(const ProviderRequest& request, const std::string& provider) {
    Answer a;
    payments::ProviderResponse response;
    try {
        response = payments::sendProviderRequest(request);
    } catch (const std::exception& e) {
        a.result.reason = e.what();
        return a;
    }
    a.status = response.status;
    a.body = json::parse(response.body, nullptr, false);
    const bool object = a.body.is_object();
    if (response.status >= 200 && response.status < 300 && (object || a.body.is_array())) {
        a.ok = true;
        return a;
    }
    std::string code = object ? jsonText(a.body, "error_code") : "";
    if (code.empty() && object)
        code = jsonText(a.body, "name");
    a.result.reason = provider + " answered HTTP " + std::to_string(response.status) +
                      (code.empty() ? "" : " " + code.substr(0, 80));
    const bool duplicate = code.find("DUPLICATE") != std::string::npos ||
                           response.body.find("ALREADY_USED") != std::string::npos;
    const bool retryable = response.status == 408 || response.status == 409 ||
                           response.status == 429 || response.status >= 500;
    if (response.status >= 400 && response.status < 500 && !duplicate && !retryable)
        a.result.state = PayoutState::Failed;
    return a;
}

std::int64_t minorPerMajor(const core::Money& money) {
    std::int64_t n = 1;
    for (int i = 0; i < money.currency().minorDigits(); ++i)
        n *= 10;
    return n;
}

class XenditPayouts : public PayoutProvider {
public:
    XenditPayouts(std::string secretKey, std::string apiUrl, std::string callbackToken)
        : secretKey_(std::move(secretKey))
        , apiUrl_(payments::withoutTrailingSlash(std::move(apiUrl)))
        , callbackToken_(std::move(callbackToken)) {}
    std::string name() const override { return "xendit"; }
    bool supports(const std::string& method) const override {
        return method == "bank" || method == "ewallet";
    }

    PayoutResult send(const PayoutRequest& r) override {
        if (r.amount.amountMinor() % minorPerMajor(r.amount) != 0)
            return {PayoutState::Failed, "",
                    "Xendit pays whole units only; this amount has a "
                    "fraction"};
        json body = {{"external_id", r.reference},
                     {"amount", r.amount.amountMinor() / minorPerMajor(r.amount)},
                     {"description", r.description}};
        const bool bank = r.method == "bank";
        body["bank_code"] = r.details.value(bank ? "bank_name" : "provider", "");
        body["account_holder_name"] = r.details.value(bank ? "account_name" : "provider", "");
        body["account_number"] = r.details.value(bank ? "account_number" : "phone", "");
        ProviderRequest request = base("POST", "/disbursements");
        request.body = body.dump();
        request.contentType = "application/json";
        request.headers.emplace_back("X-IDEMPOTENCY-KEY", r.reference);
        const Answer a = call(request, "Xendit");
        if (a.ok && !a.body.is_object())
            return {PayoutState::Unknown, "", "Xendit answered no disbursement"};
        return a.ok ? fromDisbursement(a.body) : a.result;
    }

    PayoutResult resume(const PayoutRequest& r) override {
        // An array of the disbursements with this external_id; none (or a 404): never
        // arrived, so the same key again.
        const Answer a =
            call(base("GET", "/disbursements?external_id=" + payments::formEncode(r.reference)),
                 "Xendit");
        if (a.status == 404 || (a.ok && a.body.is_array() && a.body.empty()))
            return send(r);
        if (a.ok && a.body.is_array() && a.body[0].is_object())
            return fromDisbursement(a.body[0]);
        return {PayoutState::Unknown, "",
                a.ok ? "Xendit answered no disbursement list" : a.result.reason};
    }

    PayoutResult status(const std::string& payoutId) override {
        const Answer a =
            call(base("GET", "/disbursements/" + payments::formEncode(payoutId)), "Xendit");
        if (!a.ok || !a.body.is_object())
            return {PayoutState::Unknown, payoutId, a.result.reason};
        return fromDisbursement(a.body);
    }

    // A disbursement callback: the account's callback token, then the body names the
    // disbursement (its state is fetched, not read here). Xendit sends no event id for these:
    // the disbursement id and the status it reports make one (a repeat is a replay).
    PayoutNotice verifyNotification(const payments::IncomingNotification& n) override {
        if (callbackToken_.empty() ||
            !core::constantTimeEqual(n.header("x-callback-token"), callbackToken_))
            throw NotificationRejected("the callback token does not match");
        const json body = json::parse(n.body, nullptr, false);
        if (!body.is_object() || jsonText(body, "id").empty() || jsonText(body, "status").empty())
            throw NotificationRejected("the body is not a disbursement callback");
        return {jsonText(body, "id") + ":" + jsonText(body, "status"), jsonText(body, "id"),
                jsonText(body, "external_id")};
    }

private:
    ProviderRequest base(const char* method, const std::string& path) const {
        ProviderRequest request;
        request.method = method;
        request.url = apiUrl_ + path;
        request.basicUser = secretKey_;
        return request;
    }
    static PayoutResult fromDisbursement(const json& d) {
        const std::string id = jsonText(d, "id");
        const std::string status = jsonText(d, "status");
        if (status == "FAILED")
            return {PayoutState::Failed, id,
                    "Xendit: the disbursement failed (" + jsonText(d, "failure_code") + ")"};
        if (id.empty())
            return {PayoutState::Unknown, "", "Xendit answered no disbursement id"};
        if (status == "COMPLETED")
            return {PayoutState::Paid, id, ""};
        return {PayoutState::Pending, id, ""};
    }
    std::string secretKey_;
    std::string apiUrl_;
    std::string callbackToken_;
};

class PayPalPayouts : public PayoutProvider {
public:
    PayPalPayouts(std::string clientId, std::string clientSecret, std::string apiUrl,
                  std::string webhookId)
        : apiUrl_(payments::withoutTrailingSlash(std::move(apiUrl)))
        , webhookId_(std::move(webhookId))
        , token_(payments::PayPalToken::forClient(apiUrl_, clientId, clientSecret)) {}
    std::string name() const override { return "paypal"; }
    bool supports(const std::string& method) const override { return method == "paypal"; }

    PayoutResult send(const PayoutRequest& r) override {
        const json body = {
            {"sender_batch_header",
             {{"sender_batch_id", r.reference}, {"email_subject", r.description}}},
            {"items", json::array({{{"recipient_type", "EMAIL"},
                                    {"receiver", r.details.value("email", "")},
                                    {"sender_item_id", r.reference},
                                    {"note", r.description},
                                    {"amount",
                                     {{"value", r.amount.toDecimalString()},
                                      {"currency", std::string(r.amount.currency().code())}}}}})}};
        ProviderRequest request;
        request.method = "POST";
        request.url = apiUrl_ + "/v1/payments/payouts";
        request.body = body.dump();
        request.contentType = "application/json";
        // PayPal keeps this key for 30 days and answers a repeat with the first payout.
        request.headers.emplace_back("PayPal-Request-Id", r.reference);
        const Answer a = authorized(request);
        if (!a.ok || !a.body.is_object())
            return a.result;
        const json header = a.body.value("batch_header", json::object());
        const std::string batch = header.is_object() ? jsonText(header, "payout_batch_id") : "";
        const std::string status = header.is_object() ? jsonText(header, "batch_status") : "";
        if (status == "DENIED" || status == "CANCELED")
            return {PayoutState::Failed, batch, "PayPal refused the payout (" + status + ")"};
        if (batch.empty())
            return {PayoutState::Unknown, "", "PayPal answered no payout batch id"};
        return {PayoutState::Pending, batch, ""};
    }

    // PayPal cannot be asked by sender_batch_id: the same PayPal-Request-Id answers the first.
    PayoutResult resume(const PayoutRequest& r) override { return send(r); }

    PayoutResult status(const std::string& batchId) override {
        ProviderRequest request;
        request.url = apiUrl_ + "/v1/payments/payouts/" + payments::formEncode(batchId);
        const Answer a = authorized(request);
        if (!a.ok || !a.body.is_object())
            return {PayoutState::Unknown, batchId, a.result.reason};
        const json items = a.body.value("items", json::array());
        if (!items.is_array() || items.empty() || !items[0].is_object())
            return {PayoutState::Pending, batchId, ""};
        const std::string status = jsonText(items[0], "transaction_status");
        static const char* kFailed[] = {"FAILED",   "RETURNED", "REFUNDED",
                                        "REVERSED", "BLOCKED",  "DENIED"};
        if (status == "SUCCESS")
            return {PayoutState::Paid, batchId, ""};
        if (std::find(std::begin(kFailed), std::end(kFailed), status) != std::end(kFailed))
            return {PayoutState::Failed, batchId, "PayPal: the payout item is " + status};
        return {PayoutState::Pending, batchId, ""};
    }

    // PayPal's verify API says whether it is genuine; then PAYMENT.PAYOUTS-ITEM.* name the
    // item's batch (our payout id) and its sender_item_id (our key).
    PayoutNotice verifyNotification(const payments::IncomingNotification& n) override {
        const json event = json::parse(n.body, nullptr, false);
        if (webhookId_.empty() || !event.is_object() || jsonText(event, "id").empty() ||
            !event.contains("resource") || !event["resource"].is_object())
            throw NotificationRejected("the body is not a PayPal webhook event");
        ProviderRequest verify;
        verify.method = "POST";
        verify.url = apiUrl_ + "/v1/notifications/verify-webhook-signature";
        verify.body = payments::payPalVerifyRequest(n, webhookId_);
        verify.contentType = "application/json";
        const Answer verdict = authorized(verify);
        if (!verdict.ok && verdict.result.state == PayoutState::Unknown)
            throw payments::ProviderError("PayPal could not verify the webhook: " +
                                          verdict.result.reason);
        if (!verdict.ok || !verdict.body.is_object() ||
            jsonText(verdict.body, "verification_status") != "SUCCESS")
            throw NotificationRejected("PayPal did not confirm the signature");
        PayoutNotice notice{jsonText(event, "id"), "", ""};
        const json& resource = event["resource"];
        if (jsonText(event, "event_type").rfind("PAYMENT.PAYOUTS-ITEM.", 0) == 0) {
            notice.payoutId = jsonText(resource, "payout_batch_id");
            const json item = resource.value("payout_item", json::object());
            notice.key = item.is_object() ? jsonText(item, "sender_item_id") : "";
        }
        return notice;
    }

private:
    // The request with the client's token (cached, shared with the payments provider).
    Answer authorized(ProviderRequest request) {
        try {
            request.bearer = token_->get();
        } catch (const std::exception& e) {
            // No token: nothing was sent, but Unknown, so a resumed payout is asked again.
            Answer none;
            none.result = {PayoutState::Unknown, "", e.what()};
            return none;
        }
        return call(request, "PayPal");
    }
    std::string apiUrl_;
    std::string webhookId_;
    std::shared_ptr<payments::PayPalToken> token_;
};

} // namespace

std::unique_ptr<PayoutProvider> makeXenditPayouts(std::string secretKey, std::string apiUrl,
                                                  std::string callbackToken) {
    return std::make_unique<XenditPayouts>(std::move(secretKey), std::move(apiUrl),
                                           std::move(callbackToken));
}

std::unique_ptr<PayoutProvider> makePayPalPayouts(std::string clientId, std::string clientSecret,
                                                  std::string apiUrl, std::string webhookId) {
    return std::make_unique<PayPalPayouts>(std::move(clientId), std::move(clientSecret),
                                           std::move(apiUrl), std::move(webhookId));
}

} // namespace reelgate::server::payouts
