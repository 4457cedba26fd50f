#pragma once
// Reading JSON request bodies: wrong media type -> 415, malformed -> 400, a missing or
// mistyped field -> 400 naming the field. Every string field is checked as text from outside
// (valid UTF-8, no control characters, at most maxChars characters: core/Text.h); a field that
// fails is named in the 400, its bytes are never echoed. All failures are thrown as ApiError.
// A body that names a field twice in one object is refused (parsers differ on which one
// wins: a proxy or a log could read a different request than the handler), as is one nested
// deeper than kMaxDepth.

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <reelgate/core/Text.h>

#include <optional>
#include <string>

namespace reelgate::server::http {

class JsonBody {
public:
    static constexpr int kMaxDepth = 32;
    explicit JsonBody(const httplib::Request& req);

    std::string requiredString(const std::string& field, std::size_t maxChars = 1024) const;
    std::optional<std::string> optionalString(const std::string& field,
                                              std::size_t maxChars = 1024) const;
    // The same with full rules (multi-line text, empty refused).
    std::string requiredText(const std::string& field, const core::TextRules& rules) const;
    std::optional<std::string> optionalText(const std::string& field,
                                            const core::TextRules& rules) const;
    const nlohmann::json& json() const { return json_; }

private:
    nlohmann::json json_;
};

} // namespace reelgate::server::http
