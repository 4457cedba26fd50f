#include "wallet/PurchaseService.h"

#include "common/ServiceError.h"
#include "db/DbError.h"
#include "db/SqlText.h"
#include "db/TransactionRetry.h"
#include "ledger/EarningsBook.h"
#include "ledger/IdempotencyKeys.h"
#include "ledger/Ledger.h"
#include "ledger/SaleLedger.h"
#include "reelgate/core/Crypto.h"
#include "reelgate/core/SaleSplit.h"
#include "reelgate/core/Text.h"

#include <algorithm>

namespace reelgate::server::wallet {
namespace {

using nlohmann::json;
using Kind = ServiceError::Kind;
using ledger::IdempotencyKeys;

} // namespace

PurchaseOutcome PurchaseService::purchase(const PurchaseRequest& request) {
    IdempotencyKeys::require(request.idempotencyKey);
    const std::string requestHash =
        core::sha256Hex("purchase\n" + request.videoPublicId + "\n" + request.referrer);
    const auto settings = settings_.snapshot();

    auto conn = pool_.acquire();
    const auto attempt = [&] {
        return db::retryTransientConflicts([&] {
            try {
                return purchaseOnce(*conn, request, requestHash, *settings);
            } catch (const db::DbError& e) {
                // A concurrent request with this key, or for this video, committed first (the
                // unique check waited for it): looked up again, its answer is replayed or the
                // video is owned.
                if (e.sqlState() != "23505")
                    throw;
            }
            return purchaseOnce(*conn, request, requestHash, *settings);
        });
    };
    try {
        return attempt();
    } catch (const ServiceError& e) {
        // Earnings past their hold are spendable. Releasing them costs a query, so it is done
        // only when a purchase falls short (the wallet pays deposited money first, so the
        // result is the same), and the purchase is tried once more.
        if (e.code() != "insufficient_funds" ||
            ledger::EarningsBook::mature(*conn, request.buyer) == 0)
            throw;
    }
    return attempt();
}

PurchaseOutcome PurchaseService::purchaseOnce(db::PgConnection& conn,
                                              const PurchaseRequest& request,
                                              const std::string& requestHash,
                                              const settings::SettingsSnapshot& settings) {
    const std::string buyerId = std::to_string(request.buyer.value);
    // One round trip with BEGIN: the video, the referrer named (an active user, when a name was
    // sent), the answer already stored under this key (a replay answers it, whatever became of
    // the video since) and whether the buyer owns the video (a purchase committed after this
    // read is caught by the purchase row's unique key).
    db::PgResult video;
    db::PgTransaction tx(
        conn,
        "SELECT v.id, v.creator_id, v.price_minor, v.currency, v.affiliate_bps, "
        "v.state, v.title, r.id, r.username, EXISTS (SELECT 1 FROM purchases o WHERE "
        "o.buyer_id = $2 AND o.video_id = v.id), " +
            IdempotencyKeys::columns("k") +
            " FROM (SELECT 1) AS one "
            "LEFT JOIN videos v ON v.public_id = $1 "
            "LEFT JOIN users r ON $4::text <> '' AND "
            "r.username_norm = lower($4::text) AND r.status = 'active' "
            "LEFT JOIN idempotency_keys k ON k.user_id = $2 AND k.key = $3",
        {request.videoPublicId, buyerId, request.idempotencyKey, request.referrer}, video,
        true); // generic plans: every statement here looks rows up by key
    if (auto stored = IdempotencyKeys::fromRow(video, 0, 10))
        return {200, IdempotencyKeys::replay(*stored, requestHash)};
    if (video.isNull(0, 0))
        throw ServiceError(Kind::NotFound, "not_found", "There is no video here.");
    const accounts::UserId creator{video.int64(0, 1)};
    const core::Money price(video.int64(0, 2), core::Currency::fromCode(video.text(0, 3)));
    if (video.text(0, 5) != "published")
        throw ServiceError(Kind::Conflict, "not_published", "This video is not for sale.");
    if (creator == request.buyer)
        throw ServiceError(Kind::Forbidden, "own_video", "This is your own video.");
    if (video.boolean(0, 9))
        throw ServiceError(Kind::Conflict, "already_owned", "You already own this video.");

    // A referral counts when it names another active user and the creator runs a program.
    std::optional<accounts::UserId> affiliate;
    std::string affiliateName;
    const int affiliateBps = static_cast<int>(video.int64(0, 4));
    if (affiliateBps > 0 && !video.isNull(0, 7)) {
        const accounts::UserId id{video.int64(0, 7)};
        if (id != request.buyer && id != creator) {
            affiliate = id;
            affiliateName = video.text(0, 8);
        }
    }

    // Every account this purchase moves money between, locked in the ledger's one order
    // (ascending id): two creators buying each other's videos at once cannot deadlock. The
    // buyer's lock also serialises their purchases: everything below sees the ones before.
    const auto currency = price.currency();
    ledger::SaleInput sale;
    sale.buyer = request.buyer;
    sale.creator = creator;
    sale.affiliate = affiliate;
    sale.videoId = video.int64(0, 0);
    sale.title = video.text(0, 6);
    sale.price = price;
    sale.feeBps = settings.platformFeeBps;
    sale.affiliateBps = affiliateBps;
    sale.holdDays = settings.earningsHoldDays;
    auto locked = ledger::SaleLedger::lock(conn, sale);

    // The answer (its created_at is the purchase row's), stored with the sale in one statement.
    // The balance is what the buyer holds in all, less the price (never a payee of their own
    // purchase).
    ledger::SaleAnswer answer{request.idempotencyKey, requestHash, 201, {}};
    answer.body = {
        {"purchase",
         {{"id", ""},
          {"video_id", request.videoPublicId},
          {"price", settings::moneyJson(price)},
          {"affiliate", affiliate ? json(affiliateName) : json()},
          {"created_at", ""}}},
        {"balance", settings::moneyJson(core::Money(
                        ledger::SaleLedger::holdings(locked) - price.amountMinor(), currency))}};
    const auto record = ledger::SaleLedger::record(conn, locked, answer, &tx); // and COMMIT
    answer.body["purchase"]["id"] = record.publicId;
    answer.body["purchase"]["created_at"] = record.createdAt;
    return {201, answer.body};
}

json PurchaseService::purchases(accounts::UserId buyer) {
    auto conn = pool_.acquire();
    auto rows = conn->exec("SELECT p.public_id, v.public_id, v.title, v.duration_ms, "
                           "       coalesce(v.poster_file, '') <> '', p.price_minor, p.currency, " +
                               db::isoUtc("p.created_at") +
                               " FROM purchases p JOIN videos v ON v.id = p.video_id "
                               "WHERE p.buyer_id = $1 ORDER BY p.id DESC",
                           {std::to_string(buyer.value)});
    json out = json::array();
    for (int r = 0; r < rows.rows(); ++r) {
        const std::string videoId = rows.text(r, 1);
        out.push_back(
            {{"id", rows.text(r, 0)},
             {"video",
              {{"id", videoId},
               {"title", rows.text(r, 2)},
               {"duration_ms", rows.isNull(r, 3) ? json() : json(rows.int64(r, 3))},
               {"poster_url",
                rows.boolean(r, 4) ? json("/api/videos/" + videoId + "/poster") : json()}}},
             {"price", settings::moneyJson(core::Money(rows.int64(r, 5),
                                                       core::Currency::fromCode(rows.text(r, 6))))},
             {"created_at", rows.text(r, 7)}});
    }
    return {{"purchases", out}};
}

json PurchaseService::affiliate(accounts::UserId user, const std::string& username) {
    auto conn = pool_.acquire();
    const std::string userId = std::to_string(user.value);
    json earnings = json::array();
    auto rows = conn->exec("SELECT currency, sum(commission_minor)::bigint, count(*) "
                           "FROM purchases WHERE affiliate_id = $1 GROUP BY currency "
                           "ORDER BY currency",
                           {userId});
    for (int r = 0; r < rows.rows(); ++r) {
        json money = settings::moneyJson(
            core::Money(rows.int64(r, 1), core::Currency::fromCode(rows.text(r, 0))));
        money["sales"] = rows.int64(r, 2);
        earnings.push_back(money);
    }
    json commissions = json::array();
    rows = conn->exec("SELECT v.public_id, v.title, p.commission_minor, p.currency, " +
                          db::isoUtc("p.created_at") +
                          " FROM purchases p JOIN videos v ON v.id = p.video_id "
                          "WHERE p.affiliate_id = $1 ORDER BY p.id DESC LIMIT 200",
                      {userId});
    for (int r = 0; r < rows.rows(); ++r)
        commissions.push_back(
            {{"video", {{"id", rows.text(r, 0)}, {"title", rows.text(r, 1)}}},
             {"amount", settings::moneyJson(core::Money(
                            rows.int64(r, 2), core::Currency::fromCode(rows.text(r, 3))))},
             {"created_at", rows.text(r, 4)}});
    json links = json::array();
    rows = conn->exec("SELECT public_id, title, affiliate_bps FROM videos "
                      "WHERE state = 'published' AND visibility = 'public' AND affiliate_bps > 0 "
                      "AND creator_id <> $1 ORDER BY published_at DESC LIMIT 500",
                      {userId});
    for (int r = 0; r < rows.rows(); ++r)
        links.push_back({{"video",
                          {{"id", rows.text(r, 0)},
                           {"title", rows.text(r, 1)},
                           {"affiliate_bps", rows.int64(r, 2)}}},
                         {"url", "/v/" + rows.text(r, 0) + "?ref=" + username}});
    return {{"username", username},
            {"earnings", earnings},
            {"commissions", commissions},
            {"links", links}};
}

json PurchaseService::creatorSales(accounts::UserId creator) {
    auto conn = pool_.acquire();
    const std::string creatorId = std::to_string(creator.value);
    json totals = json::array();
    auto rows = conn->exec(
        "SELECT p.currency, count(*), sum(p.price_minor)::bigint, sum(p.fee_minor)::bigint, "
        "       sum(p.commission_minor)::bigint, sum(p.creator_minor)::bigint "
        "FROM purchases p JOIN videos v ON v.id = p.video_id WHERE v.creator_id = $1 "
        "GROUP BY p.currency ORDER BY p.currency",
        {creatorId});
    for (int r = 0; r < rows.rows(); ++r) {
        const auto currency = core::Currency::fromCode(rows.text(r, 0));
        const auto money = [&](int column) {
            return settings::moneyJson(core::Money(rows.int64(r, column), currency));
        };
        totals.push_back({{"currency", rows.text(r, 0)},
                          {"sales", rows.int64(r, 1)},
                          {"gross", money(2)},
                          {"fees", money(3)},
                          {"commissions", money(4)},
                          {"net", money(5)}});
    }
    json sales = json::array();
    rows =
        conn->exec("SELECT v.public_id, v.title, p.price_minor, p.fee_minor, p.commission_minor, "
                   "       p.creator_minor, p.currency, coalesce(a.username, ''), " +
                       db::isoUtc("p.created_at") +
                       " FROM purchases p JOIN videos v ON v.id = p.video_id "
                       "LEFT JOIN users a ON a.id = p.affiliate_id "
                       "WHERE v.creator_id = $1 ORDER BY p.id DESC LIMIT 500",
                   {creatorId});
    for (int r = 0; r < rows.rows(); ++r) {
        const auto currency = core::Currency::fromCode(rows.text(r, 6));
        const auto money = [&](int column) {
            return settings::moneyJson(core::Money(rows.int64(r, column), currency));
        };
        sales.push_back({{"video", {{"id", rows.text(r, 0)}, {"title", rows.text(r, 1)}}},
                         {"price", money(2)},
                         {"fee", money(3)},
                         {"commission", money(4)},
                         {"net", money(5)},
                         {"affiliate", rows.text(r, 7).empty() ? json() : json(rows.text(r, 7))},
                         {"created_at", rows.text(r, 8)}});
    }
    return {{"totals", totals}, {"sales", sales}};
}

} // namespace reelgate::server::wallet
