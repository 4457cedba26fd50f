#include "money/PayoutDetails.h"

#include "common/ServiceError.h"
#include "db/SqlText.h"
#include "mail/Outbox.h"
#include "reelgate/core/Text.h"

#include <algorithm>
#include <cctype>

namespace reelgate::server::money {
namespace {

using nlohmann::json;
using Kind = ServiceError::Kind;

ServiceError invalid(const std::string& message) {
    return ServiceError(Kind::Invalid, "invalid_details", message);
}

std::string field(const json& details, const char* name, std::size_t maxChars, bool required) {
    const json v = details.value(name, json());
    if (v.is_null() && !required)
        return "";
    if (!v.is_string() ||
        core::checkText(v.get<std::string>(), {.maxChars = maxChars, .allowEmpty = !required}) !=
            core::TextProblem::None)
        throw invalid(std::string("'") + name + "' must be text of 1 to " +
                      std::to_string(maxChars) + " characters.");
    return v.get<std::string>();
}

// The last four characters shown, the rest starred.
std::string lastFour(const std::string& value) {
    const auto chars = core::utf8Length(value);
    if (chars <= 4)
        return std::string(chars, '*');
    std::size_t cut = value.size();
    for (int kept = 0; kept < 4 && cut > 0;) {
        --cut;
        if ((static_cast<unsigned char>(value[cut]) & 0xC0) != 0x80)
            ++kept;
    }
    return std::string(chars - 4, '*') + value.substr(cut);
}

std::string maskedEmail(const std::string& email) {
    const auto at = email.find('@');
    if (at == std::string::npos || at == 0)
        return "***";
    return email.substr(0, 1) + "***" + email.substr(at);
}

// Checks `details` for `method`; returns {plain, masked}.
std::pair<json, json> normalise(const std::string& method, const json& details) {
    if (!details.is_object())
        throw invalid("'details' must be an object.");
    if (method == "bank") {
        const json plain = {{"account_name", field(details, "account_name", 100, true)},
                            {"bank_name", field(details, "bank_name", 100, true)},
                            {"account_number", field(details, "account_number", 40, true)},
                            {"swift", field(details, "swift", 11, false)}};
        const std::string number = plain["account_number"];
        if (!std::all_of(number.begin(), number.end(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) || c == ' ' || c == '-';
            }))
            throw invalid("'account_number' holds letters, digits, spaces and dashes only.");
        return {plain,
                {{"account_name", plain["account_name"]},
                 {"bank_name", plain["bank_name"]},
                 {"account_number", lastFour(number)},
                 {"swift", plain["swift"].get<std::string>().empty() ? json() : plain["swift"]}}};
    }
    if (method == "ewallet") {
        const json plain = {{"provider", field(details, "provider", 30, true)},
                            {"phone", field(details, "phone", 20, true)}};
        const std::string phone = plain["phone"];
        if (!std::all_of(phone.begin(), phone.end(), [](char c) {
                return std::isdigit(static_cast<unsigned char>(c)) || c == '+';
            }))
            throw invalid("'phone' holds digits and an optional leading + only.");
        return {plain, {{"provider", plain["provider"]}, {"phone", lastFour(phone)}}};
    }
    if (method == "paypal") {
        const std::string email = field(details, "email", 254, true);
        if (email.find('@') == std::string::npos || email.find(' ') != std::string::npos)
            throw invalid("'email' must be an email address.");
        return {{{"email", email}}, {{"email", maskedEmail(email)}}};
    }
    throw invalid("'method' is one of bank, ewallet, paypal.");
}

std::string boundTo(accounts::UserId user) {
    return "payout-details:" + std::to_string(user.value);
}

} // namespace

json PayoutDetails::get(accounts::UserId user) {
    auto conn = pool_.acquire();
    auto rows = conn->exec("SELECT method, masked::text, " + db::isoUtc("updated_at") +
                               " FROM payout_details WHERE user_id = $1",
                           {std::to_string(user.value)});
    if (rows.rows() == 0)
        return {{"method", nullptr}, {"masked", json::object()}, {"updated_at", nullptr}};
    return {{"method", rows.text(0, 0)},
            {"masked", json::parse(rows.text(0, 1))},
            {"updated_at", rows.text(0, 2)}};
}

json PayoutDetails::update(const accounts::User& user, const std::string& method,
                           const json& details, const std::string& password) {
    const auto [plain, masked] = normalise(method, details);
    try {
        accounts_.checkCredentials(user.username, password);
    } catch (const ServiceError& e) {
        if (e.kind() == Kind::Unauthorized)
            throw ServiceError(Kind::Forbidden, "wrong_password",
                               "The password is not right; the payout details did not change.");
        throw;
    }
    const std::string sealed = box_.seal(plain.dump(), boundTo(user.id));
    {
        auto conn = pool_.acquire();
        db::PgTransaction tx(*conn);
        conn->exec("INSERT INTO payout_details (user_id, method, sealed, masked, updated_at) "
                   "VALUES ($1, $2, $3, $4::jsonb, now()) ON CONFLICT (user_id) DO UPDATE SET "
                   "method = EXCLUDED.method, sealed = EXCLUDED.sealed, "
                   "masked = EXCLUDED.masked, updated_at = now()",
                   {std::to_string(user.id.value), method, sealed, masked.dump()});
        mail::Outbox::queue(*conn, user.email, "Reelgate: your payout details changed",
                            "Hello " + user.username +
                                ",\n\nThe payout details of your Reelgate account were just "
                                "changed (method: " +
                                method +
                                ").\nIf this was not you, change your password now and "
                                "tell the platform's admin.\n");
        tx.commit();
    }
    return get(user.id);
}

std::string PayoutDetails::methodOf(db::PgConnection& conn, accounts::UserId user) {
    auto rows = conn.exec("SELECT method FROM payout_details WHERE user_id = $1",
                          {std::to_string(user.value)});
    return rows.rows() == 0 ? "" : rows.text(0, 0);
}

std::optional<OpenedDetails> PayoutDetails::open(accounts::UserId user) {
    auto conn = pool_.acquire();
    auto rows = conn->exec("SELECT method, sealed FROM payout_details WHERE user_id = $1",
                           {std::to_string(user.value)});
    if (rows.rows() == 0)
        return std::nullopt;
    const auto plain = box_.open(rows.text(0, 1), boundTo(user));
    if (!plain)
        return std::nullopt;
    return OpenedDetails{rows.text(0, 0), json::parse(*plain)};
}

} // namespace reelgate::server::money
