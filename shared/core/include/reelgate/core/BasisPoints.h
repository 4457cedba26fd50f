#pragma once
// BasisPoints: a rate in 1/10000 (100 bps = 1 %), always within 0..10000 (0 % .. 100 %).
// Used for the platform fee and the affiliate commission rate; never a double.
// Immutable value type; safe to share between threads.

#include <reelgate/core/InvalidInput.h>

#include <compare>
#include <cstdint>
#include <optional>
#include <string>

namespace reelgate::core {

class BasisPoints {
public:
    static constexpr std::int32_t kMin = 0;
    static constexpr std::int32_t kMax = 10000; // 100 %

    // Throws InvalidInput unless kMin <= bps <= kMax.
    constexpr explicit BasisPoints(std::int32_t bps)
        : bps_(bps) {
        if (bps < kMin || bps > kMax) {
            throw InvalidInput("a rate must be between 0 and 10000 basis points (0-100 %), got " +
                               std::to_string(bps));
        }
    }
    static std::optional<BasisPoints> tryFrom(std::int64_t bps);

    constexpr std::int32_t value() const { return bps_; }

    auto operator<=>(const BasisPoints&) const = default;

private:
    std::int32_t bps_;
};

} // namespace reelgate::core
