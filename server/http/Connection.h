#pragma once
// Our own connection layer under cpp-httplib (Debian's 0.11.4 builds its socket stream into the
// shared library and gives handlers no socket). ConnectionServer replaces httplib's accept loop
// and its thread-per-connection loop with EventLoops (epoll, one per core): idle and slow
// connections wait there and hold no thread; a worker runs httplib's parse/route/answer
// (process_request) only for a connection whose request head is wholly buffered. What it adds:
//  - file bytes go to the socket with sendfile(2) (see FileRegion / FileResponse), headers held
//    back with TCP_CORK so they leave with the first file bytes;
//  - one read buffer per connection (pipelined requests are kept, never dropped);
//  - request framing checked before httplib sees it (RequestHead), and a connection whose
//    request body was not read to its end is closed (lingering), never parsed further;
//  - event streams parked in an EventHub without a thread (parkEventStream());
//  - inline responders: a plain GET a responder can answer from memory (a cached playback
//    decision and an open file) is answered on the event loop thread itself, with the same
//    bytes a worker would send, so the hottest request crosses no thread at all. Anything a
//    responder cannot answer at once (and anything unusual: a body, a query, a Range, escapes,
//    non-ASCII, the connection's last request) goes to a worker and httplib as before.
// The httplib internals this relies on are listed, with the upgrade steps, in Connection.cpp.

#include "http/EventHub.h"
#include "http/EventLoop.h"
#include "http/FileResponse.h"

#include <httplib.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace reelgate::server::http {

// Announces, for the current thread, that writes of bytes inside [data, data + size) are the
// contents of `fd` from offset 0: the connection then sends them with sendfile. `data` must be a
// view of exactly that file (a read-only mapping); anything else written meanwhile is sent as is.
class FileRegion {
public:
    FileRegion(const char* data, std::size_t size, int fd);
    ~FileRegion();
    FileRegion(const FileRegion&) = delete;
    FileRegion& operator=(const FileRegion&) = delete;

    const char* data() const { return data_; }
    std::size_t size() const { return size_; }
    int fd() const { return fd_; }
    // The region announced on this thread, or nullptr.
    static const FileRegion* current();

private:
    const char* data_;
    std::size_t size_;
    int fd_;
    const FileRegion* previous_;
};

// For a handler answering with a file body: the connection holds the response headers back
// (TCP_CORK) so they leave in the same packet as the first file bytes, as nginx's tcp_nopush
// does; the client then wakes once per response instead of once for the headers alone.
void corkResponse();
// The connection closes after the current response (e.g. a request refused before its body).
void closeAfterResponse();
// From inside a content provider without length (text/event-stream), before it writes its
// first event: the connection joins the server's EventHub under `key` now (events published
// from now on are kept for it) and, once the response head and what the provider wrote are
// out, is parked there. `stillValid` (may be empty) is asked every recheck interval on a worker.
void parkEventStream(std::int64_t key, std::function<bool()> stillValid);

// A 200 answer an inline responder gives: `headers` besides the server's default ones, the
// body's type, and the body: a shared file, or else `body` (small: it is copied).
struct InlineReply {
    httplib::Headers headers;
    std::string contentType;
    std::shared_ptr<const SharedFile> file;
    std::string body;
};
// Runs on the event loop thread: must answer from memory only (never the database, never a
// lock held for long); nullopt = "a worker answers this one" (including every error).
using InlineResponder = std::function<std::optional<InlineReply>(const httplib::Request&)>;
// The same answer from a worker (a cache miss): headers and body set on `res`.
void applyInlineReply(const InlineReply& reply, httplib::Response& res);

class ConnectionServer : public httplib::Server {
public:
    // What httplib runs around every request, set here (never through httplib's own setters of
    // these four) so that the inline path runs exactly the same: the pre-routing check, the
    // default headers, the post-routing handler and the logger.
    struct RequestHooks {
        HandlerWithResponse preRouting;
        Handler postRouting;
        httplib::Headers defaultHeaders;
        httplib::Logger logger;
    };
    void setRequestHooks(RequestHooks hooks);
    void addInlineResponder(InlineResponder responder) {
        inlineResponders_.push_back(std::move(responder));
    }

    // Runs on every parsed request before routing (e.g. to set the client address).
    void setRequestSetup(std::function<void(httplib::Request&)> setup) {
        setup_ = std::move(setup);
    }
    // Serves the bound socket until stopServing(); false when the loop could not start.
    bool serve(const LoopSettings& settings);
    void stopServing();
    bool serving() const { return serving_; }
    EventHub& events() { return hub_; }

private:
    ClientConnection::After serveRequest(ClientConnection& connection, const EventLoop& loop);
    bool runLoops(std::vector<std::unique_ptr<EventLoop>>& loops);
    bool answerInline(ClientConnection& connection);

    std::function<void(httplib::Request&)> setup_;
    HandlerWithResponse preRouting_;
    Handler postRouting_;
    httplib::Headers defaultHeaders_;
    httplib::Logger requestLogger_;
    std::vector<InlineResponder> inlineResponders_;
    EventHub hub_;
    std::mutex loopMutex_;
    std::vector<EventLoop*> loops_;
    bool stopRequested_ = false;
    std::atomic<bool> serving_{false};
};

// The hub of the server whose routes these are (the server must be a ConnectionServer).
EventHub& eventHubOf(httplib::Server& server);
// Registers an inline responder on that server (routes register theirs beside their handler).
void addInlineResponder(httplib::Server& server, InlineResponder responder);

} // namespace reelgate::server::http
