#include <reelgate/core/SaleSplit.h>

#include <reelgate/core/InvalidInput.h>

#include <algorithm>
#include <string>

namespace reelgate::core {

namespace {

__extension__ typedef __int128 Int128;

// floor(amount * bps / 10000) for amount >= 0. The product needs up to 77 bits, hence 128-bit;
// the quotient is <= amount and so fits back into int64.
std::int64_t applyRate(std::int64_t amountMinor, BasisPoints rate) {
    const Int128 product = Int128{amountMinor} * rate.value();
    return static_cast<std::int64_t>(product / BasisPoints::kMax);
}

} // namespace

SaleSplit splitSale(const Money& price, BasisPoints platformFee, BasisPoints affiliateRate) {
    if (price.isNegative()) {
        throw InvalidInput("cannot split a negative price (" + price.format() + ")");
    }
    if (platformFee.value() + affiliateRate.value() > BasisPoints::kMax) {
        throw InvalidInput("platform fee (" + std::to_string(platformFee.value()) +
                           " bps) and affiliate rate (" + std::to_string(affiliateRate.value()) +
                           " bps) together exceed 100 %");
    }
    const Money fee(applyRate(price.amountMinor(), platformFee), price.currency());
    const Money commission(applyRate(price.amountMinor(), affiliateRate), price.currency());
    // fee + commission <= price because each is floored and the rates sum to <= 100 %.
    return SaleSplit{fee, commission, price - fee - commission};
}

BasisPoints maxAffiliateRate(BasisPoints platformFee) {
    return BasisPoints(
        std::min(kAffiliateRateCap.value(), BasisPoints::kMax - platformFee.value()));
}

} // namespace reelgate::core
