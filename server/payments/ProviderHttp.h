#pragma once
// The HTTP(S) client provider folders use to reach their remote APIs (libcurl): one request,
// a status and a body back. Credentials travel as a bearer token or basic auth and never
// appear in errors. Thread-safe (a fresh curl handle per call). ProviderError when the
// provider cannot be reached; an HTTP error status is returned, not thrown.

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace reelgate::server::payments {

struct ProviderRequest {
    std::string method = "GET"; // GET or POST
    std::string url;
    std::string body;
    std::string contentType; // application/x-www-form-urlencoded, application/json ...
    std::string bearer;      // Authorization: Bearer ...
    std::string basicUser;   // Authorization: Basic (user:password) when non-empty
    std::string basicPassword;
    std::vector<std::pair<std::string, std::string>> headers;
};

struct ProviderResponse {
    long status = 0;
    std::string body;
};

ProviderResponse sendProviderRequest(const ProviderRequest& request);
// The same for JSON APIs: the answer's object, or ProviderError naming `provider` and the
// status when it is not a 2xx JSON object.
nlohmann::json sendJsonRequest(const ProviderRequest& request, const std::string& provider);

// A string field of a provider's JSON answer; "" when absent or not a string.
std::string jsonText(const nlohmann::json& object, const char* name);

// A configured base URL without trailing slashes (paths are appended to it).
std::string withoutTrailingSlash(std::string url);

// application/x-www-form-urlencoded encoding of one value.
std::string formEncode(const std::string& value);

} // namespace reelgate::server::payments
