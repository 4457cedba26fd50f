#include "http/QueryParam.h"

#include "http/ApiError.h"
#include "reelgate/core/Text.h"

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

std::string queryText(const httplib::Request& req, const char* name, std::size_t maxChars) {
    std::string text = req.get_param_value(name);
    const core::TextRules rules{maxChars, true, false};
    if (const auto problem = core::checkText(text, rules); problem != core::TextProblem::None)
        throw ApiError::badRequest(std::string("'") + name + "' " + core::describe(problem, rules) +
                                   ".");
    return text;
}

} // namespace reelgate::server::http
