#include "http/JsonResponse.h"

namespace reelgate::server::http {

void sendJson(httplib::Response& res, int status, const nlohmann::json& body) {
    res.status = status;
    // Text that reached a body without being checked must not throw here (an exception inside
    // the exception handler aborts the server): invalid UTF-8 becomes U+FFFD.
    res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                    "application/json; charset=utf-8");
}

void sendError(httplib::Response& res, int status, const std::string& code,
               const std::string& message) {
    sendJson(res, status, {{"error", {{"code", code}, {"message", message}}}});
}

void fillDefaultError(httplib::Response& res) {
    switch (res.status) {
    case 400:
        sendError(res, 400, "bad_request", "The request could not be understood.");
        break;
    case 404:
        sendError(res, 404, "not_found", "There is nothing at this address.");
        break;
    case 405:
        sendError(res, 405, "method_not_allowed", "This address does not accept that method.");
        break;
    case 413:
        sendError(res, 413, "payload_too_large", "The request body is larger than allowed.");
        break;
    case 414:
        sendError(res, 414, "uri_too_long", "The request address is too long.");
        break;
    case 416:
        sendError(res, 416, "range_not_satisfiable", "The requested range is not available.");
        break;
    default:
        if (res.status >= 500)
            sendError(res, res.status, "internal", "The server could not complete the request.");
        else
            sendError(res, res.status, "request_failed", "The request failed.");
    }
}

} // namespace reelgate::server::http
