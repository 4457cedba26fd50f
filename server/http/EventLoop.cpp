#include "http/EventLoop.h"

#include "common/Log.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>

namespace reelgate::server::http {
namespace {

constexpr std::size_t kReadChunk = 16 * 1024;
constexpr int kMaxEvents = 256;
// After EMFILE/ENFILE the listener rests this long instead of spinning on a full table.
constexpr auto kAcceptPause = std::chrono::milliseconds(100);
// Accepts per wake-up: the listener is level-triggered, so the rest wait one iteration while the
// connections this loop already has are served.
constexpr int kMaxAcceptsPerWake = 64;
// How often a stopping loop looks again for the connections its workers still hold.
constexpr int kStopPollMs = 50;

// Serials are unique across every loop of the process (EventHub compares them).
std::atomic<std::uint64_t> gNextSerial{0};

// Sent from the loop thread (a refused head, a head deadline): best effort, never blocks.
void sendRawError(int fd, int status, const std::string& code, const std::string& message) {
    const std::string body =
        nlohmann::json{{"error", {{"code", code}, {"message", message}}}}.dump();
    const char* reason = status == 408   ? "Request Timeout"
                         : status == 431 ? "Request Header Fields Too Large"
                                         : "Bad Request";
    const std::string response =
        "HTTP/1.1 " + std::to_string(status) + " " + reason +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n" + body;
    [[maybe_unused]] const ssize_t n =
        ::send(fd, response.data(), response.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

} // namespace

EventLoop::EventLoop(int listener, LoopSettings settings, BoundedTaskQueue& workers, Serve serve,
                     EventHub& hub, AnswerInline answerInline, bool rechecksStreams)
    : listener_(listener)
    , settings_(settings)
    , workers_(workers)
    , serve_(std::move(serve))
    , hub_(hub)
    , answerInline_(std::move(answerInline))
    , rechecksStreams_(rechecksStreams) {}

EventLoop::~EventLoop() {
    if (epoll_ >= 0)
        ::close(epoll_);
    if (wake_ >= 0)
        ::close(wake_);
}

void EventLoop::stop() {
    stopping_ = true;
    if (wake_ >= 0) {
        const std::uint64_t one = 1;
        [[maybe_unused]] const ssize_t n = ::write(wake_, &one, sizeof one);
    }
}

bool EventLoop::run() {
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    wake_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (epoll_ < 0 || wake_ < 0)
        return false;
    ::fcntl(listener_, F_SETFL, ::fcntl(listener_, F_GETFL) | O_NONBLOCK);
    // EPOLLEXCLUSIVE: a connection wakes one waiting loop, not every loop of the server.
    epoll_event listen{};
    listen.events = EPOLLIN | EPOLLEXCLUSIVE;
    listen.data.ptr = &listener_;
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, listener_, &listen);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = &wake_;
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &ev);
    nextRecheck_ = Clock::now() + settings_.streamRecheck;

    std::array<epoll_event, kMaxEvents> events{};
    while (!stopping_) {
        const int n = ::epoll_wait(epoll_, events.data(), kMaxEvents, waitMs());
        if (n < 0 && errno != EINTR) {
            Log::error(std::string("event loop: epoll_wait failed: ") + std::strerror(errno));
            break;
        }
        for (int i = 0; i < n && !stopping_; ++i) {
            void* tag = events[i].data.ptr;
            if (tag == &listener_) {
                accept();
            } else if (tag == &wake_) {
                std::uint64_t count = 0;
                [[maybe_unused]] const ssize_t r = ::read(wake_, &count, sizeof count);
            } else {
                onEvent(*static_cast<ClientConnection*>(tag), events[i].events);
            }
        }
        takeReturned();
        expireDeadlines();
        if (acceptPausedUntil_ != Clock::time_point{} && Clock::now() >= acceptPausedUntil_) {
            acceptPausedUntil_ = {};
            ::epoll_ctl(epoll_, EPOLL_CTL_ADD, listener_, &listen);
        }
        if (rechecksStreams_ && Clock::now() >= nextRecheck_ && hub_.streamCount() > 0 &&
            !recheckRunning_) {
            recheckRunning_ = true;
            workers_.enqueue([this] {
                hub_.recheck();
                recheckRunning_ = false;
            });
            nextRecheck_ = Clock::now() + settings_.streamRecheck;
        }
    }

