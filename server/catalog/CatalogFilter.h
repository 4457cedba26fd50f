#pragma once
// What a buyer asks of the catalog: words to find (in the title, description or creator's
// name; '%' and '_' mean themselves), an order, one creator only, and a page (offset + limit).
// A page answers the videos and the offset of the next page, when there is one.

#include "accounts/User.h"
#include "catalog/Video.h"

#include <optional>
#include <string>
#include <vector>

namespace reelgate::server::catalog {

struct CatalogFilter {
    enum class Sort { Newest = 1, PriceLow, PriceHigh, Popular };
    static constexpr int kMaxLimit = 100;
    static constexpr std::size_t kMaxSearchChars = 100;

    std::string search;
    Sort sort = Sort::Newest;
    std::optional<accounts::UserId> creator;
    int limit = 24; // clamped to 1..kMaxLimit
    int offset = 0; // negative counts as 0

    // "newest", "price_low", "price_high", "popular"; nullopt for anything else.
    static std::optional<Sort> parseSort(const std::string& name) {
        if (name == "newest" || name.empty())
            return Sort::Newest;
        if (name == "price_low")
            return Sort::PriceLow;
        if (name == "price_high")
            return Sort::PriceHigh;
        if (name == "popular")
            return Sort::Popular;
        return std::nullopt;
    }
};

struct CatalogPage {
    std::vector<Video> videos;
    std::optional<int> nextOffset; // nullopt: this was the last page
};

} // namespace reelgate::server::catalog
