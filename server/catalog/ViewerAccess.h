#pragma once
// What a signed-in viewer may do with a video, as the catalog needs to know it. Declared here
// and implemented by playback (which owns purchases-as-access and playback sessions), so the
// catalog depends on no feature above it. Implementations are thread-safe.

#include "accounts/User.h"
#include "catalog/Video.h"

#include <cstdint>
#include <vector>

namespace reelgate::server::catalog {

struct VideoAccess {
    bool purchased = false;
    bool allowlisted = false;
    bool creator = false;
    bool admin = false;
    bool canWatch() const { return purchased || allowlisted || creator || admin; }
};

class ViewerAccess {
public:
    virtual ~ViewerAccess() = default;
    virtual VideoAccess access(const accounts::User& user, const Video& video) = 0;
    // `users` lost a right to watch video `videoId` (e.g. removed from its allowlist): ends
    // their playback sessions of it unless they may still watch it another way.
    virtual void revokeLostAccess(std::int64_t videoId,
                                  const std::vector<accounts::UserId>& users) = 0;
    // Video `videoId` was unpublished or deleted: ends every playback session of it whose user
    // may no longer watch it (its buyers, its creator and admins keep watching; an allowlist
    // grants access to a published video only).
    virtual void endSessionsWithoutAccess(std::int64_t videoId) = 0;
};

} // namespace reelgate::server::catalog
