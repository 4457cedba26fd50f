#include "http/JsonBody.h"

#include "http/ApiError.h"

#include <set>
#include <vector>

namespace reelgate::server::http {

JsonBody::JsonBody(const httplib::Request& req) {
    const std::string type = req.get_header_value("Content-Type");
    if (type.rfind("application/json", 0) != 0)
        throw ApiError(415, "unsupported_media_type", "Send the request body as application/json.");
    // Names already seen, per object open at the moment of parsing.
    std::vector<std::set<std::string>> open;
    const auto check = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        using Event = nlohmann::json::parse_event_t;
        if (depth > kMaxDepth)
            throw ApiError::badRequest("The request body is nested more than " +
                                       std::to_string(kMaxDepth) + " levels deep.");
        if (event == Event::object_start)
            open.emplace_back();
        else if (event == Event::object_end && !open.empty())
            open.pop_back();
        else if (event == Event::key && !open.empty() &&
                 !open.back().insert(parsed.get<std::string>()).second)
            throw ApiError::badRequest("The request body names a field twice.");
        return true;
    };
    json_ = nlohmann::json::parse(req.body, check, false);
    if (json_.is_discarded())
        throw ApiError::badRequest("The request body is not valid JSON (UTF-8).");
    if (!json_.is_object())
        throw ApiError::badRequest("The request body is not a JSON object.");
}

std::optional<std::string> JsonBody::optionalText(const std::string& field,
                                                  const core::TextRules& rules) const {
    auto it = json_.find(field);
    if (it == json_.end() || it->is_null())
        return std::nullopt;
    if (!it->is_string())
        throw ApiError::badRequest("'" + field + "' must be a string.");
    auto value = it->get<std::string>();
    if (const auto problem = core::checkText(value, rules); problem != core::TextProblem::None)
        throw ApiError::badRequest("'" + field + "' " + core::describe(problem, rules) + ".");
    return value;
}

std::string JsonBody::requiredText(const std::string& field, const core::TextRules& rules) const {
    auto value = optionalText(field, rules);
    if (!value)
        throw ApiError::badRequest("'" + field + "' is required.");
    return *value;
}

std::optional<std::string> JsonBody::optionalString(const std::string& field,
                                                    std::size_t maxChars) const {
    return optionalText(field, core::TextRules{.maxChars = maxChars});
}

std::string JsonBody::requiredString(const std::string& field, std::size_t maxChars) const {
    return requiredText(field, core::TextRules{.maxChars = maxChars});
}

} // namespace reelgate::server::http
