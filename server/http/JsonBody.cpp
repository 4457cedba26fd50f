#include "http/JsonBody.h"

#include "http/ApiError.h"

namespace reelgate::server::http {

JsonBody::JsonBody(const httplib::Request& req) {
    const std::string type = req.get_header_value("Content-Type");
    if (type.rfind("application/json", 0) != 0)
        throw ApiError(415, "unsupported_media_type", "Send the request body as application/json.");
    json_ = nlohmann::json::parse(req.body, nullptr, false);
    if (json_.is_discarded() || !json_.is_object())
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
