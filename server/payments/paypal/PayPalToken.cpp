#include "payments/paypal/PayPalToken.h"

#include "payments/PaymentProvider.h"
#include "payments/ProviderHttp.h"

#include <algorithm>
#include <map>

namespace reelgate::server::payments {

std::shared_ptr<PayPalToken> PayPalToken::forClient(const std::string& apiUrl,
                                                    const std::string& clientId,
                                                    const std::string& clientSecret) {
    static std::mutex registryMutex;
    static std::map<std::string, std::weak_ptr<PayPalToken>> registry;
    const std::string url = withoutTrailingSlash(apiUrl);
    std::lock_guard lock(registryMutex);
    auto& slot = registry[url + '\n' + clientId];
    if (auto shared = slot.lock())
        return shared;
    auto made = std::make_shared<PayPalToken>(url, clientId, clientSecret);
    slot = made;
    return made;
}

PayPalToken::PayPalToken(std::string apiUrl, std::string clientId, std::string clientSecret)
    : apiUrl_(withoutTrailingSlash(std::move(apiUrl)))
    , clientId_(std::move(clientId))
    , clientSecret_(std::move(clientSecret)) {}

std::string PayPalToken::get() {
    std::lock_guard lock(mutex_);
    if (!token_.empty() && std::chrono::steady_clock::now() < expires_)
        return token_;
    ProviderRequest request;
    request.method = "POST";
    request.url = apiUrl_ + "/v1/oauth2/token";
    request.body = "grant_type=client_credentials";
    request.contentType = "application/x-www-form-urlencoded";
    request.basicUser = clientId_;
    request.basicPassword = clientSecret_;
    const nlohmann::json answer = sendJsonRequest(request, "PayPal");
    const std::string token = jsonText(answer, "access_token");
    if (token.empty())
        throw ProviderError("PayPal answered no access token");
    const auto seconds = answer.value("expires_in", 0);
    token_ = token;
    expires_ = std::chrono::steady_clock::now() + std::chrono::seconds(std::max(0, seconds - 60));
    return token_;
}

} // namespace reelgate::server::payments
