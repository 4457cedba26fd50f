#pragma once
// Writing JSON replies and the error envelope {"error":{"code":"...","message":"..."}}.

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <string>

namespace reelgate::server::http {

void sendJson(httplib::Response& res, int status, const nlohmann::json& body);
void sendError(httplib::Response& res, int status, const std::string& code,
               const std::string& message);

// The envelope for a status that no handler described (404 for an unknown path, 413 ...).
void fillDefaultError(httplib::Response& res);

} // namespace reelgate::server::http
