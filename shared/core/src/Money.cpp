#include <reelgate/core/Money.h>

#include <reelgate/core/InvalidInput.h>

#include <algorithm>
#include <limits>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace reelgate::core {

namespace {

__extension__ typedef unsigned __int128 Uint128;

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();
constexpr std::uint64_t kInt64MinMagnitude = std::uint64_t{1} << 63;

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

// Text quoted in error messages: short and printable, since it may come from a request body.
std::string quoteForMessage(std::string_view text) {
    constexpr std::size_t kMaxShown = 40;
    std::string shown(text.substr(0, kMaxShown));
    std::replace_if(
        shown.begin(), shown.end(), [](char c) { return c < ' ' || c > '~'; }, '?');
    return "\"" + shown + (text.size() > kMaxShown ? "...\"" : "\"");
}

// Converts "[-]digits[.digits]" in major units to minor units. On failure returns nullopt and
// puts the reason in `whyNot`.
std::optional<std::int64_t> parseMinor(std::string_view text, const Currency& currency,
                                       std::string& whyNot) {
    if (text.empty()) {
        whyNot = "the amount is empty";
        return std::nullopt;
    }
    const bool negative = text.front() == '-';
    std::size_t pos = negative ? 1 : 0;
    const std::size_t intBegin = pos;
    while (pos < text.size() && isDigit(text[pos])) {
        ++pos;
    }
    const std::string_view intDigits = text.substr(intBegin, pos - intBegin);
    std::string_view fracDigits;
    if (intDigits.empty()) {
        whyNot = "expected a digit" + std::string(negative ? " after '-'" : " at the start") +
                 " (write amounts like 12.34)";
        return std::nullopt;
    }
    if (pos < text.size() && text[pos] == '.') {
        const std::size_t fracBegin = ++pos;
        while (pos < text.size() && isDigit(text[pos])) {
            ++pos;
        }
        fracDigits = text.substr(fracBegin, pos - fracBegin);
        if (fracDigits.empty()) {
            whyNot = "a '.' must be followed by at least one digit";
            return std::nullopt;
        }
    }
    if (pos < text.size()) {
        const char c = text[pos];
        if (c == ',') {
            whyNot = "thousands separators are not accepted (write 1000.00, not 1,000.00)";
        } else if (c == 'e' || c == 'E') {
            whyNot = "exponents are not accepted";
        } else if (c == '.') {
            whyNot = "only one '.' is allowed";
        } else {
            whyNot = "unexpected character at position " + std::to_string(pos + 1) +
                     " (only digits, one '.' and a leading '-' are allowed)";
        }
        return std::nullopt;
    }
    const auto minorDigits = static_cast<std::size_t>(currency.minorDigits());
    if (fracDigits.size() > minorDigits) {
        whyNot = std::string(currency.code()) + " allows " +
                 (minorDigits == 0 ? std::string("no decimals")
                                   : "at most " + std::to_string(minorDigits) + " decimals");
        return std::nullopt;
    }

    // Accumulate the magnitude in 128 bits and stop as soon as it cannot fit, so any number of
    // digits is safe. The negative range is one larger than the positive one.
    const Uint128 limit = negative ? Uint128{kInt64MinMagnitude} : Uint128{kInt64Max};
    Uint128 magnitude = 0;
    auto push = [&](int digit) {
        magnitude = magnitude * 10 + static_cast<unsigned>(digit);
        return magnitude <= limit;
    };
    bool fits = true;
    for (const char c : intDigits) {
        fits = fits && push(c - '0');
    }
    for (const char c : fracDigits) {
        fits = fits && push(c - '0');
    }
    for (std::size_t i = fracDigits.size(); i < minorDigits; ++i) {
        fits = fits && push(0);
    }
    if (!fits) {
        whyNot = "the amount is too large";
        return std::nullopt;
    }
    if (!negative) {
        return static_cast<std::int64_t>(magnitude);
    }
    if (magnitude == kInt64MinMagnitude) {
        return kInt64Min;
    }
    return -static_cast<std::int64_t>(magnitude);
}

std::optional<Money> decodeJson(const nlohmann::json& json, std::string& whyNot) {
    if (!json.is_object()) {
        whyNot = "a money value must be a JSON object with amount_minor and currency";
        return std::nullopt;
    }
    if (!json.contains("amount_minor") || !json.at("amount_minor").is_number_integer()) {
        whyNot = "amount_minor must be an integer number of minor units";
        return std::nullopt;
    }
    const nlohmann::json& amount = json.at("amount_minor");
    if (amount.is_number_unsigned() && amount.get<std::uint64_t>() > std::uint64_t{kInt64Max}) {
        whyNot = "amount_minor is too large";
        return std::nullopt;
    }
    if (!json.contains("currency") || !json.at("currency").is_string()) {
        whyNot = "currency must be a string such as \"USD\"";
        return std::nullopt;
    }
    const std::string& code = json.at("currency").get_ref<const std::string&>();
    const auto currency = Currency::tryFromCode(code);
    if (!currency) {
        whyNot = "unknown currency code " + quoteForMessage(code);
        return std::nullopt;
    }
    return Money(amount.get<std::int64_t>(), *currency);
}

[[noreturn]] void throwOverflow(const Money& a, std::string_view operation, const Money& b) {
    throw std::overflow_error("money overflow: " + a.format() + " " + std::string(operation) + " " +
                              b.format() + " does not fit in 64-bit minor units");
}

} // namespace

