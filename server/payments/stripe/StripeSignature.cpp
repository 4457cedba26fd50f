#include "payments/stripe/StripeSignature.h"

#include "reelgate/core/Crypto.h"

#include <charconv>

namespace reelgate::server::payments {

std::string checkStripeSignature(std::string_view header, std::string_view body,
                                 const std::vector<std::string>& secrets, std::int64_t nowSeconds,
                                 std::int64_t toleranceSeconds) {
    if (secrets.empty())
        return "no webhook secret is configured";
    std::string_view timestamp;
    std::vector<std::string> signatures;
    while (!header.empty()) {
        const auto comma = header.find(',');
        std::string_view item = header.substr(0, comma);
        header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
        while (!item.empty() && item.front() == ' ')
            item.remove_prefix(1);
        const auto eq = item.find('=');
        if (eq == std::string_view::npos)
            continue;
        const auto key = item.substr(0, eq);
        const auto value = item.substr(eq + 1);
        if (key == "t")
            timestamp = value;
        else if (key == "v1") {
            if (auto raw = core::fromHex(value); raw && raw->size() == core::kSha256Bytes)
                signatures.push_back(*raw);
        }
    }
    std::int64_t t = 0;
    const auto [end, ec] =
        std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), t);
    if (timestamp.empty() || ec != std::errc() || end != timestamp.data() + timestamp.size())
        return "the signature header has no timestamp";
    if (signatures.empty())
        return "the signature header has no v1 signature";
    if (t < nowSeconds - toleranceSeconds || t > nowSeconds + toleranceSeconds)
        return "the signature's timestamp is outside the tolerance";
    std::string signedPayload(timestamp);
    signedPayload += '.';
    signedPayload.append(body);
    bool matched = false;
    for (const auto& secret : secrets) {
        const std::string expected = core::hmacSha256(secret, signedPayload);
        for (const auto& signature : signatures)
            matched = core::constantTimeEqual(expected, signature) || matched;
    }
    return matched ? std::string() : "no signature matches a configured secret";
}

} // namespace reelgate::server::payments