    closeAllAndWaitForWorkers();
    return true;
}

// Stopping: every connection the loop holds closes now; workers see stopping() and hand theirs
// back (closed as they come). A stream recheck still running holds none of them.
void EventLoop::closeAllAndWaitForWorkers() {
    stopping_ = true;
    for (auto& [raw, owned] : connections_)
        if (raw->phase != ClientConnection::Phase::Working)
            close(*raw);
    std::array<epoll_event, kMaxEvents> events{};
    while (working_ > 0) {
        [[maybe_unused]] const int n = ::epoll_wait(epoll_, events.data(), kMaxEvents, kStopPollMs);
        std::uint64_t count = 0;
        [[maybe_unused]] const ssize_t r = ::read(wake_, &count, sizeof count);
        takeReturned();
    }
    connections_.clear();
    deadlines_.clear();
}

int EventLoop::waitMs() const {
    auto next = Clock::now() + std::chrono::seconds(1);
    if (!deadlines_.empty())
        next = std::min(next, deadlines_.begin()->first);
    if (acceptPausedUntil_ != Clock::time_point{})
        next = std::min(next, acceptPausedUntil_);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(next - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(ms + 1, 0, 1000));
}

void EventLoop::accept() {
    for (int accepted = 0; accepted < kMaxAcceptsPerWake; ++accepted) {
        const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                Log::warn("event loop: out of descriptors; accepting again shortly");
                ::epoll_ctl(epoll_, EPOLL_CTL_DEL, listener_, nullptr);
                acceptPausedUntil_ = Clock::now() + kAcceptPause;
            }
            return;
        }
        const int yes = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
        auto owned = std::make_unique<ClientConnection>();
        ClientConnection& connection = *owned;
        connection.fd = fd;
        connection.serial = ++gNextSerial;
        connections_.emplace(&connection, std::move(owned));
        ++connectionCount_;
        setDeadline(connection, Clock::now() + settings_.headTimeout);
        // Clients send their request right after connecting: it is usually here already.
        readHead(connection);
    }
}

void EventLoop::onEvent(ClientConnection& connection, std::uint32_t events) {
    switch (connection.phase) {
    case ClientConnection::Phase::Waiting:
        readHead(connection);
        return;
    case ClientConnection::Phase::Streaming: // the client left (or sent what it must not)
        close(connection);
        return;
    case ClientConnection::Phase::Sending:
        sendReply(connection);
        return;
    case ClientConnection::Phase::Lingering: {
        std::array<char, kReadChunk> scratch{};
        bool drained = false;
        for (;;) {
            const ssize_t n = ::recv(connection.fd, scratch.data(), scratch.size(), 0);
            if (n > 0) {
                drained = true;
                continue;
            }
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && !(events & EPOLLHUP)) {
                if (drained)
                    setDeadline(connection, std::min(connection.lingerEnd,
                                                     Clock::now() + settings_.lingerTimeout));
                arm(connection);
                return;
            }
            close(connection);
            return;
        }
    }
    case ClientConnection::Phase::Working:
        return; // one-shot: cannot happen
    }
}

