#include "catalog/Video.h"

namespace reelgate::server::catalog {

nlohmann::json Video::toJson(bool forOwner) const {
    nlohmann::json priceJson = price.toJson();
    priceJson["formatted"] = price.format();
    nlohmann::json j = {
        {"id", publicId},
        {"title", title},
        {"description", description},
        {"creator", creatorName},
        {"price", priceJson},
        {"price_display", price.format()},
        {"affiliate_bps", affiliateBps},
        {"duration_ms", durationMs},
        {"visibility", visibility},
        {"published_at", publishedAt.empty() ? nlohmann::json() : nlohmann::json(publishedAt)}};
    j["poster_url"] = posterFile.empty() ? nlohmann::json()
                                         : nlohmann::json("/api/videos/" + publicId + "/poster");
    if (forOwner) {
        j["state"] = state;
        j["failure_reason"] =
            failureReason.empty() ? nlohmann::json() : nlohmann::json(failureReason);
        j["created_at"] = createdAt;
        j["deleted"] = deleted;
        j["package_sha256"] =
            packageSha256.empty() ? nlohmann::json() : nlohmann::json(packageSha256);
    }
    return j;
}

} // namespace reelgate::server::catalog
