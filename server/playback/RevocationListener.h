#pragma once
// Brings revocations made by any server instance on the same PostgreSQL to this one's playback
// cache: one dedicated connection (not from the pool) LISTENs on 'reelgate_revocations', which
// triggers notify for every revoked playback session, ended sign-in, suspension and replaced
// package (sql/0012), and a thread of its own applies each one (PlaybackService::forget*).
// The cache is trusted only while the connection listens: it is emptied and turned on once
// LISTEN succeeds (then refilled by PlaybackService::warm()), and turned off the moment the
// connection is lost (a database restart, a network cut), since notifications sent meanwhile are
// lost. Reconnects with a growing pause (0.2 s to 5 s); an idle connection is checked every
// kProbeInterval so a silent cut is seen. Construction starts the thread; destruction stops it
// promptly (never throws).
// The same notifications and the same trust go to the sign-in cache when SignInCache hooks are
// given (accounts/SessionCache: trusted with the playback cache, each payload passed on).

#include "playback/PlaybackService.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

namespace reelgate::server::playback {

class RevocationListener {
public:
    static constexpr const char* kChannel = "reelgate_revocations";
    static constexpr const char* kUserEventsChannel = "reelgate_user_events";
    using UserEvents = std::function<void(std::string_view payload)>;
    static constexpr std::chrono::seconds kProbeInterval{15};
    // Called on the listener's thread; must not throw.
    struct SignInCache {
        std::function<void(bool trusted)> trust;
        std::function<void(std::string_view payload)> revoked;
    };

    RevocationListener(std::string conninfo, PlaybackService& playback, UserEvents userEvents = {},
                       SignInCache signIns = {});
    ~RevocationListener();
    RevocationListener(const RevocationListener&) = delete;
    RevocationListener& operator=(const RevocationListener&) = delete;

    // Applies one notification payload ("session:12", "user:3", "video:7"); anything else is
    // ignored. Public for the thread and for tests.
    static void apply(PlaybackService& playback, std::string_view payload) noexcept;

private:
    void run() noexcept;
    // One connection's life: false when it could not connect or LISTEN.
    bool listenOnce();
    // Waits up to `timeout` for `fd` (or -1: none) to be readable or for a stop; false on stop.
    bool wait(int fd, std::chrono::milliseconds timeout) const;
    // Trusts or distrusts both caches.
    void trustCaches(bool trusted) noexcept;

    const std::string conninfo_;
    PlaybackService& playback_;
    const UserEvents userEvents_;
    const SignInCache signIns_;
    int wake_ = -1; // eventfd: stop
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

} // namespace reelgate::server::playback
