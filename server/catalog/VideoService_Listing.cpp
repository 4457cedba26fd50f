// VideoService: what buyers list (the catalog's pages, creator pages, library lookups).
#include "catalog/VideoService.h"

#include "db/SqlText.h"

#include <algorithm>

namespace reelgate::server::catalog {

std::vector<Video> VideoService::withIds(const std::vector<std::int64_t>& ids) {
    if (ids.empty())
        return {};
    std::string list = "{";
    for (const auto id : ids)
        list += (list.size() > 1 ? "," : "") + std::to_string(id);
    return query("v.id = ANY($1::bigint[])", {list + "}"});
}

CatalogPage VideoService::catalog(const CatalogFilter& filter) {
    using Sort = CatalogFilter::Sort;
    std::string where = "v.state = 'published' AND v.visibility = 'public'";
    std::vector<db::SqlParam> params;
    if (!filter.search.empty()) {
        params.push_back(db::likeEscaped(filter.search));
        where += " AND (v.title ILIKE '%' || $1 || '%' OR v.description ILIKE '%' || $1 || '%' "
                 "OR u.username ILIKE '%' || $1 || '%')";
    }
    if (filter.creator) {
        params.push_back(std::to_string(filter.creator->value));
        where += " AND v.creator_id = $" + std::to_string(params.size());
    }
    const std::string order = [&]() -> std::string {
        switch (filter.sort) {
        case Sort::PriceLow:
            return "v.price_minor ASC, ";
        case Sort::PriceHigh:
            return "v.price_minor DESC, ";
        case Sort::Popular:
            return "(SELECT count(*) FROM purchases p WHERE p.video_id = v.id) DESC, ";
        case Sort::Newest:
            break;
        }
        return {};
    }();
    const int limit = std::clamp(filter.limit, 1, CatalogFilter::kMaxLimit);
    const int offset = std::clamp(filter.offset, 0, 1'000'000); // deeper pages: search
    // One row more than asked tells whether another page follows.
    CatalogPage page;
    page.videos = query(where, params,
                        "ORDER BY " + order + "v.published_at DESC, v.id DESC LIMIT " +
                            std::to_string(limit + 1) + " OFFSET " + std::to_string(offset));
    if (static_cast<int>(page.videos.size()) > limit) {
        page.videos.pop_back();
        page.nextOffset = offset + limit;
    }
    return page;
}

} // namespace reelgate::server::catalog