void EventLoop::readHead(ClientConnection& connection) {
    std::array<char, kReadChunk> scratch{};
    for (;;) {
        const ssize_t n = ::recv(connection.fd, scratch.data(), scratch.size(), 0);
        if (n > 0) {
            if (connection.buffer.empty())
                setDeadline(connection, Clock::now() + settings_.headTimeout);
            connection.buffer.append(scratch.data(), static_cast<std::size_t>(n));
            // Read no further than the head: a body stays in the kernel until a worker that
            // accepted it reads it.
            if (scanRequestHead(connection.buffer, settings_.head).state !=
                RequestHead::State::Incomplete)
                break;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        connection.peerClosed = true; // EOF or error
        break;
    }
    continueWith(connection);
}

void EventLoop::continueWith(ClientConnection& connection) {
    connection.head = scanRequestHead(connection.buffer, settings_.head);
    switch (connection.head.state) {
    case RequestHead::State::Complete:
        if (tryInline(connection))
            sendReply(connection);
        else
            dispatch(connection);
        return;
    case RequestHead::State::Invalid:
        refuse(connection, connection.head.status, connection.head.code, connection.head.message);
        return;
    case RequestHead::State::Incomplete:
        if (connection.peerClosed) {
            close(connection);
            return;
        }
        if (connection.buffer.empty() && connection.requests > 0)
            setDeadline(connection, Clock::now() + settings_.idleTimeout);
        else if (connection.deadline == Clock::time_point{})
            setDeadline(connection, Clock::now() + settings_.headTimeout);
        arm(connection);
        return;
    }
}

void EventLoop::dispatch(ClientConnection& connection) {
    setDeadline(connection, {});
    connection.phase = ClientConnection::Phase::Working;
    ++working_;
    workers_.enqueue([this, &connection] {
        ClientConnection::After after = ClientConnection::After::Close;
        try {
            after = stopping_ ? ClientConnection::After::Close : serve_(connection, *this);
        } catch (const std::exception& e) {
            Log::error(std::string("connection worker: ") + e.what());
        } catch (...) {
            Log::error("connection worker: unknown exception");
        }
        {
            std::lock_guard lock(returnedMutex_);
            returned_.emplace_back(&connection, after);
        }
        const std::uint64_t one = 1;
        [[maybe_unused]] const ssize_t n = ::write(wake_, &one, sizeof one);
    });
}

bool EventLoop::tryInline(ClientConnection& connection) {
    if (!answerInline_)
        return false;
    try {
        if (!answerInline_(connection))
            return false;
    } catch (const std::exception& e) { // a worker answers it instead
        Log::error(std::string("event loop: inline answer failed: ") + e.what());
        connection.reply = {};
        return false;
    }
    setDeadline(connection, {});
    ++connection.requests;
    return true;
}

void EventLoop::sendReply(ClientConnection& connection) {
    LoopReply& reply = connection.reply;
    bool progressed = false;
    // A client that reads slowly but reads keeps its connection (as httplib's write timeout,
    // per write); one that reads nothing for sendTimeout is closed.
    const auto waitWritable = [&] {
        connection.phase = ClientConnection::Phase::Sending;
        if (progressed || connection.deadline == Clock::time_point{})
            setDeadline(connection, Clock::now() + settings_.sendTimeout);
        arm(connection, EPOLLOUT);
    };
    while (reply.headSent < reply.head.size()) {
        // MSG_MORE: the head leaves in the same packet as the first file bytes.
        const int more = reply.fileBytes > 0 ? MSG_MORE : 0;
        const ssize_t n = ::send(connection.fd, reply.head.data() + reply.headSent,
                                 reply.head.size() - reply.headSent, MSG_NOSIGNAL | more);
        if (n > 0) {
            reply.headSent += static_cast<std::size_t>(n);
            progressed = true;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            waitWritable();
            return;
        } else {
            close(connection);
            return;
        }
    }
    while (reply.fileBytes > 0) {
        const ssize_t n =
            ::sendfile(connection.fd, reply.fileFd, &reply.fileOffset, reply.fileBytes);
        if (n > 0) {
            reply.fileBytes -= static_cast<std::size_t>(n);
            progressed = true;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && errno == EAGAIN) {
            waitWritable();
            return;
        } else { // an error, or the file is shorter than announced (never loop on it)
            close(connection);
            return;
        }
    }
    connection.reply = {};
    connection.phase = ClientConnection::Phase::Waiting;
    setDeadline(connection, {});
    continueWith(connection);
}

void EventLoop::takeReturned() {
    std::vector<std::pair<ClientConnection*, ClientConnection::After>> returned;
    {
        std::lock_guard lock(returnedMutex_);
        returned.swap(returned_);
    }
    for (auto [connection, after] : returned) {
        --working_;
        connection->phase = ClientConnection::Phase::Waiting;
        if (stopping_) {
            close(*connection);
            continue;
        }
        switch (after) {
        case ClientConnection::After::KeepAlive:
            if (connection->buffer.empty())
                std::string().swap(connection->buffer); // an idle connection keeps no buffer
            continueWith(*connection);
            break;
        case ClientConnection::After::Linger:
            linger(*connection);
            break;
        case ClientConnection::After::Close:
            close(*connection);
            break;
        case ClientConnection::After::Stream:
            connection->phase = ClientConnection::Phase::Streaming;
            std::string().swap(connection->buffer);
            if (!hub_.add(*connection)) { // over the cap since the handler checked it
                close(*connection);
                break;
            }
            arm(*connection);
            break;
        }
    }
}

void EventLoop::refuse(ClientConnection& connection, int status, const std::string& code,
                       const std::string& message) {
    sendRawError(connection.fd, status, code, message);
    linger(connection);
}

void EventLoop::linger(ClientConnection& connection) {
    if (connection.peerClosed) {
        close(connection);
        return;
    }
    ::shutdown(connection.fd, SHUT_WR);
    connection.phase = ClientConnection::Phase::Lingering;
    std::string().swap(connection.buffer);
    connection.lingerEnd = Clock::now() + settings_.lingerTime;
    setDeadline(connection, std::min(connection.lingerEnd, Clock::now() + settings_.lingerTimeout));
    arm(connection);
}

void EventLoop::close(ClientConnection& connection) {
    if (connection.fd < 0)
        return;
    if (connection.phase == ClientConnection::Phase::Streaming || connection.streamKey != 0)
        hub_.remove(connection); // a stream, or one that joined the hub and failed or stopped
    setDeadline(connection, {});
    if (connection.registered)
        ::epoll_ctl(epoll_, EPOLL_CTL_DEL, connection.fd, nullptr);
    ::close(connection.fd);
    connection.fd = -1;
    --connectionCount_;
    if (!stopping_)
        connections_.erase(&connection);
}

// Waiting for bytes by default; for room to send (`EPOLLOUT`) without EPOLLRDHUP, which would
// wake the loop again and again while a half-closed client still reads.
void EventLoop::arm(ClientConnection& connection, std::uint32_t events) {
    epoll_event ev{};
    ev.events = (events ? events : EPOLLIN | EPOLLRDHUP) | EPOLLONESHOT;
    ev.data.ptr = &connection;
    ::epoll_ctl(epoll_, connection.registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, connection.fd, &ev);
    connection.registered = true;
}

void EventLoop::setDeadline(ClientConnection& connection, Clock::time_point deadline) {
    if (connection.deadline != Clock::time_point{})
        deadlines_.erase({connection.deadline, &connection});
    connection.deadline = deadline;
    if (deadline != Clock::time_point{})
        deadlines_.emplace(deadline, &connection);
}

void EventLoop::expireDeadlines() {
    const auto now = Clock::now();
    while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
        ClientConnection& connection = *deadlines_.begin()->second;
        if (connection.phase == ClientConnection::Phase::Waiting && !connection.buffer.empty()) {
            setDeadline(connection, {});
            refuse(connection, 408, "request_timeout", "The request head did not arrive in time.");
        } else {
            close(connection);
        }
    }
}

} // namespace reelgate::server::http
