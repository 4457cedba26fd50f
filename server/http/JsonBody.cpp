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

std::optional<std::string> JsonBody::optionalString(const std::string& field,
                                                    std::size_t maxBytes) const {
    auto it = json_.find(field);
    if (it == json_.end() || it->is_null())
        return std::nullopt;
    if (!it->is_string())
        throw ApiError::badRequest("'" + field + "' must be a string.");
    auto value = it->get<std::string>();
    if (value.size() > maxBytes)
        throw ApiError::badRequest("'" + field + "' is too long (at most " +
                                   std::to_string(maxBytes) + " bytes).");
    return value;
}

std::string JsonBody::requiredString(const std::string& field, std::size_t maxBytes) const {
    auto value = optionalString(field, maxBytes);
    if (!value)
        throw ApiError::badRequest("'" + field + "' is required.");
    return *value;
}

} // namespace reelgate::server::http
