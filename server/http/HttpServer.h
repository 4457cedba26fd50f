#pragma once
// cpp-httplib (Debian's 0.11.4) set up for production: TCP_NODELAY (small replies otherwise
// stall ~40 ms), a bounded worker pool instead of the default 8-thread queue, long keep-alive,
// request-body limit, timeouts, security headers, the JSON error envelope for every failure,
// and one log line per request (method, path without query, status, bytes, time, client).
// Routes are registered on routes() before run(). stop() may be called from any thread.

#include "http/TrustedProxies.h"

#include <httplib.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace reelgate::server::http {

struct HttpOptions {
    std::size_t threads = 0;                // 0 = 16 per core, at least 32
    std::size_t maxBodyBytes = 1 << 20;     // every request body...
    std::uint64_t maxUploadBytes = 1 << 20; // ...except for largeBodyRoutes (streamed)
    // {method, path prefix} of the handlers that stream their body (ContentReader) and check
    // its size themselves; any other request with a body over maxBodyBytes gets 413 unread.
    std::vector<std::pair<std::string, std::string>> largeBodyRoutes;
    // Requests from these peers are attributed to the client their X-Forwarded-For names
    // (req.remote_addr); from any other peer the header is ignored.
    TrustedProxies trustedProxies;
};

class HttpServer {
public:
    explicit HttpServer(const HttpOptions& options);
    ~HttpServer();

    httplib::Server& routes() { return *server_; }

    // Binds the listening socket; port 0 picks a free port. Returns the bound port, or -1.
    int bind(const std::string& host, int port);
    // Serves until stop(). Returns false when the listen loop failed.
    bool run();
    void stop();
    bool isRunning() const { return server_->is_running(); }

private:
    std::unique_ptr<httplib::Server> server_;
};

} // namespace reelgate::server::http
