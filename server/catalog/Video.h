#pragma once
// A video in the catalog: what buyers see, plus what only its creator sees (state, failure,
// affiliate rate, allowlist, deletion, package hash).

#include "accounts/User.h"
#include "reelgate/core/Money.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace reelgate::server::catalog {

struct Video {
    std::int64_t id = 0;  // internal
    std::string publicId; // in URLs
    accounts::UserId creatorId;
    std::string creatorName;
    std::string title;
    std::string description;
    core::Money price{0, core::Currency::fromCode("USD")};
    int affiliateBps = 0;
    std::string visibility; // public | unlisted
    std::string state;      // draft | processing | published | failed | unpublished
    std::string failureReason;
    std::int64_t durationMs = 0;
    std::string packageDir; // relative to <data-dir>/videos
    std::string posterFile; // inside the package; empty = none
    std::string createdAt;
    std::string publishedAt;
    // Deleted by its creator: out of the catalog and the creator's list (state "unpublished"),
    // still playable by its buyers.
    bool deleted = false;
    std::string packageSha256; // SHA-256 of the package's manifest.json, when the studio sent it

    // forOwner adds state, failure reason and affiliate details.
    nlohmann::json toJson(bool forOwner) const;
};

} // namespace reelgate::server::catalog