Money Money::parse(std::string_view decimalMajor, Currency currency) {
    std::string whyNot;
    if (auto minor = parseMinor(decimalMajor, currency, whyNot)) {
        return Money(*minor, currency);
    }
    throw InvalidInput("invalid amount " + quoteForMessage(decimalMajor) + ": " + whyNot);
}

std::optional<Money> Money::tryParse(std::string_view decimalMajor, Currency currency) {
    std::string whyNot;
    if (auto minor = parseMinor(decimalMajor, currency, whyNot)) {
        return Money(*minor, currency);
    }
    return std::nullopt;
}

Money Money::fromJson(const nlohmann::json& json) {
    std::string whyNot;
    if (auto money = decodeJson(json, whyNot)) {
        return *money;
    }
    throw InvalidInput("invalid money value: " + whyNot);
}

std::optional<Money> Money::tryFromJson(const nlohmann::json& json) {
    std::string whyNot;
    return decodeJson(json, whyNot);
}

nlohmann::json Money::toJson() const {
    return nlohmann::json{{"amount_minor", amountMinor_}, {"currency", currency_.code()}};
}

std::string Money::toDecimalString() const {
    // Work on the unsigned magnitude so that INT64_MIN formats correctly.
    const std::uint64_t magnitude =
        amountMinor_ < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(amountMinor_)
                         : static_cast<std::uint64_t>(amountMinor_);
    const auto factor = static_cast<std::uint64_t>(currency_.minorPerMajor());
    std::string text = amountMinor_ < 0 ? "-" : "";
    text += std::to_string(magnitude / factor);
    if (currency_.minorDigits() > 0) {
        std::string fraction = std::to_string(magnitude % factor);
        text += '.';
        text.append(static_cast<std::size_t>(currency_.minorDigits()) - fraction.size(), '0');
        text += fraction;
    }
    return text;
}

std::string Money::format() const {
    return toDecimalString() + " " + std::string(currency_.code());
}

void Money::requireSameCurrency(const Money& other, std::string_view operation) const {
    if (currency_ != other.currency_) {
        throw InvalidInput("cannot " + std::string(operation) + " " + format() + " and " +
                           other.format() + ": the currencies differ");
    }
}

Money Money::plus(const Money& other) const {
    requireSameCurrency(other, "add");
    const std::int64_t b = other.amountMinor_;
    if ((b > 0 && amountMinor_ > kInt64Max - b) || (b < 0 && amountMinor_ < kInt64Min - b)) {
        throwOverflow(*this, "+", other);
    }
    return Money(amountMinor_ + b, currency_);
}

Money Money::minus(const Money& other) const {
    requireSameCurrency(other, "subtract");
    const std::int64_t b = other.amountMinor_;
    if ((b < 0 && amountMinor_ > kInt64Max + b) || (b > 0 && amountMinor_ < kInt64Min + b)) {
        throwOverflow(*this, "-", other);
    }
    return Money(amountMinor_ - b, currency_);
}

Money Money::negated() const {
    if (amountMinor_ == kInt64Min) {
        throw std::overflow_error("money overflow: -(" + format() +
                                  ") does not fit in 64-bit minor units");
    }
    return Money(-amountMinor_, currency_);
}

std::strong_ordering Money::operator<=>(const Money& other) const {
    requireSameCurrency(other, "compare");
    return amountMinor_ <=> other.amountMinor_;
}

} // namespace reelgate::core

NLOHMANN_JSON_NAMESPACE_BEGIN

reelgate::core::Money adl_serializer<reelgate::core::Money>::from_json(const json& value) {
    return reelgate::core::Money::fromJson(value);
}

void adl_serializer<reelgate::core::Money>::to_json(json& value,
                                                    const reelgate::core::Money& money) {
    value = money.toJson();
}

NLOHMANN_JSON_NAMESPACE_END
