#include <reelgate/core/BasisPoints.h>

namespace reelgate::core {

std::optional<BasisPoints> BasisPoints::tryFrom(std::int64_t bps) {
    if (bps < kMin || bps > kMax) {
        return std::nullopt;
    }
    return BasisPoints(static_cast<std::int32_t>(bps));
}

} // namespace reelgate::core
