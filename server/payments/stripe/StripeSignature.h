#pragma once
// Stripe's webhook signature (Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=...]): HMAC-SHA256
// over "<t>.<raw body>" keyed by the whole endpoint secret ("whsec_..." as it is). Accepted when
// any v1 matches any configured secret (rotation) and |now - t| <= tolerance. Comparisons are
// constant-time. Pure functions; thread-safe.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace reelgate::server::payments {

inline constexpr std::int64_t kStripeToleranceSeconds = 300;

// Empty when authentic; otherwise why not (for the log: never echoes the header's bytes).
std::string checkStripeSignature(std::string_view header, std::string_view body,
                                 const std::vector<std::string>& secrets, std::int64_t nowSeconds,
                                 std::int64_t toleranceSeconds = kStripeToleranceSeconds);

} // namespace reelgate::server::payments
