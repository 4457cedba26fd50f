#pragma once
// Buying a video with the wallet, in ONE database transaction (ledger/SaleLedger, the split
// checkout uses too): debit the buyer (deposited money first, then available earnings), credit
// the creator's earnings (price - fee - commission, on hold), the platform (fee) and a valid
// referrer (commission, on hold), and record the purchase (UNIQUE per buyer and video, which is
// also the access grant). All purchases of one buyer are serialised by a row lock on their wallet;
// every account of the purchase is locked in the ledger's one order, and a deadlock or
// serialization failure is retried, so crossing purchases all succeed. An Idempotency-Key is
// required; the same key replays the first answer, and reusing it for another request is refused.
// Round trips per purchase (issue 14's benchmark): BEGIN + video + referrer + stored key +
// owned, then the lock, then posting + holds + purchase row + stored answer in one statement +
// COMMIT (db::PgTransaction pipelines the first and the last; its statements run on generic
// plans, planned once per connection). Earnings past their hold are released only when a
// purchase falls short.
// Also the read sides: a buyer's purchases, an affiliate's links and earnings, a creator's sales.
// Knows the database, not HTTP. Thread-safe.

#include "accounts/User.h"
#include "db/PgPool.h"
#include "settings/PlatformSettings.h"

#include <nlohmann/json.hpp>

#include <string>

namespace reelgate::server::wallet {

struct PurchaseRequest {
    accounts::UserId buyer;
    std::string videoPublicId;
    std::string idempotencyKey;
    std::string referrer; // username from ?ref= (body or cookie); empty = none
};

struct PurchaseOutcome {
    int status = 0; // 201 first time, 200 for a replay of the same key
    nlohmann::json body;
};

class PurchaseService {
public:
    PurchaseService(db::PgPool& pool, settings::PlatformSettings& settings)
        : pool_(pool)
        , settings_(settings) {}

    // ServiceError: insufficient_funds (402), already_owned (409), own_video (403),
    // not_found (404), not_published (409), idempotency_key_reused (422 via Invalid kind).
    PurchaseOutcome purchase(const PurchaseRequest& request);

    nlohmann::json purchases(accounts::UserId buyer);
    nlohmann::json affiliate(accounts::UserId user, const std::string& username);
    nlohmann::json creatorSales(accounts::UserId creator);

private:
    // One attempt in one transaction; purchase() retries it after a deadlock or a
    // serialization failure.
    PurchaseOutcome purchaseOnce(db::PgConnection& conn, const PurchaseRequest& request,
                                 const std::string& requestHash,
                                 const settings::SettingsSnapshot& settings);

    db::PgPool& pool_;
    settings::PlatformSettings& settings_;
};

} // namespace reelgate::server::wallet
