#include "catalog/VideoService.h"

#include "common/ServiceError.h"
#include "db/DbError.h"
#include "db/SqlText.h"
#include "reelgate/core/BasisPoints.h"
#include "reelgate/core/Crypto.h"
#include "reelgate/core/InvalidInput.h"
#include "reelgate/core/SaleSplit.h"
#include "reelgate/core/Text.h"

#include <algorithm>

namespace reelgate::server::catalog {
namespace {

using Kind = ServiceError::Kind;
using nlohmann::json;

const std::string kColumns =
    "v.id, v.public_id, v.creator_id, u.username, v.title, v.description, v.price_minor, "
    "v.currency, v.affiliate_bps, v.visibility, v.state, coalesce(v.failure_reason, ''), "
    "coalesce(v.duration_ms, 0), coalesce(v.package_dir, ''), coalesce(v.poster_file, ''), " +
    db::isoUtc("v.created_at") + ", coalesce(" + db::isoUtc("v.published_at") + ", ''), " +
    "(v.deleted_at IS NOT NULL)::int, coalesce(v.package_sha256, '')";

ServiceError invalid(const std::string& message) {
    return {Kind::Invalid, "invalid_video", message};
}

// A text field, checked as text from outside: valid UTF-8, no control characters (newlines
// only where `rules` allow them), at most rules.maxChars characters (the column's limit).
std::string text(const json& fields, const char* name, const core::TextRules& rules,
                 bool required) {
    if (!fields.contains(name)) {
        if (required)
            throw invalid(std::string("'") + name + "' is required.");
        return {};
    }
    if (!fields[name].is_string())
        throw invalid(std::string("'") + name + "' must be text.");
    std::string value = fields[name].get<std::string>();
    if (const auto problem = core::checkText(value, rules); problem != core::TextProblem::None)
        throw invalid(std::string("'") + name + "' " + core::describe(problem, rules) + ".");
    return value;
}

// The optional package hash: 64 hex digits, kept in lower case.
std::string packageHash(const json& fields) {
    if (!fields.contains("package_sha256") || fields["package_sha256"].is_null())
        return {};
    std::string hash =
        fields["package_sha256"].is_string() ? fields["package_sha256"].get<std::string>() : "";
    std::transform(hash.begin(), hash.end(), hash.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (hash.size() != 64 || hash.find_first_not_of("0123456789abcdef") != std::string::npos)
        throw invalid("'package_sha256' must be the 64 hex digits of the manifest's SHA-256.");
    return hash;
}

ServiceError duplicate(const std::string& title, const std::string& publicId) {
    return {Kind::Conflict, "duplicate_package",
            "You already published this package as \"" + core::printable(title, 200) +
                "\" (video " + publicId +
                "). Edit that video, or delete it first to publish the package again."};
}

} // namespace

int VideoService::platformFeeBps() {
    auto conn = pool_.acquire();
    auto rows =
        conn->exec("SELECT value::text FROM platform_settings WHERE key = 'platform_fee_bps'");
    return rows.rows() ? static_cast<int>(rows.int64(0, 0)) : 1000;
}

int VideoService::maxAffiliateBps() {
    return core::maxAffiliateRate(core::BasisPoints(platformFeeBps())).value();
}

std::vector<Video> VideoService::query(const std::string& where,
                                       const std::vector<db::SqlParam>& params,
                                       const std::string& tail) {
    auto conn = pool_.acquire();
    return queryOn(*conn, where, params, tail);
}

std::vector<Video> VideoService::queryOn(db::PgConnection& conn, const std::string& where,
                                         const std::vector<db::SqlParam>& params,
                                         const std::string& tail) {
    auto rows = conn.exec(std::string("SELECT ") + kColumns +
                              " FROM videos v JOIN users u ON u.id = v.creator_id WHERE " + where +
                              " " + tail,
                          params);
    std::vector<Video> out;
    for (int r = 0; r < rows.rows(); ++r) {
        Video v;
        v.id = rows.int64(r, 0);
        v.publicId = rows.text(r, 1);
        v.creatorId = accounts::UserId{rows.int64(r, 2)};
        v.creatorName = rows.text(r, 3);
        v.title = rows.text(r, 4);
        v.description = rows.text(r, 5);
        v.price = core::Money(rows.int64(r, 6), core::Currency::fromCode(rows.text(r, 7)));
        v.affiliateBps = static_cast<int>(rows.int64(r, 8));
        v.visibility = rows.text(r, 9);
        v.state = rows.text(r, 10);
        v.failureReason = rows.text(r, 11);
        v.durationMs = rows.int64(r, 12);
        v.packageDir = rows.text(r, 13);
        v.posterFile = rows.text(r, 14);
        v.createdAt = rows.text(r, 15);
        v.publishedAt = rows.text(r, 16);
        v.deleted = rows.int64(r, 17) != 0;
        v.packageSha256 = rows.text(r, 18);
        out.push_back(std::move(v));
    }
    return out;
}

// The editable fields, checked together (create and update share this).
struct VideoService::Fields {
    std::string title;
    std::string description;
    core::Money price{0, core::Currency::fromCode("USD")};
    int affiliateBps = 0;
    std::string visibility;
};

VideoService::Fields VideoService::validated(const json& fields) {
    Fields out;
    out.title = text(fields, "title", {.maxChars = kMaxTitleChars}, true);
    if (out.title.find_first_not_of(" \t") == std::string::npos)
        throw invalid("Give the video a title.");
    out.description = text(fields, "description",
                           {.maxChars = kMaxDescriptionChars, .allowNewlines = true}, false);
    if (!fields.contains("price"))
        throw invalid("'price' is required, e.g. {\"amount_minor\": 499, \"currency\": \"USD\"}.");
    try {
        out.price = core::Money::fromJson(fields["price"]);
    } catch (const core::InvalidInput& e) {
        throw invalid(std::string("price: ") + e.what());
    }
    if (out.price.isNegative())
        throw invalid("The price cannot be negative.");
    const json affiliate = fields.value("affiliate_bps", json(0));
    const int maxBps = maxAffiliateBps();
    if (!affiliate.is_number_integer() || affiliate.get<std::int64_t>() < 0 ||
        affiliate.get<std::int64_t>() > maxBps)
        throw invalid("The affiliate rate must be between 0 and " + std::to_string(maxBps) +
                      " basis points (the platform fee is " + std::to_string(platformFeeBps()) +
                      ").");
    out.affiliateBps = affiliate.get<int>();
    out.visibility = fields.value("visibility", json("public")).is_string()
                         ? fields.value("visibility", std::string("public"))
                         : std::string();
    if (out.visibility != "public" && out.visibility != "unlisted")
        throw invalid("Visibility is 'public' or 'unlisted'.");
    return out;
}

Video VideoService::create(accounts::UserId creator, const json& fields) {
    const Fields v = validated(fields);
    const std::string hash = packageHash(fields);
    auto conn = pool_.acquire();
    const auto existing = [&] {
        return queryOn(*conn,
                       "v.creator_id = $1 AND v.package_sha256 = $2 AND v.deleted_at IS NULL",
                       {std::to_string(creator.value), hash});
    };
    if (!hash.empty())
        if (const auto found = existing(); !found.empty())
            throw duplicate(found.front().title, found.front().publicId);
    try {
        auto rows = conn->exec(
            "INSERT INTO videos (public_id, creator_id, title, description, price_minor, "
            "currency, affiliate_bps, visibility, package_sha256) VALUES "
            "($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING public_id",
            {core::randomToken(12), std::to_string(creator.value), v.title, v.description,
             std::to_string(v.price.amountMinor()), std::string(v.price.currency().code()),
             std::to_string(v.affiliateBps), v.visibility,
             hash.empty() ? db::SqlParam() : db::SqlParam(hash)});
        return ownOn(*conn, creator, rows.text(0, 0));
    } catch (const db::DbError& e) {
        if (e.sqlState() != "23505" || hash.empty())
            throw;
        const auto found = existing(); // the same package, published at the same moment
        if (found.empty())
            throw;
        throw duplicate(found.front().title, found.front().publicId);
    }
}

Video VideoService::update(accounts::UserId creator, const std::string& publicId,
                           const json& fields) {
    const Video current = own(creator, publicId);
    json merged = {{"title", current.title},
                   {"description", current.description},
                   {"price", current.price.toJson()},
                   {"affiliate_bps", current.affiliateBps},
                   {"visibility", current.visibility}};
    for (const char* key : {"title", "description", "price", "affiliate_bps", "visibility"}) {
        if (fields.contains(key))
            merged[key] = fields[key];
    }
    const Fields v = validated(merged);
    auto conn = pool_.acquire();
    conn->exec("UPDATE videos SET title = $2, description = $3, price_minor = $4, currency = $5,"
               " affiliate_bps = $6, visibility = $7, updated_at = now() WHERE id = $1",
               {std::to_string(current.id), v.title, v.description,
                std::to_string(v.price.amountMinor()), std::string(v.price.currency().code()),
                std::to_string(v.affiliateBps), v.visibility});
    return ownOn(*conn, creator, publicId);
}

Video VideoService::unpublish(accounts::UserId creator, const std::string& publicId) {
    const Video video = own(creator, publicId);
    if (video.state != "published")
        throw ServiceError(Kind::Conflict, "not_published",
                           "Only a published video can be "
                           "unpublished.");
    auto conn = pool_.acquire();
    conn->exec("UPDATE videos SET state = 'unpublished', updated_at = now() WHERE id = $1",
               {std::to_string(video.id)});
    return ownOn(*conn, creator, publicId);
}

Video VideoService::republish(accounts::UserId creator, const std::string& publicId) {
    const Video video = own(creator, publicId);
    if (video.state != "unpublished" || video.packageDir.empty())
        throw ServiceError(Kind::Conflict, "not_unpublished",
                           "Only an unpublished video can be published again.");
    auto conn = pool_.acquire();
    conn->exec("UPDATE videos SET state = 'published', updated_at = now() WHERE id = $1",
               {std::to_string(video.id)});
    return ownOn(*conn, creator, publicId);
}

Deletion VideoService::remove(accounts::UserId creator, const std::string& publicId) {
    auto conn = pool_.acquire();
    const Video video = ownOn(*conn, creator, publicId);
    // A published video becomes unpublished, which playback already lets its buyers watch.
    conn->exec("UPDATE videos SET deleted_at = now(), updated_at = now(), state = CASE state WHEN "
               "'published' THEN 'unpublished' ELSE state END WHERE id = $1",
               {std::to_string(video.id)});
    auto buyers = conn->exec("SELECT count(*) FROM purchases WHERE video_id = $1",
                             {std::to_string(video.id)});
    return {video.publicId, buyers.int64(0, 0)};
}

std::optional<Video> VideoService::find(const std::string& publicId) {
    auto found = query("v.public_id = $1", {publicId});
    if (found.empty())
        return std::nullopt;
    return found.front();
}

Video VideoService::own(accounts::UserId creator, const std::string& publicId) {
    auto conn = pool_.acquire();
    return ownOn(*conn, creator, publicId);
}

Video VideoService::ownOn(db::PgConnection& conn, accounts::UserId creator,
                          const std::string& publicId) {
    auto found = queryOn(conn, "v.public_id = $1 AND v.creator_id = $2 AND v.deleted_at IS NULL",
                         {publicId, std::to_string(creator.value)});
    if (found.empty())
        throw ServiceError(Kind::NotFound, "not_found", "You have no video with that id.");
    return found.front();
}

std::vector<Video> VideoService::listByCreator(accounts::UserId creator) {
    return query("v.creator_id = $1 AND v.deleted_at IS NULL", {std::to_string(creator.value)},
                 "ORDER BY v.id DESC");
}

std::vector<Video> VideoService::withPackages(const std::string& search, int limit, int offset) {
    const std::string page = " LIMIT " + std::to_string(std::clamp(limit, 1, 500)) + " OFFSET " +
                             std::to_string(std::max(offset, 0));
    const std::string where = "v.state IN ('published', 'unpublished') AND v.package_dir <> ''";
    const std::string order = "ORDER BY v.published_at DESC NULLS LAST, v.id DESC";
    if (search.empty())
        return query(where, {}, order + page);
    const std::string pattern = db::likeEscaped(search); // '%' and '_' mean themselves
    return query(where + " AND (v.public_id = $1 OR v.title ILIKE '%' || $2 || '%' OR "
                         "u.username ILIKE '%' || $2 || '%')",
                 {search, pattern}, order + page);
}

std::vector<std::string> VideoService::allowlist(accounts::UserId creator,
                                                 const std::string& publicId) {
    auto conn = pool_.acquire();
    return allowlistOn(*conn, ownOn(*conn, creator, publicId).id);
}

std::vector<std::string> VideoService::allowlistOn(db::PgConnection& conn, std::int64_t videoId) {
    auto rows = conn.exec("SELECT u.username FROM video_allowlist a JOIN users u ON u.id = "
                          "a.user_id WHERE a.video_id = $1 ORDER BY u.username_norm",
                          {std::to_string(videoId)});
    std::vector<std::string> names;
    for (int r = 0; r < rows.rows(); ++r)
        names.push_back(rows.text(r, 0));
    return names;
}

AllowlistChange VideoService::setAllowlist(accounts::UserId creator, const std::string& publicId,
                                           const std::vector<std::string>& usernames) {
    if (usernames.size() > 1000)
        throw invalid("An allowlist holds at most 1000 people.");
    for (const auto& name : usernames)
        if (core::checkText(name, {.maxChars = 64, .allowEmpty = false}) != core::TextProblem::None)
            throw invalid("There is no user '" + core::printable(name, 64) + "'.");
    auto conn = pool_.acquire();
    const Video video = ownOn(*conn, creator, publicId);
    const std::string videoId = std::to_string(video.id);
    db::PgTransaction tx(*conn);
    auto removed =
        conn->exec("DELETE FROM video_allowlist WHERE video_id = $1 RETURNING user_id", {videoId});
    std::vector<std::int64_t> kept;
    for (const auto& name : usernames) {
        auto rows = conn->exec("INSERT INTO video_allowlist (video_id, user_id) SELECT $1, id "
                               "FROM users WHERE username_norm = lower($2) ON CONFLICT DO NOTHING "
                               "RETURNING user_id",
                               {videoId, name});
        if (rows.rows() > 0)
            kept.push_back(rows.int64(0, 0));
        else if (conn->exec("SELECT 1 FROM users WHERE username_norm = lower($1)", {name}).rows() ==
                 0)
            throw invalid("There is no user '" + core::printable(name, 64) + "'.");
    }
    tx.commit();
    AllowlistChange change;
    change.videoId = video.id;
    for (int r = 0; r < removed.rows(); ++r) {
        const accounts::UserId user{removed.int64(r, 0)};
        if (std::find(kept.begin(), kept.end(), user.value) == kept.end())
            change.removed.push_back(user);
    }
    change.usernames = allowlistOn(*conn, video.id);
    return change;
}

void VideoService::markProcessing(std::int64_t videoId) {
    auto conn = pool_.acquire();
    conn->exec("UPDATE videos SET state = 'processing', failure_reason = NULL, updated_at = now()"
               " WHERE id = $1 AND deleted_at IS NULL",
               {std::to_string(videoId)});
}

std::string VideoService::declaredPackageHash(std::int64_t videoId) {
    auto conn = pool_.acquire();
    auto rows = conn->exec("SELECT lower(coalesce(package_sha256, '')) FROM videos WHERE id = $1",
                           {std::to_string(videoId)});
    return rows.rows() == 1 ? rows.text(0, 0) : std::string();
}

void VideoService::markPublished(std::int64_t videoId, const std::string& packageDir,
                                 std::int64_t durationMs, const std::string& posterFile) {
    auto conn = pool_.acquire();
    conn->exec("UPDATE videos SET state = 'published', package_dir = $2, duration_ms = $3,"
               " poster_file = $4, failure_reason = NULL, published_at = now(), updated_at = now()"
               " WHERE id = $1 AND deleted_at IS NULL",
               {std::to_string(videoId), packageDir, std::to_string(durationMs),
                posterFile.empty() ? db::SqlParam() : db::SqlParam(posterFile)});
}

void VideoService::markFailed(std::int64_t videoId, const std::string& reason) {
    auto conn = pool_.acquire();
    // A failed package may be published again: it no longer holds its hash.
    conn->exec("UPDATE videos SET state = 'failed', failure_reason = $2, package_sha256 = NULL,"
               " updated_at = now()"
               " WHERE id = $1",
               {std::to_string(videoId), reason});
}

} // namespace reelgate::server::catalog
