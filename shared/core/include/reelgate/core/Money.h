#pragma once
// Money: an amount in integer minor units (cents, yen, fils) of one Currency. No floating point is
// ever involved: amounts enter as decimal strings or integers and leave the same way.
// Immutable value type; safe to copy and share between threads.
// Errors: InvalidInput for malformed text or mixed currencies; std::overflow_error when
// arithmetic would leave the int64 range.

#include <reelgate/core/Currency.h>

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace reelgate::core {

class Money {
public:
    Money(std::int64_t amountMinor, Currency currency)
        : amountMinor_(amountMinor)
        , currency_(currency) {}

    static Money zero(Currency currency) { return Money(0, currency); }

    // Parses an amount in major units: "12.34", "12", "0.5", "-0.05". Accepted: an optional
    // leading '-', at least one digit, then optionally '.' and 1..currency.minorDigits() digits.
    // Rejected (InvalidInput): empty text, '+', whitespace, thousands separators, exponents,
    // a bare "." or "12.", more decimals than the currency has, and anything outside int64.
    static Money parse(std::string_view decimalMajor, Currency currency);
    static std::optional<Money> tryParse(std::string_view decimalMajor, Currency currency);

    // JSON form: {"amount_minor": 1234, "currency": "USD"}. fromJson() throws InvalidInput when
    // a field is missing, has the wrong type, is not an integer or names an unknown currency.
    static Money fromJson(const nlohmann::json& json);
    static std::optional<Money> tryFromJson(const nlohmann::json& json);
    nlohmann::json toJson() const;

    std::int64_t amountMinor() const { return amountMinor_; }
    const Currency& currency() const { return currency_; }
    bool isNegative() const { return amountMinor_ < 0; }
    bool isZero() const { return amountMinor_ == 0; }

    // Major units with exactly minorDigits() decimals: "12.34", "-0.05", "1500" (JPY), "0.125"
    // (KWD). parse(toDecimalString()) gives back the same amount.
    std::string toDecimalString() const;
    // Decimal string and code: "12.34 USD".
    std::string format() const;

    // Checked arithmetic: both operands must have the same currency (else InvalidInput) and the
    // result must fit in int64 minor units (else std::overflow_error).
    Money plus(const Money& other) const;
    Money minus(const Money& other) const;
    Money negated() const;
    Money& operator+=(const Money& other) { return *this = plus(other); }
    Money& operator-=(const Money& other) { return *this = minus(other); }
    friend Money operator+(const Money& a, const Money& b) { return a.plus(b); }
    friend Money operator-(const Money& a, const Money& b) { return a.minus(b); }

    // Equal means same amount and same currency. Ordering amounts of different currencies is
    // meaningless and throws InvalidInput.
    bool operator==(const Money&) const = default;
    std::strong_ordering operator<=>(const Money& other) const;

private:
    void requireSameCurrency(const Money& other, std::string_view operation) const;

    std::int64_t amountMinor_;
    Currency currency_;
};

} // namespace reelgate::core

NLOHMANN_JSON_NAMESPACE_BEGIN
// Lets nlohmann convert Money even though it has no default constructor:
// `json j = money;` and `j.get<Money>()` (which throws InvalidInput on a bad object).
template <> struct adl_serializer<reelgate::core::Money> {
    static reelgate::core::Money from_json(const json& value);
    static void to_json(json& value, const reelgate::core::Money& money);
};
NLOHMANN_JSON_NAMESPACE_END
