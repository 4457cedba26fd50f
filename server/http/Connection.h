#pragma once
// Our own connection layer under cpp-httplib (Debian's 0.11.4 builds its socket stream into the
// shared library and gives handlers no socket). ConnectionServer replaces httplib's accept loop
// and its thread-per-connection loop with an EventLoop (epoll): idle and slow connections wait
// there and hold no thread; a worker runs httplib's parse/route/answer (process_request) only
// for a connection whose request head is wholly buffered. What it adds:
//  - file bytes go to the socket with sendfile(2) (see FileRegion / FileResponse), headers held
//    back with TCP_CORK so they leave with the first file bytes;
//  - one read buffer per connection (pipelined requests are kept, never dropped);
//  - request framing checked before httplib sees it (RequestHead), and a connection whose
//    request body was not read to its end is closed (lingering), never parsed further;
//  - event streams parked in an EventHub without a thread (parkEventStream()).
// The httplib internals this relies on are listed, with the upgrade steps, in Connection.cpp.

#include "http/EventHub.h"
#include "http/EventLoop.h"

#include <httplib.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

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
// From inside a content provider without length (text/event-stream): once the response head
// and what the provider wrote are out, the connection is parked in the server's EventHub under
// `key`. `stillValid` (may be empty) is asked every recheck interval on a worker.
void parkEventStream(std::int64_t key, std::function<bool()> stillValid);

class ConnectionServer : public httplib::Server {
public:
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

    std::function<void(httplib::Request&)> setup_;
    EventHub hub_;
    std::mutex loopMutex_;
    EventLoop* loop_ = nullptr;
    bool stopRequested_ = false;
    std::atomic<bool> serving_{false};
};

// The hub of the server whose routes these are (the server must be a ConnectionServer).
EventHub& eventHubOf(httplib::Server& server);

} // namespace reelgate::server::http
