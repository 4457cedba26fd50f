#pragma once
// Reading JSON request bodies: wrong media type -> 415, malformed -> 400, a missing or
// mistyped field -> 400 naming the field. All failures are thrown as ApiError.

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace reelgate::server::http {

class JsonBody {
public:
    explicit JsonBody(const httplib::Request& req);

    std::string requiredString(const std::string& field, std::size_t maxBytes = 1024) const;
    std::optional<std::string> optionalString(const std::string& field,
                                              std::size_t maxBytes = 1024) const;
    const nlohmann::json& json() const { return json_; }

private:
    nlohmann::json json_;
};

} // namespace reelgate::server::http
