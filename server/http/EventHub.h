#pragma once
// Server-Sent Events without a thread per stream. A handler answers with parkEventStream()
// (Connection.h), which makes the connection join the hub under a key (the user id) at once:
// events published from then on wait in its backlog until the handler's own bytes are out and
// the event loop takes the stream over (add()), then go out in order. So a page that has read
// the stream's first event misses nothing published after it. publish() writes one event to every
// stream of a key (any thread; non-blocking sends: a stream whose socket buffer is full is dropped,
// the browser's EventSource reconnects). Every recheck interval a worker sends a comment line to
// every stream (keeps proxies from timing out) and asks each stream's still-valid check; a
// stream that fails it gets `event: session_revoked` and is closed.
// Limits: at most perKey streams per key (a new one closes the key's oldest, after an
// `event: stream_limit`, so a user's forgotten tabs cannot pile up) and at most total streams
// in all (the route answers 503 once full(); add() refuses what races past that check).
// Thread-safe. The event loop owns the connections: it removes a stream (remove()) before it
// closes the socket, so a publish never writes to a descriptor that was reused.

#include "http/ClientConnection.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

namespace reelgate::server::http {

class EventHub {
public:
    // Writes "event: <event>\ndata: <data>\n\n" to every stream of `key`; `data` must be one
    // line (JSON). Returns how many streams took it.
    std::size_t publish(std::int64_t key, std::string_view event, std::string_view data);
    std::size_t streamCount() const;
    // Set before serving.
    void setLimits(std::size_t perKey, std::size_t total);
    // Streams and joining streams together reach the total.
    bool full() const;

    // Worker side, from parkEventStream(): `connection` (streamKey set) takes events from now on.
    void join(ClientConnection& connection);
    // Event loop side. False (the loop closes the connection) when the hub is full or the
    // stream's backlog overflowed while it joined.
    bool add(ClientConnection& connection);
    // Whatever state the connection is in (joining, streaming, or neither).
    void remove(ClientConnection& connection);
    // Worker side, every recheck interval (see above).
    void recheck();

private:
    // Under mutex_: sends all of `text` or shuts the socket down (the loop then reaps it).
    static bool sendOrDrop(ClientConnection& connection, std::string_view text);

    // A stream that joined but is not yet the loop's: what was published to it meanwhile.
    struct Joining {
        std::int64_t key = 0;
        std::string backlog;
        bool overflowed = false;
    };

    mutable std::mutex mutex_;
    std::map<ClientConnection*, Joining> joining_;
    std::multimap<std::int64_t, ClientConnection*> byKey_;
    std::set<ClientConnection*> streams_;
    std::size_t perKey_ = 8;
    std::size_t total_ = 16384;
};

} // namespace reelgate::server::http
