// libFuzzer target: JSON request bodies (http::JsonBody + core::checkText). Every field read
// is either refused with a printable 400 or is text that passes checkText; the JSON error the
// server would send is built without throwing, whatever the body held.
#include "http/ApiError.h"
#include "http/JsonBody.h"
#include "http/JsonResponse.h"

#include <cstdint>
#include <cstdlib>

using namespace reelgate;
using namespace reelgate::server;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    httplib::Request req;
    req.set_header("Content-Type", "application/json");
    req.body.assign(reinterpret_cast<const char*>(data), size);
    httplib::Response res;
    try {
        const http::JsonBody body(req);
        for (const char* field : {"title", "login", "description", "q", ""}) {
            try {
                const auto text = body.optionalText(field, {200, true, true});
                if (text && core::checkText(*text, {200, true, true}) != core::TextProblem::None)
                    std::abort();
                (void)body.optionalString(field, 64);
            } catch (const http::ApiError& e) {
                if (core::checkText(e.what(), {4096, false, false}) != core::TextProblem::None)
                    std::abort();
                http::sendError(res, e.status(), e.code(), e.what());
            }
        }
        // Whatever reached the body, echoing it must not throw (invalid UTF-8 is replaced).
        http::sendJson(res, 200, body.json());
    } catch (const http::ApiError& e) {
        http::sendError(res, e.status(), e.code(), e.what());
    }
    return 0;
}
