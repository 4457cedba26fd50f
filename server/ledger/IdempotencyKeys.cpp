#include "ledger/IdempotencyKeys.h"

#include "common/ServiceError.h"
#include "reelgate/core/Text.h"

namespace reelgate::server::ledger {

using nlohmann::json;
using Kind = ServiceError::Kind;

void IdempotencyKeys::require(const std::string& key) {
    if (core::checkText(key, {.maxChars = 200, .allowEmpty = false}) != core::TextProblem::None)
        throw ServiceError(Kind::Invalid, "idempotency_key_required",
                           "Send an Idempotency-Key header (1 to 200 characters of text) with a "
                           "request that moves money.");
}

std::optional<StoredAnswer> IdempotencyKeys::find(db::PgConnection& conn, const std::string& userId,
                                                  const std::string& key) {
    auto rows = conn.exec("SELECT " + columns("k") +
                              " FROM idempotency_keys k WHERE k.user_id = $1 AND k.key = $2",
                          {userId, key});
    if (rows.rows() == 0)
        return std::nullopt;
    return fromRow(rows, 0, 0);
}

std::string IdempotencyKeys::columns(const std::string& alias) {
    return alias + ".request_hash, " + alias + ".status, " + alias + ".response::text";
}

std::optional<StoredAnswer> IdempotencyKeys::fromRow(const db::PgResult& rows, int row,
                                                     int firstColumn) {
    if (rows.isNull(row, firstColumn))
        return std::nullopt;
    return StoredAnswer{rows.text(row, firstColumn),
                        static_cast<int>(rows.int64(row, firstColumn + 1)),
                        json::parse(rows.text(row, firstColumn + 2))};
}

json IdempotencyKeys::replay(const StoredAnswer& stored, const std::string& requestHash) {
    if (stored.requestHash != requestHash)
        throw ServiceError(Kind::Unprocessable, "idempotency_key_reused",
                           "This Idempotency-Key was already used for a different request.");
    return stored.response;
}

void IdempotencyKeys::store(db::PgConnection& conn, const std::string& userId,
                            const std::string& key, const std::string& requestHash, int status,
                            const json& response) {
    conn.execPrepared("INSERT INTO idempotency_keys (user_id, key, request_hash, status, response) "
                      "VALUES ($1, $2, $3, $4, $5::jsonb)",
                      {userId, key, requestHash, std::to_string(status), response.dump()});
}

} // namespace reelgate::server::ledger
