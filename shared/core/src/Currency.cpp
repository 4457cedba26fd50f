#include <reelgate/core/Currency.h>

#include <reelgate/core/InvalidInput.h>

#include <algorithm>
#include <string>

namespace reelgate::core {

namespace {

struct CurrencyEntry {
    std::string_view code;
    int minorDigits;
};

// ISO 4217 minor-unit exponents. Adding a currency means adding a line here, nothing else.
constexpr CurrencyEntry kTable[] = {
    // Two decimals
    {"USD", 2},
    {"EUR", 2},
    {"GBP", 2},
    {"IDR", 2},
    {"INR", 2},
    {"BRL", 2},
    {"CAD", 2},
    {"AUD", 2},
    {"CHF", 2},
    {"SEK", 2},
    {"NOK", 2},
    {"DKK", 2},
    {"PLN", 2},
    {"MXN", 2},
    {"SGD", 2},
    {"NZD", 2},
    {"HKD", 2},
    {"CNY", 2},
    {"TWD", 2},
    {"THB", 2},
    {"MYR", 2},
    {"PHP", 2},
    {"ZAR", 2},
    {"TRY", 2},
    {"CZK", 2},
    {"HUF", 2},
    {"RON", 2},
    {"ILS", 2},
    {"AED", 2},
    {"SAR", 2},
    {"QAR", 2},
    {"EGP", 2},
    {"NGN", 2},
    {"KES", 2},
    {"UAH", 2},
    {"ARS", 2},
    {"COP", 2},
    {"PEN", 2},
    {"BDT", 2},
    {"PKR", 2},
    // No decimals
    {"JPY", 0},
    {"KRW", 0},
    {"VND", 0},
    {"CLP", 0},
    {"ISK", 0},
    {"PYG", 0},
    {"UGX", 0},
    {"XAF", 0},
    {"XOF", 0},
    // Three decimals
    {"KWD", 3},
    {"BHD", 3},
    {"OMR", 3},
    {"JOD", 3},
    {"TND", 3},
    {"LYD", 3},
    {"IQD", 3},
};

constexpr auto kCodes = [] {
    std::array<std::string_view, std::size(kTable)> codes{};
    for (std::size_t i = 0; i < std::size(kTable); ++i) {
        codes[i] = kTable[i].code;
    }
    return codes;
}();

char asciiUpper(char c) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

bool isAsciiUpper(char c) {
    return c >= 'A' && c <= 'Z';
}

} // namespace

std::optional<Currency> Currency::tryFromCode(std::string_view code) {
    if (code.size() != 3) {
        return std::nullopt;
    }
    std::array<char, 3> upper{};
    std::transform(code.begin(), code.end(), upper.begin(), asciiUpper);
    if (!std::all_of(upper.begin(), upper.end(), isAsciiUpper)) {
        return std::nullopt;
    }
    const std::string_view key(upper.data(), upper.size());
    for (const CurrencyEntry& entry : kTable) {
        if (entry.code == key) {
            return Currency(upper, entry.minorDigits);
        }
    }
    return std::nullopt;
}

Currency Currency::fromCode(std::string_view code) {
    if (auto currency = tryFromCode(code)) {
        return *currency;
    }
    // Quote a short, printable prefix only: the code may come straight from a request body.
    std::string shown(code.substr(0, 16));
    std::replace_if(
        shown.begin(), shown.end(), [](char c) { return c < ' ' || c > '~'; }, '?');
    throw InvalidInput("unknown currency code \"" + shown +
                       "\": expected a supported ISO 4217 code such as USD, EUR or JPY");
}

std::span<const std::string_view> Currency::knownCodes() {
    return kCodes;
}

std::int64_t Currency::minorPerMajor() const {
    std::int64_t factor = 1;
    for (int i = 0; i < minorDigits_; ++i) {
        factor *= 10;
    }
    return factor;
}

} // namespace reelgate::core
