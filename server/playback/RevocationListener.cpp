#include "playback/RevocationListener.h"

#include "common/Log.h"

#include <libpq-fe.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <memory>

namespace reelgate::server::playback {
namespace {

struct ConnDeleter {
    void operator()(PGconn* c) const { PQfinish(c); }
};
using Conn = std::unique_ptr<PGconn, ConnDeleter>;

struct ResultDeleter {
    void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

bool commandOk(PGconn* conn, const char* sql) {
    const Result result(PQexec(conn, sql));
    const auto status = PQresultStatus(result.get());
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

} // namespace

RevocationListener::RevocationListener(std::string conninfo, PlaybackService& playback,
                                       UserEvents userEvents, SignInCache signIns)
    : conninfo_(std::move(conninfo))
    , playback_(playback)
    , userEvents_(std::move(userEvents))
    , signIns_(std::move(signIns))
    , wake_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    thread_ = std::thread([this] { run(); });
}

RevocationListener::~RevocationListener() {
    stopping_ = true;
    if (wake_ >= 0) {
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto n = ::write(wake_, &one, sizeof one);
    }
    if (thread_.joinable())
        thread_.join();
    if (wake_ >= 0)
        ::close(wake_);
    trustCaches(false);
}

void RevocationListener::trustCaches(bool trusted) noexcept {
    playback_.trustCache(trusted);
    if (signIns_.trust)
        signIns_.trust(trusted);
}

void RevocationListener::apply(PlaybackService& playback, std::string_view payload) noexcept {
    const auto colon = payload.find(':');
    if (colon == std::string_view::npos)
        return;
    const std::string_view kind = payload.substr(0, colon);
    const std::string_view digits = payload.substr(colon + 1);
    std::int64_t id = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
    if (error != std::errc() || end != digits.data() + digits.size() || id <= 0)
        return;
    if (kind == "session")
        playback.forgetSession(id);
    else if (kind == "user")
        playback.forgetUser(accounts::UserId{id});
    else if (kind == "video")
        playback.forgetVideo(id);
}

bool RevocationListener::wait(int fd, std::chrono::milliseconds timeout) const {
    pollfd fds[2] = {{wake_, POLLIN, 0}, {fd, POLLIN, 0}};
    const int n = ::poll(fds, fd >= 0 ? 2 : 1, static_cast<int>(timeout.count()));
    return !stopping_ && !(n > 0 && (fds[0].revents & POLLIN));
}

bool RevocationListener::listenOnce() {
    // Keepalives notice a peer that vanished without closing; the probe below does the rest.
    const char* keys[] = {"dbname",          "connect_timeout",  "keepalives",
                          "keepalives_idle", "application_name", nullptr};
    const char* values[] = {conninfo_.c_str(), "5", "1", "30", "reelgate-revocations", nullptr};
    const Conn conn(PQconnectdbParams(keys, values, 1));
    if (!conn || PQstatus(conn.get()) != CONNECTION_OK)
        return false;
    if (!commandOk(conn.get(), (std::string("LISTEN ") + kChannel).c_str()))
        return false;
    if (userEvents_ &&
        !commandOk(conn.get(), (std::string("LISTEN ") + kUserEventsChannel).c_str()))
        return false;
    // From here on every revocation reaches us; what came before is unknown: start afresh,
    // from what the database says now (notifications that arrive meanwhile wait in the socket
    // and are applied after it).
    trustCaches(true);
    const std::size_t warmed = playback_.warm();
    if (warmed > 0)
        Log::info("playback cache: " + std::to_string(warmed) + " live decisions loaded");
    const int fd = PQsocket(conn.get());
    for (;;) {
        const auto idle = std::chrono::duration_cast<std::chrono::milliseconds>(kProbeInterval);
        if (!wait(fd, idle))
            return true;
        bool readable = false;
        {
            pollfd probe{fd, POLLIN, 0};
            readable = ::poll(&probe, 1, 0) > 0;
        }
        if (readable ? PQconsumeInput(conn.get()) == 0 : !commandOk(conn.get(), "SELECT 1"))
            break;
        while (PGnotify* note = PQnotifies(conn.get())) {
            const std::string_view payload = note->extra ? note->extra : "";
            if (std::string_view(note->relname) == kUserEventsChannel) {
                if (userEvents_)
                    userEvents_(payload);
            } else {
                apply(playback_, payload);
                if (signIns_.revoked)
                    signIns_.revoked(payload);
            }
            PQfreemem(note);
        }
        if (PQstatus(conn.get()) != CONNECTION_OK)
            break;
    }
    trustCaches(false);
    return true;
}

void RevocationListener::run() noexcept {
    auto pause = std::chrono::milliseconds(200);
    bool lost = false;
    while (!stopping_) {
        try {
            if (listenOnce()) {
                if (stopping_)
                    return;
                pause = std::chrono::milliseconds(200);
                lost = true;
                Log::warn("lost the revocation listener's database connection; playback "
                          "decisions are not cached until it is back");
            } else if (!lost) {
                lost = true;
                Log::warn("cannot listen for revocations yet; playback decisions are not cached "
                          "until it can");
            }
        } catch (const std::exception& e) {
            trustCaches(false);
            Log::warn(std::string("revocation listener: ") + e.what());
        }
        if (!wait(-1, pause))
            return;
        pause = std::min<std::chrono::milliseconds>(pause * 2, std::chrono::seconds(5));
    }
}

} // namespace reelgate::server::playback
