#pragma once
// ExchangeRate: how many units of `quote` one unit of `base` buys, kept as an exact decimal
// (e.g. "15800.5" USD->IDR), for showing prices in a viewer's currency. Conversion is integer
// arithmetic (128-bit intermediate), rounded half away from zero to the quote's minor unit.
// Display only: money always moves in the video's own currency.
// Immutable value type; thread-safe. Errors: InvalidInput for a malformed or non-positive rate,
// or a conversion from the wrong currency; std::overflow_error past the int64 range.

#include <reelgate/core/Currency.h>
#include <reelgate/core/Money.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace reelgate::core {

class ExchangeRate {
public:
    // rate: plain decimal, > 0, at most 18 significant digits and 9 decimals ("0.0000635",
    // "15800").
    static ExchangeRate parse(Currency base, Currency quote, std::string_view rate);

    const Currency& base() const { return base_; }
    const Currency& quote() const { return quote_; }
    // The rate as canonical decimal text (no trailing zeros): what parse() accepted.
    std::string toDecimalString() const;
    // `amount` (in base) in the quote currency.
    Money convert(const Money& amount) const;

private:
    ExchangeRate(Currency base, Currency quote, std::int64_t mantissa, int scale)
        : base_(base)
        , quote_(quote)
        , mantissa_(mantissa)
        , scale_(scale) {}

    Currency base_;
    Currency quote_;
    std::int64_t mantissa_; // rate = mantissa / 10^scale
    int scale_;
};

} // namespace reelgate::core
