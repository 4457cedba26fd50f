#include "http/QueryParam.h"

#include "http/ApiError.h"

#include <string>

namespace reelgate::server::http {

int queryInt(const httplib::Request& req, const char* name, int fallback) {
    const std::string text = req.get_param_value(name);
    if (text.empty())
        return fallback;
    try {
        std::size_t used = 0;
        const int value = std::stoi(text, &used);
        if (used == text.size())
            return value;
    } catch (...) {
    }
    throw ApiError::badRequest(std::string("'") + name + "' must be a number.");
}

} // namespace reelgate::server::http
