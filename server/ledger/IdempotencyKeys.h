#pragma once
// Idempotency-Key handling for requests that move money (sql/0004 idempotency_keys): the key is
// checked as text, the first answer is stored in the same transaction as the movement, and a
// replay of the same request gets that answer back (200); the same key for a different request
// is refused (422 idempotency_key_reused).

#include "db/PgConnection.h"
#include "db/PgResult.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace reelgate::server::ledger {

struct StoredAnswer {
    std::string requestHash;
    int status = 0;
    nlohmann::json response;
};

class IdempotencyKeys {
public:
    // ServiceError idempotency_key_required (400) unless 1..200 characters of text.
    static void require(const std::string& key);
    static std::optional<StoredAnswer> find(db::PgConnection& conn, const std::string& userId,
                                            const std::string& key);
    // The columns a caller selects to look a key up inside a larger statement (one round trip):
    // "<alias>.request_hash, <alias>.status, <alias>.response::text"; read them with fromRow().
    static std::string columns(const std::string& alias);
    static std::optional<StoredAnswer> fromRow(const db::PgResult& rows, int row, int firstColumn);
    // The stored answer when it was for `requestHash`; ServiceError otherwise.
    static nlohmann::json replay(const StoredAnswer& stored, const std::string& requestHash);
    static void store(db::PgConnection& conn, const std::string& userId, const std::string& key,
                      const std::string& requestHash, int status, const nlohmann::json& response);
};

} // namespace reelgate::server::ledger
