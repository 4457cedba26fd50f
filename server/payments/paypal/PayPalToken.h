#pragma once
// An OAuth client-credentials token for PayPal's REST API (POST /v1/oauth2/token), cached until
// a minute before PayPal says it expires, and shared by every caller with the same API URL and
// client id in this process (the payments provider and the payouts), so a payout run does not
// fetch a token per payout. Thread-safe; credentials never appear in errors.

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

namespace reelgate::server::payments {

class PayPalToken {
public:
    // The one cache for this client (made on first use).
    static std::shared_ptr<PayPalToken> forClient(const std::string& apiUrl,
                                                  const std::string& clientId,
                                                  const std::string& clientSecret);
    PayPalToken(std::string apiUrl, std::string clientId, std::string clientSecret);

    // ProviderError when PayPal cannot be reached or answers no token.
    std::string get();

private:
    std::string apiUrl_;
    std::string clientId_;
    std::string clientSecret_;
    std::mutex mutex_;
    std::string token_;
    std::chrono::steady_clock::time_point expires_;
};

} // namespace reelgate::server::payments
