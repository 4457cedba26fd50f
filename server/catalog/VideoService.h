#pragma once
// The catalog: creators create videos (draft), set price, affiliate rate, visibility and a
// free-access allowlist; publishing happens when their package is ingested. Buyers list what is
// published and public. Knows the database, not HTTP; refuses with ServiceError. Thread-safe.

#include "catalog/CatalogFilter.h"
#include "catalog/Video.h"
#include "db/PgPool.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace reelgate::server::catalog {

// What setAllowlist() did: the list now, and who lost their place on it.
struct AllowlistChange {
    std::int64_t videoId = 0;
    std::vector<std::string> usernames;
    std::vector<accounts::UserId> removed;
};

// What remove() did: the video left the catalog; `buyers` people bought it and keep watching it.
struct Deletion {
    std::string publicId;
    std::int64_t buyers = 0;
};

// Thread-safe. Every public function holds at most one pooled connection at a time.
class VideoService {
public:
    static constexpr std::size_t kMaxTitleChars = 200;        // videos.title
    static constexpr std::size_t kMaxDescriptionChars = 5000; // videos.description

    explicit VideoService(db::PgPool& pool)
        : pool_(pool) {}

    int platformFeeBps();
    // The most a creator may give affiliates: 90 %, and never more than the fee leaves.
    int maxAffiliateBps();

    // fields: title, description, price {amount_minor, currency}, affiliate_bps, visibility;
    // create() also takes package_sha256 (the manifest's SHA-256) and refuses (Conflict
    // "duplicate_package", naming the video) a package the creator already has a live video of.
    Video create(accounts::UserId creator, const nlohmann::json& fields);
    Video update(accounts::UserId creator, const std::string& publicId,
                 const nlohmann::json& fields);
    Video unpublish(accounts::UserId creator, const std::string& publicId);
    Video republish(accounts::UserId creator, const std::string& publicId);
    // Deletes for the creator and the catalog; the row and package stay for its buyers. Later
    // calls (and every other creator call on it) answer NotFound.
    Deletion remove(accounts::UserId creator, const std::string& publicId);
    std::optional<Video> find(const std::string& publicId);
    // The creator's own video (NotFound for anybody else's, and for a deleted one).
    Video own(accounts::UserId creator, const std::string& publicId);
    std::vector<Video> listByCreator(accounts::UserId creator);
    // The videos with these internal ids (any state), in no particular order.
    std::vector<Video> withIds(const std::vector<std::int64_t>& ids);
    // Published, public videos matching `filter`, one page of them.
    CatalogPage catalog(const CatalogFilter& filter);
    // For admins: every video that has (or had) a package on the server — published or
    // unpublished, any visibility, any creator — newest first; `search` (may be empty) matches
    // the id exactly or a part of the title or the creator's name.
    std::vector<Video> withPackages(const std::string& search, int limit, int offset);

    std::vector<std::string> allowlist(accounts::UserId creator, const std::string& publicId);
    AllowlistChange setAllowlist(accounts::UserId creator, const std::string& publicId,
                                 const std::vector<std::string>& usernames);

    // Ingest transitions.
    void markProcessing(std::int64_t videoId);
    // The package hash the creator declared when creating the video (lower-case hex), or "".
    std::string declaredPackageHash(std::int64_t videoId);
    void markPublished(std::int64_t videoId, const std::string& packageDir, std::int64_t durationMs,
                       const std::string& posterFile);
    void markFailed(std::int64_t videoId, const std::string& reason);

private:
    struct Fields;
    Fields validated(const nlohmann::json& fields);
    std::vector<Video> query(const std::string& where, const std::vector<db::SqlParam>& params,
                             const std::string& tail = {});
    static std::vector<Video> queryOn(db::PgConnection& conn, const std::string& where,
                                      const std::vector<db::SqlParam>& params,
                                      const std::string& tail = {});
    static Video ownOn(db::PgConnection& conn, accounts::UserId creator,
                       const std::string& publicId);
    static std::vector<std::string> allowlistOn(db::PgConnection& conn, std::int64_t videoId);

    db::PgPool& pool_;
};

} // namespace reelgate::server::catalog
