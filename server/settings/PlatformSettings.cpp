#include "settings/PlatformSettings.h"

#include "common/ServiceError.h"
#include "reelgate/core/InvalidInput.h"
#include "reelgate/core/SaleSplit.h"

#include <algorithm>
#include <set>

namespace reelgate::server::settings {
namespace {

using nlohmann::json;
constexpr auto kCacheFor = std::chrono::seconds(5);

ServiceError invalid(const std::string& message) {
    return ServiceError(ServiceError::Kind::Invalid, "invalid_settings", message);
}

core::Currency currencyField(const json& value, const std::string& what) {
    if (!value.is_string())
        throw invalid(what + " must be a currency code such as \"USD\".");
    const auto currency = core::Currency::tryFromCode(value.get<std::string>());
    if (!currency)
        throw invalid(what + " \"" + value.get<std::string>() + "\" is not a known currency.");
    return *currency;
}

int intField(const json& changes, const char* name, int min, int max) {
    const json& v = changes.at(name);
    if (!v.is_number_integer() || v.get<std::int64_t>() < min || v.get<std::int64_t>() > max)
        throw invalid(std::string("'") + name + "' must be a whole number from " +
                      std::to_string(min) + " to " + std::to_string(max) + ".");
    return v.get<int>();
}

// {"USD": 1000, "*": 0} (or one number: every currency) -> a checked map.
std::map<std::string, std::int64_t> minorMap(const json& value, const char* name) {
    std::map<std::string, std::int64_t> out;
    const auto amount = [&](const json& v) {
        if (!v.is_number_integer() || v.get<std::int64_t>() < 0 ||
            v.get<std::int64_t>() > 1'000'000'000'000LL)
            throw invalid(std::string("'") + name +
                          "' takes whole amounts in minor units, 0 or more.");
        return v.get<std::int64_t>();
    };
    if (value.is_number()) {
        out["*"] = amount(value);
        return out;
    }
    if (!value.is_object() || value.size() > 50)
        throw invalid(std::string("'") + name +
                      "' is a map of currency code to minor units, e.g. {\"USD\": 1000}.");
    for (const auto& [key, v] : value.items()) {
        if (key != "*")
            currencyField(json(key), std::string("A currency of '") + name + "'");
        out[key] = amount(v);
    }
    return out;
}

json mapJson(const std::map<std::string, std::int64_t>& map) {
    json out = json::object();
    for (const auto& [key, value] : map)
        out[key] = value;
    return out;
}

} // namespace

std::int64_t SettingsSnapshot::perCurrency(const std::map<std::string, std::int64_t>& map,
                                           const core::Currency& currency, std::int64_t fallback) {
    if (const auto it = map.find(std::string(currency.code())); it != map.end())
        return it->second;
    if (const auto it = map.find("*"); it != map.end())
        return it->second;
    return fallback;
}

json moneyJson(const core::Money& money) {
    json j = money.toJson();
    j["formatted"] = money.format();
    return j;
}

std::shared_ptr<const SettingsSnapshot> PlatformSettings::snapshot() {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (!cached_ || now - loadedAt_ > kCacheFor) {
        cached_ = load();
        loadedAt_ = now;
    }
    return cached_;
}

std::shared_ptr<const SettingsSnapshot> PlatformSettings::load() {
    auto snap = std::make_shared<SettingsSnapshot>();
    auto conn = pool_.acquire();
    auto rows = conn->exec("SELECT key, value::text FROM platform_settings");
    for (int r = 0; r < rows.rows(); ++r) {
        const std::string key = rows.text(r, 0);
        const json value = json::parse(rows.text(r, 1), nullptr, false);
        try {
            if (key == "platform_fee_bps")
                snap->platformFeeBps = value.get<int>();
            else if (key == "max_streams_per_user")
                snap->maxStreamsPerUser = value.get<int>();
            else if (key == "earnings_hold_days")
                snap->earningsHoldDays = value.get<int>();
            else if (key == "transfers_enabled")
                snap->transfersEnabled = value.get<bool>();
            else if (key == "withdrawal_min_minor")
                snap->withdrawalMinMinor = minorMap(value, "withdrawal_min_minor");
            else if (key == "withdrawal_fee_minor")
                snap->withdrawalFeeMinor = minorMap(value, "withdrawal_fee_minor");
            else if (key == "transfer_daily_limit_minor")
                snap->transferDailyLimitMinor = minorMap(value, "transfer_daily_limit_minor");
        } catch (const std::exception&) { // a stored value of the wrong type: the default stays
        }
    }
    rows = conn->exec("SELECT code FROM display_currencies ORDER BY position, code");
    for (int r = 0; r < rows.rows(); ++r)
        snap->displayCurrencies.push_back(rows.text(r, 0));
    rows = conn->exec("SELECT base, quote, rate FROM exchange_rates ORDER BY base, quote");
    for (int r = 0; r < rows.rows(); ++r) {
        const auto base = core::Currency::tryFromCode(rows.text(r, 0));
        const auto quote = core::Currency::tryFromCode(rows.text(r, 1));
        if (base && quote)
            snap->rates.push_back(core::ExchangeRate::parse(*base, *quote, rows.text(r, 2)));
    }
    return snap;
}

json PlatformSettings::publicJson() {
    const auto snap = snapshot();
    json currencies = json::array();
    for (const auto& code : snap->displayCurrencies) {
        json rates = json::object();
        for (const auto& rate : snap->rates)
            if (rate.quote().code() == code)
                rates[std::string(rate.base().code())] = rate.toDecimalString();
        currencies.push_back({{"code", code}, {"rates", rates}});
    }
    return {{"platform_fee_bps", snap->platformFeeBps},
            {"max_affiliate_bps",
             core::maxAffiliateRate(core::BasisPoints(snap->platformFeeBps)).value()},
            {"max_streams_per_user", snap->maxStreamsPerUser},
            {"display_currencies", currencies}};
}

json PlatformSettings::adminJson() {
    const auto snap = snapshot();
    json rates = json::array();
    for (const auto& rate : snap->rates)
        rates.push_back({{"base", std::string(rate.base().code())},
                         {"quote", std::string(rate.quote().code())},
                         {"rate", rate.toDecimalString()}});
    return {{"platform_fee_bps", snap->platformFeeBps},
            {"max_streams_per_user", snap->maxStreamsPerUser},
            {"display_currencies", snap->displayCurrencies},
            {"rates", rates},
            {"earnings_hold_days", snap->earningsHoldDays},
            {"transfers_enabled", snap->transfersEnabled},
            {"withdrawal_min_minor", mapJson(snap->withdrawalMinMinor)},
            {"withdrawal_fee_minor", mapJson(snap->withdrawalFeeMinor)},
            {"transfer_daily_limit_minor", mapJson(snap->transferDailyLimitMinor)}};
}

json PlatformSettings::update(const json& changes,
                              const std::function<void(db::PgConnection&)>& alsoInTransaction) {
    if (!changes.is_object())
        throw invalid("Send the settings as a JSON object.");
    {
        auto conn = pool_.acquire();
        db::PgTransaction tx(*conn);
        const auto setInt = [&](const char* key, int value) {
            conn->exec(
                "INSERT INTO platform_settings (key, value, updated_at) VALUES ($1, $2::jsonb, "
                "now()) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, "
                "updated_at = now()",
                {std::string(key), std::to_string(value)});
        };
        if (changes.contains("platform_fee_bps"))
            setInt("platform_fee_bps", intField(changes, "platform_fee_bps", 0, 9000));
        if (changes.contains("max_streams_per_user"))
            setInt("max_streams_per_user",
                   intField(changes, "max_streams_per_user", 1, kMaxStreamsLimit));
        const auto setJson = [&](const char* key, const json& value) {
            conn->exec(
                "INSERT INTO platform_settings (key, value, updated_at) VALUES ($1, $2::jsonb, "
                "now()) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, "
                "updated_at = now()",
                {std::string(key), value.dump()});
        };
        if (changes.contains("earnings_hold_days"))
            setInt("earnings_hold_days", intField(changes, "earnings_hold_days", 0, 365));
        if (changes.contains("transfers_enabled")) {
            if (!changes["transfers_enabled"].is_boolean())
                throw invalid("'transfers_enabled' must be true or false.");
            setJson("transfers_enabled", changes["transfers_enabled"]);
        }
        for (const char* key :
             {"withdrawal_min_minor", "withdrawal_fee_minor", "transfer_daily_limit_minor"})
            if (changes.contains(key))
                setJson(key, mapJson(minorMap(changes[key], key)));
        if (changes.contains("display_currencies")) {
            const json& list = changes["display_currencies"];
            if (!list.is_array() || list.size() > 20)
                throw invalid("'display_currencies' must be a list of at most 20 currency codes.");
            std::set<std::string> seen;
            conn->exec("DELETE FROM display_currencies");
            int position = 0;
            for (const auto& item : list) {
                const std::string code(currencyField(item, "A display currency").code());
                if (!seen.insert(code).second)
                    throw invalid("The display currency " + code + " is listed twice.");
                conn->exec("INSERT INTO display_currencies (code, position) VALUES ($1, $2)",
                           {code, std::to_string(position++)});
            }
        }
        if (changes.contains("rates")) {
            const json& list = changes["rates"];
            if (!list.is_array() || list.size() > 400)
                throw invalid("'rates' must be a list of {\"base\",\"quote\",\"rate\"} objects.");
            conn->exec("DELETE FROM exchange_rates");
            for (const auto& item : list) {
                if (!item.is_object() || !item.value("rate", json()).is_string())
                    throw invalid(
                        "Each rate is {\"base\":\"USD\",\"quote\":\"IDR\",\"rate\":\"15800\"} "
                        "(the rate as a decimal string).");
                const auto base = currencyField(item.value("base", json()), "'base'");
                const auto quote = currencyField(item.value("quote", json()), "'quote'");
                try {
                    const auto rate =
                        core::ExchangeRate::parse(base, quote, item["rate"].get<std::string>());
                    conn->exec("INSERT INTO exchange_rates (base, quote, rate) VALUES ($1, $2, $3) "
                               "ON CONFLICT (base, quote) DO UPDATE SET rate = EXCLUDED.rate",
                               {std::string(base.code()), std::string(quote.code()),
                                rate.toDecimalString()});
                } catch (const core::InvalidInput& e) {
                    throw invalid(e.what());
                }
            }
        }
        if (alsoInTransaction)
            alsoInTransaction(*conn);
        tx.commit();
    } // the connection goes back before adminJson() takes one
    {
        std::lock_guard lock(mutex_);
        cached_.reset();
    }
    return adminJson();
}

json PlatformSettings::displayPrices(const core::Money& price) {
    const auto snap = snapshot();
    json out = json::array();
    for (const auto& code : snap->displayCurrencies) {
        if (code == price.currency().code())
            continue;
        for (const auto& rate : snap->rates) {
            if (rate.base() == price.currency() && rate.quote().code() == code) {
                try {
                    out.push_back(moneyJson(rate.convert(price)));
                } catch (const std::overflow_error&) {
                }
                break;
            }
        }
    }
    return out;
}

} // namespace reelgate::server::settings
