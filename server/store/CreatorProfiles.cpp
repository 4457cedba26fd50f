#include "store/CreatorProfiles.h"

#include "common/ServiceError.h"
#include "db/SqlText.h"
#include "reelgate/core/Text.h"

#include <algorithm>

namespace reelgate::server::store {
namespace {

using nlohmann::json;

ServiceError invalid(const std::string& message) {
    return {ServiceError::Kind::Invalid, "invalid_profile", message};
}

std::string checkedText(const json& value, const std::string& name, const core::TextRules& rules) {
    if (!value.is_string())
        throw invalid("The " + name + " must be text.");
    const std::string text = value.get<std::string>();
    if (const auto problem = core::checkText(text, rules); problem != core::TextProblem::None)
        throw invalid("The " + name + " " + core::describe(problem, rules) + ".");
    return text;
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

} // namespace

json CreatorProfile::toJson() const {
    return {{"username", username},
            {"display_name", displayName.empty() ? username : displayName},
            {"bio", bio},
            {"links", links},
            {"since", since}};
}

std::string CreatorProfiles::linkProblem(const std::string& url) {
    if (core::checkText(url, {.maxChars = kMaxLinkUrlChars, .allowEmpty = false}) !=
        core::TextProblem::None)
        return "must be an address of at most " + std::to_string(kMaxLinkUrlChars) + " characters";
    const std::string scheme = lower(url.substr(0, url.find(':')));
    if ((scheme != "http" && scheme != "https") || url.compare(scheme.size(), 3, "://") != 0)
        return "must start with https:// or http://";
    const std::string rest = url.substr(scheme.size() + 3);
    const std::string host = rest.substr(0, rest.find_first_of("/?#"));
    if (host.empty() || host.find_first_of(" \\@") != std::string::npos)
        return "needs a host name, e.g. https://example.com/me";
    if (url.find_first_of(" <>\"'`") != std::string::npos)
        return "must not contain spaces, quotes or angle brackets";
    return {};
}

std::optional<CreatorProfile> CreatorProfiles::load(const std::string& where,
                                                    const std::string& value) {
    auto conn = pool_.acquire();
    auto rows = conn->exec("SELECT u.id, u.username, coalesce(p.display_name, ''), "
                           "coalesce(p.bio, ''), coalesce(p.links, '[]')::text, " +
                               db::isoUtc("u.created_at") +
                               " FROM users u LEFT JOIN creator_profiles p ON p.user_id = u.id "
                               "WHERE " +
                               where,
                           {value});
    if (rows.rows() == 0)
        return std::nullopt;
    CreatorProfile profile;
    profile.userId = accounts::UserId{rows.int64(0, 0)};
    profile.username = rows.text(0, 1);
    profile.displayName = rows.text(0, 2);
    profile.bio = rows.text(0, 3);
    profile.links = json::parse(rows.text(0, 4), nullptr, false);
    if (!profile.links.is_array())
        profile.links = json::array();
    profile.since = rows.text(0, 5);
    return profile;
}

std::optional<CreatorProfile> CreatorProfiles::findCreator(const std::string& username) {
    return load("u.username_norm = lower($1) AND u.is_creator AND u.status = 'active'", username);
}

CreatorProfile CreatorProfiles::forUser(accounts::UserId user) {
    auto found = load("u.id = $1", std::to_string(user.value));
    if (!found)
        throw ServiceError(ServiceError::Kind::NotFound, "not_found", "There is no such user.");
    return *found;
}

CreatorProfile CreatorProfiles::update(accounts::UserId user, const json& fields) {
    CreatorProfile profile = forUser(user);
    if (!fields.is_object())
        throw invalid("Send the profile as a JSON object.");
    if (fields.contains("display_name"))
        profile.displayName =
            checkedText(fields["display_name"], "display name", {.maxChars = kMaxDisplayNameChars});
    if (fields.contains("bio"))
        profile.bio = checkedText(fields["bio"], "text about you",
                                  {.maxChars = kMaxBioChars, .allowNewlines = true});
    if (fields.contains("links")) {
        const json& links = fields["links"];
        if (!links.is_array() || links.size() > kMaxLinks)
            throw invalid("A creator page has at most " + std::to_string(kMaxLinks) + " links.");
        json kept = json::array();
        for (std::size_t i = 0; i < links.size(); ++i) {
            // Named as the account page shows them: "link 2", counting from 1.
            const std::string name = "link " + std::to_string(i + 1);
            if (!links[i].is_object())
                throw invalid("Each link is {\"label\", \"url\"}; " + name + " is not.");
            const std::string url =
                checkedText(links[i].value("url", json()), name + " address",
                            {.maxChars = kMaxLinkUrlChars, .allowEmpty = false});
            if (const auto problem = linkProblem(url); !problem.empty())
                throw invalid("The address of " + name + " " + problem + ".");
            std::string label = checkedText(links[i].value("label", json("")), name + " label",
                                            {.maxChars = kMaxLinkLabelChars});
            kept.push_back({{"label", label.empty() ? url : label}, {"url", url}});
        }
        profile.links = kept;
    }
    auto conn = pool_.acquire();
    conn->exec(
        "INSERT INTO creator_profiles (user_id, display_name, bio, links) VALUES "
        "($1, $2, $3, $4::jsonb) ON CONFLICT (user_id) DO UPDATE SET display_name = "
        "EXCLUDED.display_name, bio = EXCLUDED.bio, links = EXCLUDED.links, "
        "updated_at = now()",
        {std::to_string(user.value), profile.displayName, profile.bio, profile.links.dump()});
    return profile;
}

} // namespace reelgate::server::store
