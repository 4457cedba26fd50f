#pragma once
// Platform-wide settings an admin changes at run time: the platform fee, the concurrent-stream
// limit per user, money out (withdrawal minimum and fee and the transfer daily limit: maps of
// currency -> minor units, "*" for every currency not named; earnings hold days; transfers on
// or off), and the display currencies with their exchange rates (prices are shown
// converted; money always moves in the video's own currency). Read often, written rarely: a
// snapshot is cached for a few seconds so catalog pages do not query it per video.
// Thread-safe. Bad input: ServiceError Invalid with a message naming the field.

#include "db/PgPool.h"
#include "reelgate/core/ExchangeRate.h"
#include "reelgate/core/Money.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace reelgate::server::settings {

struct SettingsSnapshot {
    int platformFeeBps = 1000;
    int maxStreamsPerUser = 2;
    std::vector<std::string> displayCurrencies; // in the order the admin chose
    std::vector<core::ExchangeRate> rates;
    int earningsHoldDays = 7;
    bool transfersEnabled = false;
    std::map<std::string, std::int64_t> withdrawalMinMinor;      // currency or "*" -> minor
    std::map<std::string, std::int64_t> withdrawalFeeMinor;      // currency or "*" -> minor
    std::map<std::string, std::int64_t> transferDailyLimitMinor; // currency or "*" -> minor

    // The map's value for `currency` ("*" when it is not named; `fallback` without either).
    static std::int64_t perCurrency(const std::map<std::string, std::int64_t>& map,
                                    const core::Currency& currency, std::int64_t fallback);
    // The smallest withdrawal and its fee in `currency` (minor units; at least 1 and 0).
    std::int64_t withdrawalMinimum(const core::Currency& currency) const {
        return perCurrency(withdrawalMinMinor, currency, 1);
    }
    std::int64_t withdrawalFee(const core::Currency& currency) const {
        return perCurrency(withdrawalFeeMinor, currency, 0);
    }
};

class PlatformSettings {
public:
    static constexpr int kMaxStreamsLimit = 20;

    explicit PlatformSettings(db::PgPool& pool)
        : pool_(pool) {}

    std::shared_ptr<const SettingsSnapshot> snapshot();

    // What every visitor may read (GET /api/platform).
    nlohmann::json publicJson();
    // {"platform_fee_bps", "max_streams_per_user", "display_currencies":[codes],
    //  "rates":[{"base","quote","rate"}]}
    nlohmann::json adminJson();
    // Applies the fields present in `changes` (same shape as adminJson) in one transaction;
    // `alsoInTransaction` (optional) writes what must commit with them (the audit entry).
    nlohmann::json update(const nlohmann::json& changes,
                          const std::function<void(db::PgConnection&)>& alsoInTransaction = {});

    // `price` converted into every display currency that has a rate from its currency.
    nlohmann::json displayPrices(const core::Money& price);

private:
    std::shared_ptr<const SettingsSnapshot> load();

    db::PgPool& pool_;
    std::mutex mutex_;
    std::shared_ptr<const SettingsSnapshot> cached_;
    std::chrono::steady_clock::time_point loadedAt_;
};

// Money as the API writes it: {"amount_minor", "currency", "formatted"}.
nlohmann::json moneyJson(const core::Money& money);

} // namespace reelgate::server::settings
