#pragma once
// One accepted client socket and what is known about it between requests. The event loop owns
// it (creates, arms, closes and frees it); while a request is being served exactly one worker
// uses it, and while it is a parked event stream only the EventHub writes to it. A response the
// loop answers itself (ConnectionServer's inline responders) waits in `reply` while the socket
// cannot take more.

#include "http/RequestHead.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <sys/types.h>

namespace reelgate::server::http {

// A response sent by the event loop: `head`, then `fileBytes` of `fileFd` from `fileOffset`
// (sendfile). `keep` keeps the file open until the last byte is out.
struct LoopReply {
    std::string head;
    std::size_t headSent = 0;
    int fileFd = -1;
    off_t fileOffset = 0;
    std::size_t fileBytes = 0;
    std::shared_ptr<const void> keep;
};

struct ClientConnection {
    enum class Phase { Waiting = 1, Working, Streaming, Lingering, Sending };
    // What a worker leaves the connection for.
    enum class After { KeepAlive = 1, Linger, Close, Stream };

    int fd = -1;
    std::uint64_t serial = 0; // unique per accepted connection (a freed address may be reused)
    Phase phase = Phase::Waiting;
    bool registered = false; // in its loop's epoll set (added on the first wait)
    std::string buffer;      // received bytes not yet consumed (pipelined requests stay here)
    RequestHead head;        // of the request at the front of `buffer`, once complete
    bool peerClosed = false;
    std::size_t requests = 0;
    std::chrono::steady_clock::time_point deadline{};  // zero: none (working, streaming)
    std::chrono::steady_clock::time_point lingerEnd{}; // lingering: never drained past this
    LoopReply reply; // sending: what is left of the loop's own response

    // Looked up once, by the first worker that needs them.
    std::string remoteIp;
    int remotePort = -1;
    std::string localIp;
    int localPort = -1;

    // A parked event stream: its key (user id) and the check that it may stay open.
    std::int64_t streamKey = 0;
    std::function<bool()> streamStillValid;
    bool streamReplaced = false; // closed for a newer stream of its key (EventHub, under its lock)
};

} // namespace reelgate::server::http
