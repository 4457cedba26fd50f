#pragma once
// Texts the admin sets for every visitor: the terms, the privacy notice and the refund policy
// (shown on the video page before paying). Until set, a plain default stands in. Knows the
// database, not HTTP; refuses with ServiceError. Thread-safe.

#include "db/PgPool.h"

#include <nlohmann/json.hpp>

#include <string>

namespace reelgate::server::store {

class SiteTexts {
public:
    static constexpr std::size_t kMaxChars = 20000;

    explicit SiteTexts(db::PgPool& pool)
        : pool_(pool) {}

    static bool isKey(const std::string& key); // terms | privacy | refund_policy
    // {"key", "title", "body", "updated_at" (null for the default)}; NotFound for other keys.
    nlohmann::json get(const std::string& key);
    nlohmann::json set(const std::string& key, const std::string& body);

private:
    db::PgPool& pool_;
};

} // namespace reelgate::server::store
