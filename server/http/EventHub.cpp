#include "http/EventHub.h"

#include "common/Log.h"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <utility>
#include <vector>

namespace reelgate::server::http {
namespace {
// Events held for a joining stream (it joins for the time a worker takes to finish its reply).
constexpr std::size_t kMaxBacklogBytes = 64 * 1024;
} // namespace

bool EventHub::sendOrDrop(ClientConnection& connection, std::string_view text) {
    std::size_t sent = 0;
    while (sent < text.size()) {
        const ssize_t n = ::send(connection.fd, text.data() + sent, text.size() - sent,
                                 MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            sent += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        // Full socket buffer (a reader that does not keep up) or a dead peer: half an event
        // cannot be taken back, so the stream ends; the loop sees the hang-up and reaps it.
        ::shutdown(connection.fd, SHUT_RDWR);
        return false;
    }
    return true;
}

std::size_t EventHub::publish(std::int64_t key, std::string_view event, std::string_view data) {
    std::string text = "event: ";
    text.append(event).append("\ndata: ").append(data).append("\n\n");
    std::size_t delivered = 0;
    std::lock_guard lock(mutex_);
    const auto [begin, end] = byKey_.equal_range(key);
    for (auto it = begin; it != end; ++it)
        if (sendOrDrop(*it->second, text))
            ++delivered;
    for (auto& [connection, joining] : joining_) {
        if (joining.key != key)
            continue;
        if (joining.backlog.size() + text.size() > kMaxBacklogBytes) {
            joining.overflowed = true;
            continue;
        }
        joining.backlog.append(text);
        ++delivered;
    }
    return delivered;
}

void EventHub::join(ClientConnection& connection) {
    std::lock_guard lock(mutex_);
    joining_[&connection] = {connection.streamKey, {}, false};
}

std::size_t EventHub::streamCount() const {
    std::lock_guard lock(mutex_);
    return streams_.size();
}

void EventHub::setLimits(std::size_t perKey, std::size_t total) {
    std::lock_guard lock(mutex_);
    perKey_ = std::max<std::size_t>(1, perKey);
    total_ = std::max<std::size_t>(1, total);
}

bool EventHub::full() const {
    std::lock_guard lock(mutex_);
    // A stream that said `ready` may still be joining (its loop takes it over a moment later).
    return streams_.size() + joining_.size() >= total_;
}

bool EventHub::add(ClientConnection& connection) {
    std::lock_guard lock(mutex_);
    std::string backlog;
    if (const auto it = joining_.find(&connection); it != joining_.end()) {
        const bool overflowed = it->second.overflowed;
        backlog = std::move(it->second.backlog);
        joining_.erase(it);
        if (overflowed)
            return false; // the page reconnects and reads the current state
    }
    if (streams_.count(&connection))
        return true;
    if (streams_.size() >= total_)
        return false;
    // Equal keys keep their insertion order: the first of the range is the oldest. It stays
    // registered until the loop reaps it (remove()), so skip the ones already shut down.
    const auto [begin, end] = byKey_.equal_range(connection.streamKey);
    std::size_t open = 0;
    for (auto it = begin; it != end; ++it)
        open += it->second->streamReplaced ? 0 : 1;
    for (auto it = begin; open >= perKey_ && it != end; ++it) {
        if (it->second->streamReplaced)
            continue;
        it->second->streamReplaced = true;
        if (sendOrDrop(*it->second, "event: stream_limit\ndata: {}\n\n"))
            ::shutdown(it->second->fd, SHUT_RDWR);
        --open;
    }
    streams_.insert(&connection);
    byKey_.emplace(connection.streamKey, &connection);
    if (!backlog.empty())
        sendOrDrop(connection, backlog); // a failure shuts the socket: the loop reaps it
    return true;
}

void EventHub::remove(ClientConnection& connection) {
    std::lock_guard lock(mutex_);
    joining_.erase(&connection);
    if (streams_.erase(&connection) == 0)
        return;
    const auto [begin, end] = byKey_.equal_range(connection.streamKey);
    for (auto it = begin; it != end; ++it)
        if (it->second == &connection) {
            byKey_.erase(it);
            break;
        }
}

void EventHub::recheck() {
    // The checks may ask the database: run them without the lock, on copies of the checks
    // (a stream removed meanwhile is skipped when its verdict is applied).
    struct Check {
        ClientConnection* stream;
        std::uint64_t serial;
        std::function<bool()> stillValid;
    };
    std::vector<Check> checks;
    {
        std::lock_guard lock(mutex_);
        checks.reserve(streams_.size());
        for (ClientConnection* stream : streams_) {
            sendOrDrop(*stream, ":\n\n");
            if (stream->streamStillValid)
                checks.push_back({stream, stream->serial, stream->streamStillValid});
        }
    }
    std::vector<Check> ended;
    for (auto& check : checks) {
        try {
            if (!check.stillValid())
                ended.push_back(std::move(check));
        } catch (const std::exception& e) {
            Log::warn(std::string("event stream check failed: ") + e.what());
        }
    }
    std::lock_guard lock(mutex_);
    for (const Check& check : ended) {
        // Still registered means still alive; the serial tells it is the same connection.
        if (streams_.count(check.stream) && check.stream->serial == check.serial &&
            sendOrDrop(*check.stream, "event: session_revoked\ndata: {}\n\n"))
            ::shutdown(check.stream->fd, SHUT_RDWR);
    }
}

} // namespace reelgate::server::http
