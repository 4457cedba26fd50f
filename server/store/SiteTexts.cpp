#include "store/SiteTexts.h"

#include "common/ServiceError.h"
#include "db/SqlText.h"
#include "reelgate/core/Text.h"

namespace reelgate::server::store {
namespace {

struct Default {
    const char* key;
    const char* title;
    const char* body;
};

constexpr Default kDefaults[] = {
    {"terms", "Terms of use",
     "You buy the right to stream a video in your browser for your own viewing; you do not buy "
     "a copy. Your copy carries your username and hidden marks that lead back to your account: "
     "do not record it or share it.\n\nThe operator of this site has not written its own terms "
     "yet."},
    {"privacy", "Privacy",
     "This site keeps your username, email address, purchases, wallet history and where you "
     "stopped in each video, to run your account. Every stream is marked with your username so "
     "that a leaked copy can be traced. Nothing is sold to anybody.\n\nThe operator of this "
     "site has not written its own privacy notice yet."},
    {"refund_policy", "Refunds",
     "Purchases are final once you have started watching. If a video does not play, contact "
     "the site operator for a refund."},
};

const Default* defaultFor(const std::string& key) {
    for (const auto& d : kDefaults)
        if (key == d.key)
            return &d;
    return nullptr;
}

} // namespace

bool SiteTexts::isKey(const std::string& key) {
    return defaultFor(key) != nullptr;
}

nlohmann::json SiteTexts::get(const std::string& key) {
    const Default* fallback = defaultFor(key);
    if (!fallback)
        throw ServiceError(ServiceError::Kind::NotFound, "not_found", "There is no such text.");
    auto conn = pool_.acquire();
    auto rows = conn->exec(
        "SELECT body, " + db::isoUtc("updated_at") + " FROM site_texts WHERE key = $1", {key});
    nlohmann::json out = {{"key", key}, {"title", fallback->title}};
    out["body"] = rows.rows() ? rows.text(0, 0) : std::string(fallback->body);
    out["updated_at"] = rows.rows() ? nlohmann::json(rows.text(0, 1)) : nlohmann::json();
    return out;
}

nlohmann::json SiteTexts::set(const std::string& key, const std::string& body) {
    if (!defaultFor(key))
        throw ServiceError(ServiceError::Kind::NotFound, "not_found", "There is no such text.");
    const core::TextRules rules{.maxChars = kMaxChars, .allowEmpty = false, .allowNewlines = true};
    if (const auto problem = core::checkText(body, rules); problem != core::TextProblem::None)
        throw ServiceError(ServiceError::Kind::Invalid, "invalid_text",
                           "'body' " + core::describe(problem, rules) + ".");
    auto conn = pool_.acquire();
    conn->exec("INSERT INTO site_texts (key, body) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE "
               "SET body = EXCLUDED.body, updated_at = now()",
               {key, body});
    return get(key);
}

} // namespace reelgate::server::store
