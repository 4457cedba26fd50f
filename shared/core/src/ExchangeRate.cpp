#include "reelgate/core/ExchangeRate.h"

#include "reelgate/core/InvalidInput.h"

#include <stdexcept>

namespace reelgate::core {
namespace {

// 128-bit intermediates: amount (63 bits) x mantissa (60 bits) x 10^3 fits.
__extension__ using Int128 = __int128;

constexpr int kMaxScale = 9;
constexpr int kMaxDigits = 18;

Int128 pow10(int exponent) {
    Int128 value = 1;
    for (int i = 0; i < exponent; ++i)
        value *= 10;
    return value;
}

} // namespace

ExchangeRate ExchangeRate::parse(Currency base, Currency quote, std::string_view rate) {
    const auto bad = [&](const std::string& why) {
        return InvalidInput("The rate " + std::string(base.code()) + "->" +
                            std::string(quote.code()) + " \"" + std::string(rate) + "\" " + why +
                            ".");
    };
    if (base == quote)
        throw bad("converts a currency into itself");
    std::int64_t mantissa = 0;
    int digits = 0;
    int scale = 0;
    bool seenPoint = false;
    bool seenDigit = false;
    for (const char c : rate) {
        if (c == '.' && !seenPoint) {
            seenPoint = true;
            continue;
        }
        if (c < '0' || c > '9')
            throw bad("is not a plain decimal number");
        seenDigit = true;
        if (mantissa == 0 && c == '0' && !seenPoint)
            continue; // leading zeros
        if (++digits > kMaxDigits)
            throw bad("has too many digits");
        mantissa = mantissa * 10 + (c - '0');
        if (seenPoint && ++scale > kMaxScale)
            throw bad("has more than 9 decimals");
    }
    if (!seenDigit || rate.back() == '.' || rate.front() == '.')
        throw bad("is not a plain decimal number");
    if (mantissa == 0)
        throw bad("must be more than zero");
    while (scale > 0 && mantissa % 10 == 0) {
        mantissa /= 10;
        --scale;
    }
    return ExchangeRate(base, quote, mantissa, scale);
}

std::string ExchangeRate::toDecimalString() const {
    std::string digits = std::to_string(mantissa_);
    if (scale_ == 0)
        return digits;
    if (static_cast<int>(digits.size()) <= scale_)
        digits.insert(0, static_cast<std::size_t>(scale_) - digits.size() + 1, '0');
    digits.insert(digits.size() - static_cast<std::size_t>(scale_), ".");
    return digits;
}

Money ExchangeRate::convert(const Money& amount) const {
    if (!(amount.currency() == base_))
        throw InvalidInput("This rate converts " + std::string(base_.code()) + ", not " +
                           std::string(amount.currency().code()) + ".");
    // quoteMinor = baseMinor * mantissa * 10^quoteDigits / (10^scale * 10^baseDigits)
    const Int128 numerator =
        static_cast<Int128>(amount.amountMinor()) * mantissa_ * pow10(quote_.minorDigits());
    const Int128 denominator = pow10(scale_ + base_.minorDigits());
    Int128 result = numerator / denominator;
    const Int128 remainder = numerator % denominator;
    if (2 * (remainder < 0 ? -remainder : remainder) >= denominator)
        result += numerator < 0 ? -1 : 1;
    if (result > INT64_MAX || result < INT64_MIN)
        throw std::overflow_error("converted amount does not fit in 64 bits");
    return Money(static_cast<std::int64_t>(result), quote_);
}

} // namespace reelgate::core
