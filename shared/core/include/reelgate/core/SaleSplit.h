#pragma once
// SaleSplit: how one sale price is divided between the platform, the referring affiliate and the
// creator. Fee and commission are each floored to a whole minor unit; the creator gets the
// remainder, so the three parts always add up exactly to the price.
// Pure functions; thread-safe.

#include <reelgate/core/BasisPoints.h>
#include <reelgate/core/Money.h>

namespace reelgate::core {

struct SaleSplit {
    Money platformFee;         // floor(price * platformFeeRate / 10000)
    Money affiliateCommission; // floor(price * affiliateRate / 10000); zero without an affiliate
    Money creatorNet;          // price - platformFee - affiliateCommission
};

// Highest affiliate rate a creator may ever offer, whatever the platform fee.
inline constexpr BasisPoints kAffiliateRateCap{9000};

// Splits `price` (same currency for all parts). Pass BasisPoints{0} when there is no affiliate.
// Throws InvalidInput for a negative price or when platformFee + affiliateRate exceeds 10000.
// This does not enforce maxAffiliateRate(): that is a listing policy checked where a creator
// sets the rate, not a property of the arithmetic.
SaleSplit splitSale(const Money& price, BasisPoints platformFee, BasisPoints affiliateRate);

// Highest affiliate rate a creator may set under `platformFee`: min(9000, 10000 - platformFee).
BasisPoints maxAffiliateRate(BasisPoints platformFee);

} // namespace reelgate::core
