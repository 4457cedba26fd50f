#pragma once
// cpp-httplib (Debian's 0.11.4) set up for production on our connection layer (Connection.h):
// an epoll loop holds waiting connections, a small worker pool answers complete requests;
// TCP_NODELAY, long keep-alive, header/idle deadlines, security headers, the JSON error
// envelope for every failure, one log line per request (method, path without query, status,
// bytes, time, client). At the edge, before any body is read: the request target and every
// header value must be UTF-8 text without control characters (400 and close); a body above
// maxBodyBytes (or chunked) is accepted only on a streaming route from a caller the streaming
// gate accepts (else 413/411/401 and close). A Range past the end answers 416.
// Routes are registered on routes() before run(). stop() may be called from any thread.

#include "http/Connection.h"
#include "http/TrustedProxies.h"

#include <httplib.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace reelgate::server::http {

struct HttpOptions {
    std::size_t threads = 0;                // 0 = 4 per core, at least 8
    std::size_t maxBodyBytes = 1 << 20;     // every request body...
    std::uint64_t maxUploadBytes = 1 << 20; // ...except for largeBodyRoutes (streamed)
    // {method, path regex} of the handlers that stream their body (ContentReader) and check
    // its size themselves; any other request with a body over maxBodyBytes gets 413 unread.
    std::vector<std::pair<std::string, std::string>> largeBodyRoutes;
    // Requests from these peers are attributed to the client their X-Forwarded-For names
    // (req.remote_addr); from any other peer the header is ignored.
    TrustedProxies trustedProxies;
    int idleTimeoutSeconds = 60;         // a kept-alive connection with no next request closes
    int headTimeoutSeconds = 10;         // a started request head must be complete by then (408)
    int eventRecheckSeconds = 30;        // event streams: keep-alive comment and still-valid check
    std::size_t eventStreamsPerUser = 8; // a user's next stream closes their oldest
    std::size_t maxEventStreams = 16384; // in all; past it GET /api/me/events answers 503
};

class HttpServer {
public:
    explicit HttpServer(const HttpOptions& options);
    ~HttpServer();

    httplib::Server& routes() { return *server_; }
    // Who may send a body above maxBodyBytes to a streaming route (e.g. a signed-in caller);
    // asked before any body byte is read. Without a gate nobody may. Set before run().
    void setStreamingGate(std::function<bool(const httplib::Request&)> gate);

    // Binds the listening socket; port 0 picks a free port. Returns the bound port, or -1.
    int bind(const std::string& host, int port);
    // Serves until stop(). Returns false when the listen loop failed.
    bool run();
    void stop();
    bool isRunning() const { return server_->serving(); }
    EventHub& events() { return server_->events(); }

private:
    std::unique_ptr<ConnectionServer> server_;
    LoopSettings loopSettings_;
    std::shared_ptr<std::function<bool(const httplib::Request&)>> streamingGate_;
};

} // namespace reelgate::server::http
