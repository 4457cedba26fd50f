#pragma once
// A thread that owns the client connections it accepted while they wait: idle keep-alive
// connections, request heads trickling in, closing connections draining what a client still
// sends ("lingering close", so a response is not lost to a reset), and parked event streams.
// A server runs one loop per core on the same listening socket (each registers it with
// EPOLLEXCLUSIVE: a new connection wakes one idle loop, which then owns it for its life) and
// one worker pool shared by all loops.
// A connection goes to a worker (serve(), on the pool) only once a whole request head is
// buffered; the worker hands it back with what to do next (ClientConnection::After). A request
// the loop can answer from memory (answerInline(): e.g. a segment of a playback session whose
// decision is cached) is answered here instead, without any thread handoff, and its body sent
// with sendfile as the socket takes it (phase Sending).
// A new connection's first request is read at once (a client sends it right after connecting),
// so it is answered in the iteration that accepted it.
// Deadlines: idle (no byte of a next request), head (a started head must be complete),
// linger, send (a loop reply the client does not read). stop() (any thread) ends run() promptly
// however many connections are parked: waiting ones are closed at once, workers notice through
// stopping() within ~50 ms and hand theirs back, and run() returns once it has them all.

#include "http/BoundedTaskQueue.h"
#include "http/ClientConnection.h"
#include "http/EventHub.h"
#include "http/RequestHead.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

namespace reelgate::server::http {

struct LoopSettings {
    HeadLimits head;
    std::size_t threads = 8; // the shared worker pool
    std::size_t loops = 1;   // event loops on the listening socket (one per core)
    std::chrono::milliseconds headTimeout{10'000};
    std::chrono::milliseconds idleTimeout{60'000};
    // Lingering close, as nginx does it: the client's unread bytes are drained while they keep
    // coming (a pause of lingerTimeout ends it) for at most lingerTime in all, so a client
    // still sending its body reads the refusal instead of a reset.
    std::chrono::milliseconds lingerTimeout{5'000};
    std::chrono::milliseconds lingerTime{30'000};
    std::chrono::milliseconds streamRecheck{30'000};
    std::chrono::milliseconds sendTimeout{30'000};
};

class EventLoop {
public:
    using Serve = std::function<ClientConnection::After(ClientConnection&, const EventLoop&)>;
    // On the loop thread, for a complete head at the front of the buffer: true when it
    // answered the request itself (filled connection.reply and dropped the head from the
    // buffer), false to leave it to a worker. Must never block.
    using AnswerInline = std::function<bool(ClientConnection&)>;

    // `listener`: a bound, listening socket (the loop makes it non-blocking; the caller
    // closes it). `workers` runs serve() and must outlive run(); it is shared with the other
    // loops. Exactly one loop of a server `rechecksStreams` (schedules EventHub::recheck()).
    EventLoop(int listener, LoopSettings settings, BoundedTaskQueue& workers, Serve serve,
              EventHub& hub, AnswerInline answerInline = {}, bool rechecksStreams = true);
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    // Serves until stop() and returns once every connection it owned is closed (including those
    // a worker held); false when epoll could not be set up.
    bool run();
    void stop();
    bool stopping() const { return stopping_; }
    std::size_t connectionCount() const { return connectionCount_; }

private:
    using Clock = std::chrono::steady_clock;

    void accept();
    void onEvent(ClientConnection& connection, std::uint32_t events);
    void readHead(ClientConnection& connection);
    void continueWith(ClientConnection& connection); // decide from the buffered bytes
    void dispatch(ClientConnection& connection);
    bool tryInline(ClientConnection& connection);
    void sendReply(ClientConnection& connection);
    void refuse(ClientConnection& connection, int status, const std::string& code,
                const std::string& message);
    void linger(ClientConnection& connection);
    void close(ClientConnection& connection);
    void arm(ClientConnection& connection, std::uint32_t events = 0);
    void closeAllAndWaitForWorkers();
    void setDeadline(ClientConnection& connection, Clock::time_point deadline);
    void expireDeadlines();
    void takeReturned();
    int waitMs() const;

    int listener_;
    LoopSettings settings_;
    BoundedTaskQueue& workers_;
    Serve serve_;
    EventHub& hub_;
    AnswerInline answerInline_;
    bool rechecksStreams_;
    int epoll_ = -1;
    int wake_ = -1; // eventfd: a worker returned a connection, or stop()
    std::atomic<bool> stopping_{false};
    std::atomic<std::size_t> connectionCount_{0};
    std::size_t working_ = 0; // connections a worker holds (loop thread only)
    std::unordered_map<ClientConnection*, std::unique_ptr<ClientConnection>> connections_;
    std::set<std::pair<Clock::time_point, ClientConnection*>> deadlines_;
    Clock::time_point acceptPausedUntil_{};
    Clock::time_point nextRecheck_{};
    std::atomic<bool> recheckRunning_{false};

    std::mutex returnedMutex_;
    std::vector<std::pair<ClientConnection*, ClientConnection::After>> returned_;
};

} // namespace reelgate::server::http
