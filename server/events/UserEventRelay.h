#pragma once
// Brings user events from the database (sql/0019, heard on every instance by
// playback::RevocationListener) to the user's open event streams on this instance
// (GET /api/me/events). A payload is '<user id>:<event>:<one-line JSON>'; anything else is
// dropped. Events heard before a hub is attached are dropped (no page has a stream yet).
// Thread-safe; never throws.

#include "http/EventHub.h"

#include <atomic>
#include <cstddef>
#include <string_view>

namespace reelgate::server::events {

class UserEventRelay {
public:
    void attach(http::EventHub& hub) noexcept { hub_.store(&hub); }
    // The streams that took the event (0 when malformed or nobody listens).
    std::size_t deliver(std::string_view payload) noexcept;

private:
    std::atomic<http::EventHub*> hub_{nullptr};
};

} // namespace reelgate::server::events
