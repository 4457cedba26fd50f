#include "payouts/PayoutProvider.h"

#include "payments/PaymentProvider.h"
#include "payments/ProviderHttp.h"

namespace reelgate::server::payouts {
namespace {

using nlohmann::json;
using payments::jsonText;
using payments::ProviderError;
using payments::ProviderRequest;

class XenditPayouts : public PayoutProvider {
public:
    XenditPayouts(std::string secretKey, std::string apiUrl)
        : secretKey_(std::move(secretKey))
        , apiUrl_(payments::withoutTrailingSlash(std::move(apiUrl))) {}
    std::string name() const override { return "xendit"; }
    bool supports(const std::string& method) const override {
        return method == "bank" || method == "ewallet";
    }
    std::string send(const PayoutRequest& r) override {
        json body = {{"external_id", r.reference},
                     {"amount", r.amount.amountMinor() / minorPerMajor(r.amount)},
                     {"description", r.description}};
        if (r.method == "bank") {
            body["bank_code"] = r.details.value("bank_name", "");
            body["account_holder_name"] = r.details.value("account_name", "");
            body["account_number"] = r.details.value("account_number", "");
        } else {
            body["bank_code"] = r.details.value("provider", "");
            body["account_holder_name"] = r.details.value("provider", "");
            body["account_number"] = r.details.value("phone", "");
        }
        if (r.amount.amountMinor() % minorPerMajor(r.amount) != 0)
            throw ProviderError("Xendit pays whole units only; this amount has a fraction");
        ProviderRequest request;
        request.method = "POST";
        request.url = apiUrl_ + "/disbursements";
        request.body = body.dump();
        request.contentType = "application/json";
        request.basicUser = secretKey_;
        request.headers.emplace_back("X-IDEMPOTENCY-KEY", r.reference);
        const json answer = payments::sendJsonRequest(request, "Xendit");
        const std::string status = jsonText(answer, "status");
        if (status == "FAILED")
            throw ProviderError("Xendit refused the disbursement: " +
                                jsonText(answer, "failure_code"));
        if (jsonText(answer, "id").empty())
            throw ProviderError("Xendit answered no disbursement id");
        return jsonText(answer, "id");
    }

private:
    static std::int64_t minorPerMajor(const core::Money& money) {
        std::int64_t n = 1;
        for (int i = 0; i < money.currency().minorDigits(); ++i)
            n *= 10;
        return n;
    }
    std::string secretKey_;
    std::string apiUrl_;
};

class PayPalPayouts : public PayoutProvider {
public:
    PayPalPayouts(std::string clientId, std::string clientSecret, std::string apiUrl)
        : clientId_(std::move(clientId))
        , clientSecret_(std::move(clientSecret))
        , apiUrl_(payments::withoutTrailingSlash(std::move(apiUrl))) {}
    std::string name() const override { return "paypal"; }
    bool supports(const std::string& method) const override { return method == "paypal"; }
    std::string send(const PayoutRequest& r) override {
        ProviderRequest auth;
        auth.method = "POST";
        auth.url = apiUrl_ + "/v1/oauth2/token";
        auth.body = "grant_type=client_credentials";
        auth.contentType = "application/x-www-form-urlencoded";
        auth.basicUser = clientId_;
        auth.basicPassword = clientSecret_;
        const std::string token =
            jsonText(payments::sendJsonRequest(auth, "PayPal"), "access_token");
        if (token.empty())
            throw ProviderError("PayPal answered no access token");
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
        request.bearer = token;
        request.headers.emplace_back("PayPal-Request-Id", r.reference);
        const json answer = payments::sendJsonRequest(request, "PayPal");
        const json header = answer.value("batch_header", json::object());
        const std::string batch = header.is_object() ? jsonText(header, "payout_batch_id") : "";
        const std::string status = header.is_object() ? jsonText(header, "batch_status") : "";
        if (status == "DENIED" || status == "CANCELED")
            throw ProviderError("PayPal refused the payout (" + status + ")");
        if (batch.empty())
            throw ProviderError("PayPal answered no payout batch id");
        return batch;
    }

private:
    std::string clientId_;
    std::string clientSecret_;
    std::string apiUrl_;
};

} // namespace

std::unique_ptr<PayoutProvider> makeXenditPayouts(std::string secretKey, std::string apiUrl) {
    return std::make_unique<XenditPayouts>(std::move(secretKey), std::move(apiUrl));
}

std::unique_ptr<PayoutProvider> makePayPalPayouts(std::string clientId, std::string clientSecret,
                                                  std::string apiUrl) {
    return std::make_unique<PayPalPayouts>(std::move(clientId), std::move(clientSecret),
                                           std::move(apiUrl));
}

} // namespace reelgate::server::payouts
