#pragma once
// Currency: an ISO 4217 currency code plus its minor-unit exponent (USD 2, JPY 0, KWD 3), taken
// from a built-in table. Only currencies in the table can be constructed, so every Currency value
// is known-good. Immutable value type, trivially copyable, safe to share between threads.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace reelgate::core {

class Currency {
public:
    // Largest exponent in the table; amounts never have more decimals than this.
    static constexpr int kMaxMinorDigits = 3;

    // Looks `code` up case-insensitively ("usd" -> USD). Throws InvalidInput for anything that is
    // not exactly three ASCII letters naming a currency in the table.
    static Currency fromCode(std::string_view code);
    // Same as fromCode(), but returns std::nullopt instead of throwing.
    static std::optional<Currency> tryFromCode(std::string_view code);
    // Every code in the built-in table, uppercase, in table order.
    static std::span<const std::string_view> knownCodes();

    // Uppercase three-letter code; the view stays valid as long as this object.
    std::string_view code() const { return {code_.data(), code_.size()}; }
    // Decimal places of the minor unit: 2 for USD (cents), 0 for JPY, 3 for KWD.
    int minorDigits() const { return minorDigits_; }
    // Minor units in one major unit: 100 for USD, 1 for JPY, 1000 for KWD.
    std::int64_t minorPerMajor() const;

    bool operator==(const Currency&) const = default;

private:
    Currency(std::array<char, 3> code, int minorDigits)
        : code_(code)
        , minorDigits_(minorDigits) {}

    std::array<char, 3> code_;
    int minorDigits_;
};

} // namespace reelgate::core
