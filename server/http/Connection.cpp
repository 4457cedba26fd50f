// Overrides of cpp-httplib internals, pinned to Debian's 0.11.4 (server/CMakeLists.txt refuses
// any other version with a message pointing here). What this file relies on:
//  1. httplib::Server::process_request(Stream&, close_connection, connection_closed, setup) is
//     protected and parses exactly one request from the Stream: the request line and headers
//     read byte by byte (so it consumes exactly the head RequestHead measured), then routing,
//     the body (only what a handler or read_content asks for), the response, the logger.
//  2. svr_sock_ (protected) is the bound listening socket; setting it to INVALID_SOCKET is
//     httplib's "shutting down" signal for content providers.
//  3. Stream::socket() is used by the server side only for its select() FD_SETSIZE guard (the
//     Debian build has no CPPHTTPLIB_USE_POLL): we return 0, or every connection above
//     descriptor 1023 would be answered 500.
//  4. A content provider without length is written until sink.done() with no framing, and
//     the response head carries neither Content-Length nor Transfer-Encoding (event streams).
//  5. The post-routing handler runs after ranges were applied, before the head is written
//     (HttpServer fixes unsatisfiable ranges there).
//  6. The inline path writes the head httplib writes for a kept-alive 200: "HTTP/1.1 200 OK",
//     the headers in Headers' (case-insensitive sorted) order, among them Content-Length and
//     "Keep-Alive: timeout=T, max=M" (no Connection header); httplib decodes %XX in the path
//     and in header values, so the inline path takes no request with a '%' in either.
// Upgrading httplib: read the new version's Server::process_request, listen_internal,
// write_response_core, write_content_without_length, read_headers/parse_header and
// SocketStream; check each point above (in particular whether header values are still
// percent-decoded, whether LF-only lines are still skipped, and whether process_request still
// reads the head through Stream::read); run tst_httpconnection and tst_serverlifecycle; then
// widen the accepted range in server/CMakeLists.txt.

#include "http/Connection.h"

#include "common/Log.h"
#include "http/InlineRequest.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <thread>

namespace reelgate::server::http {
namespace {

struct ParkRequest {
    bool requested = false;
    std::int64_t key = 0;
    std::function<bool()> stillValid;
};

thread_local const FileRegion* tRegion = nullptr;
thread_local bool tCorkResponse = false;
thread_local bool tCloseAfterResponse = false;
thread_local ParkRequest tPark;
// The connection a worker serves and its server's hub (parkEventStream() joins it there).
thread_local ClientConnection* tConnection = nullptr;
thread_local EventHub* tHub = nullptr;

// How often a waiting worker looks whether the server is stopping.
constexpr int kStopCheckMs = 50;
constexpr std::size_t kReadChunk = 16 * 1024;
constexpr int kListenBacklog = 4096;

int toMillis(time_t sec, time_t usec) {
    return static_cast<int>(sec * 1000 + usec / 1000);
}

void addressOf(int sock, bool peer, std::string& ip, int& port) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    const int rc = peer ? ::getpeername(sock, reinterpret_cast<sockaddr*>(&addr), &len)
                        : ::getsockname(sock, reinterpret_cast<sockaddr*>(&addr), &len);
    if (rc != 0)
        return;
    std::array<char, NI_MAXHOST> host{};
    std::array<char, NI_MAXSERV> serv{};
    if (::getnameinfo(reinterpret_cast<sockaddr*>(&addr), len, host.data(), host.size(),
                      serv.data(), serv.size(), NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
        ip = host.data();
        port = std::atoi(serv.data());
    }
}

// A worker's view of a client connection for one request: reads come from the connection's
// buffer first (the head is already there), then from the (non-blocking) socket; counts what
// httplib consumed so the caller knows whether the body was read to its end.
class WorkerStream final : public httplib::Stream {
public:
    WorkerStream(ClientConnection& connection, const EventLoop& loop, int readTimeoutMs,
                 int writeTimeoutMs)
        : connection_(connection)
        , loop_(loop)
        , readTimeoutMs_(readTimeoutMs)
        , writeTimeoutMs_(writeTimeoutMs) {}

    bool is_readable() const override { return buffered() > 0 || waitFor(POLLIN, readTimeoutMs_); }
    bool is_writable() const override { return waitFor(POLLOUT, writeTimeoutMs_); }

    ssize_t read(char* ptr, std::size_t size) override {
        if (buffered() == 0) {
            std::string& buffer = connection_.buffer;
            buffer.clear();
            position_ = 0;
            if (size >= kReadChunk) { // large reads (request bodies) skip the buffer
                const ssize_t n = receive(ptr, size);
                if (n > 0)
                    consumed_ += static_cast<std::size_t>(n);
                return n;
            }
            buffer.resize(kReadChunk);
            const ssize_t n = receive(buffer.data(), kReadChunk);
            buffer.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
            if (n <= 0)
                return n;
        }
        const std::size_t n = std::min(size, buffered());
        std::memcpy(ptr, connection_.buffer.data() + position_, n);
        position_ += n;
        consumed_ += n;
        return static_cast<ssize_t>(n);
    }

    ssize_t write(const char* ptr, std::size_t size) override {
        if (tCorkResponse && !corked_)
            setCork(true);
        const FileRegion* region = FileRegion::current();
        if (region && ptr >= region->data() && size <= region->size() &&
            static_cast<std::size_t>(ptr - region->data()) <= region->size() - size)
            return sendFromFile(*region, static_cast<off_t>(ptr - region->data()), size);
        for (;;) {
            const ssize_t n = ::send(connection_.fd, ptr, size, MSG_NOSIGNAL);
            if (n >= 0)
                return n;
            if (errno == EINTR)
                continue;
            if ((errno != EAGAIN && errno != EWOULDBLOCK) || !waitFor(POLLOUT, writeTimeoutMs_))
                return -1;
        }
    }

    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        if (connection_.remotePort < 0)
            addressOf(connection_.fd, true, connection_.remoteIp, connection_.remotePort);
        ip = connection_.remoteIp;
        port = connection_.remotePort;
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        if (connection_.localPort < 0)
            addressOf(connection_.fd, false, connection_.localIp, connection_.localPort);
        ip = connection_.localIp;
        port = connection_.localPort;
    }
    socket_t socket() const override { return 0; } // see point 3 at the top of this file

    // Bytes httplib took (head and body) since this stream was made.
    std::size_t consumed() const { return consumed_; }
    // Drops what httplib took from the buffer; pipelined bytes stay for the next request.
    void finish() {
        if (corked_)
            setCork(false);
        connection_.buffer.erase(0, position_);
        position_ = 0;
    }

private:
    std::size_t buffered() const { return connection_.buffer.size() - position_; }

    // poll in short slices so that a stopping server is not held up by a client that keeps
    // its connection open in the middle of a request.
    bool waitFor(short events, int ms) const {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
        while (!loop_.stopping()) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  deadline - std::chrono::steady_clock::now())
                                  .count();
            pollfd p{connection_.fd, events, 0};
            const int n =
                ::poll(&p, 1, static_cast<int>(std::clamp<long long>(left, 0, kStopCheckMs)));
            if (n > 0)
                return true;
            if (n < 0 && errno != EINTR)
                return false;
            if (left <= 0)
                return false;
        }
        return false;
    }

    ssize_t receive(char* ptr, std::size_t size) {
        for (;;) {
            const ssize_t n = ::recv(connection_.fd, ptr, size, 0);
            if (n >= 0)
                return n;
            if (errno == EINTR)
                continue;
            if ((errno != EAGAIN && errno != EWOULDBLOCK) || !waitFor(POLLIN, readTimeoutMs_))
                return -1;
        }
    }

    void setCork(bool on) {
        const int value = on ? 1 : 0;
        ::setsockopt(connection_.fd, IPPROTO_TCP, TCP_CORK, &value, sizeof value);
        corked_ = on;
    }

    ssize_t sendFromFile(const FileRegion& region, off_t offset, std::size_t size) {
        for (;;) {
            const ssize_t n = ::sendfile(connection_.fd, region.fd(), &offset, size);
            if (n > 0)
                return n;
            if (n == 0)
                return -1; // the file is shorter than its mapping said: never loop on it
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN && waitFor(POLLOUT, writeTimeoutMs_))
                continue;
            if (errno == EINVAL || errno == ENOSYS) // no sendfile for this pair: copy instead
                return ::send(connection_.fd, region.data() + offset, size, MSG_NOSIGNAL);
            return -1;
        }
    }

    ClientConnection& connection_;
    const EventLoop& loop_;
    int readTimeoutMs_;
    int writeTimeoutMs_;
    std::size_t position_ = 0;
    std::size_t consumed_ = 0;
    bool corked_ = false;
};

} // namespace

void applyInlineReply(const InlineReply& reply, httplib::Response& res) {
    for (const auto& [name, value] : reply.headers)
        res.set_header(name, value);
    if (reply.file)
        sendFile(res, reply.file, reply.contentType);
    else
        res.set_content(reply.body, reply.contentType);
}

FileRegion::FileRegion(const char* data, std::size_t size, int fd)
    : data_(data)
    , size_(size)
    , fd_(fd)
    , previous_(tRegion) {
    tRegion = this;
}

FileRegion::~FileRegion() {
    tRegion = previous_;
}

const FileRegion* FileRegion::current() {
    return tRegion;
}

void corkResponse() {
    tCorkResponse = true;
}

void closeAfterResponse() {
    tCloseAfterResponse = true;
}

void parkEventStream(std::int64_t key, std::function<bool()> stillValid) {
    tPark = {true, key, std::move(stillValid)};
    if (tConnection && tHub) {
        tConnection->streamKey = key;
        tHub->join(*tConnection);
    }
}

void ConnectionServer::setRequestHooks(RequestHooks hooks) {
    preRouting_ = hooks.preRouting;
    postRouting_ = hooks.postRouting;
    defaultHeaders_ = hooks.defaultHeaders;
    requestLogger_ = hooks.logger;
    set_pre_routing_handler(std::move(hooks.preRouting));
    set_post_routing_handler(std::move(hooks.postRouting));
    set_default_headers(std::move(hooks.defaultHeaders));
    set_logger(std::move(hooks.logger));
}

bool ConnectionServer::serve(const LoopSettings& settings) {
    // httplib listens with a backlog of 5: thousands of viewers connecting at once would wait
    // for SYN retransmits. listen() again only resizes the queue.
    ::listen(svr_sock_, kListenBacklog);
    EventLoop::AnswerInline answer;
    if (!inlineResponders_.empty())
        answer = [this](ClientConnection& c) { return answerInline(c); };
    // The loops only enqueue connections with a whole head, at most one task per connection:
    // the backlog is bounded by the connection count and must never block a loop.
    BoundedTaskQueue workers(settings.threads, std::numeric_limits<std::size_t>::max());
    std::vector<std::unique_ptr<EventLoop>> loops;
    for (std::size_t i = 0; i < std::max<std::size_t>(1, settings.loops); ++i)
        loops.push_back(std::make_unique<EventLoop>(
            svr_sock_, settings, workers,
            [this](ClientConnection& c, const EventLoop& loop) { return serveRequest(c, loop); },
            hub_, answer, i == 0));
    const bool ok = runLoops(loops);
    workers.shutdown(); // before the loops go: a stream recheck refers to the first one
    return ok;
}

// The first loop runs on this thread, the others on their own; each ends when stopped (or
// fails to start, which stops them all).
bool ConnectionServer::runLoops(std::vector<std::unique_ptr<EventLoop>>& loops) {
    {
        std::lock_guard lock(loopMutex_);
        if (stopRequested_)
            return true;
        for (const auto& loop : loops)
            loops_.push_back(loop.get());
    }
    std::atomic<bool> ok{true};
    const auto run = [&](EventLoop& loop) {
        try {
            if (!loop.run())
                ok = false;
        } catch (const std::exception& e) {
            Log::error(std::string("event loop failed: ") + e.what());
            ok = false;
        }
        if (!ok)
            stopServing();
    };
    serving_ = true;
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < loops.size(); ++i)
        threads.emplace_back([&run, &loop = *loops[i]] { run(loop); });
    run(*loops[0]);
    for (auto& thread : threads)
        thread.join();
    serving_ = false;
    std::lock_guard lock(loopMutex_);
    loops_.clear();
    return ok;
}

void ConnectionServer::stopServing() {
    std::lock_guard lock(loopMutex_);
    stopRequested_ = true;
    // Content providers (e.g. a long download) watch svr_sock_ to give up on stop.
    const socket_t listener = svr_sock_.exchange(INVALID_SOCKET);
    for (EventLoop* loop : loops_)
        loop->stop();
    if (listener != INVALID_SOCKET) {
        ::shutdown(listener, SHUT_RDWR);
        ::close(listener);
    }
}

ClientConnection::After ConnectionServer::serveRequest(ClientConnection& connection,
                                                       const EventLoop& loop) {
    tCorkResponse = false;
    tCloseAfterResponse = false;
    tPark = {};
    tConnection = &connection;
    tHub = &hub_;
    WorkerStream stream(connection, loop, toMillis(read_timeout_sec_, read_timeout_usec_),
                        toMillis(write_timeout_sec_, write_timeout_usec_));
    const RequestHead head = connection.head;
    bool closed = false;
    const bool last = connection.requests + 1 >= keep_alive_max_count_ || connection.peerClosed;
    bool ok = false;
    try {
        ok = process_request(stream, last, closed, setup_);
    } catch (const std::exception& e) {
        Log::error(std::string("request failed outside its handler: ") + e.what());
    } catch (...) {
        Log::error("request failed outside its handler");
    }
    stream.finish();
    ++connection.requests;
    tCorkResponse = false;
    ParkRequest park = std::move(tPark);
    tPark = {};
    tConnection = nullptr;
    tHub = nullptr;
    if (park.requested && ok) {
        connection.streamKey = park.key;
        connection.streamStillValid = std::move(park.stillValid);
        return ClientConnection::After::Stream;
    }
    if (park.requested)
        hub_.remove(connection); // it joined, but its reply failed
    const bool bodyRead = !head.chunked && stream.consumed() >= head.headBytes + head.contentLength;
    if (connection.peerClosed)
        return ClientConnection::After::Close;
    if (!ok || closed || last || tCloseAfterResponse || !bodyRead)
        return ClientConnection::After::Linger;
    return ClientConnection::After::KeepAlive;
}

bool ConnectionServer::answerInline(ClientConnection& connection) {
    const RequestHead& head = connection.head;
    if (head.contentLength != 0 || head.chunked || connection.peerClosed ||
        connection.requests + 1 >= keep_alive_max_count_)
        return false;
    httplib::Request req;
    if (!parseInlineRequest(std::string_view(connection.buffer).substr(0, head.headBytes), req))
        return false;
    if (connection.remotePort < 0)
        addressOf(connection.fd, true, connection.remoteIp, connection.remotePort);
    req.remote_addr = connection.remoteIp;
    req.remote_port = connection.remotePort;
    if (setup_)
        setup_(req);
    httplib::Response res;
    if (preRouting_ && preRouting_(req, res) == HandlerResponse::Handled)
        return false; // refused: a worker refuses it the same way, and reads no body
    std::optional<InlineReply> reply;
    for (const InlineResponder& responder : inlineResponders_)
        if ((reply = responder(req)))
            break;
    if (!reply)
        return false;

    res.status = 200;
    res.headers = defaultHeaders_;
    for (const auto& [name, value] : reply->headers)
        res.set_header(name, value);
    res.set_header("Content-Type", reply->contentType);
    const std::size_t bodyBytes = reply->file ? reply->file->size : reply->body.size();
    res.set_header("Content-Length", std::to_string(bodyBytes));
    res.set_header("Keep-Alive", "timeout=" + std::to_string(keep_alive_timeout_sec_) +
                                     ", max=" + std::to_string(keep_alive_max_count_));
    if (postRouting_)
        postRouting_(req, res);
    LoopReply& out = connection.reply;
    out.head = "HTTP/1.1 200 OK\r\n";
    for (const auto& [name, value] : res.headers)
        out.head.append(name).append(": ").append(value).append("\r\n");
    out.head.append("\r\n").append(reply->body);
    if (reply->file && bodyBytes > 0) {
        out.fileFd = reply->file->fd;
        out.fileBytes = bodyBytes;
        out.keep = reply->file;
    }
    connection.buffer.erase(0, head.headBytes);
    if (requestLogger_) {
        res.body = std::move(reply->body); // logged as its size, as httplib's answer would be
        requestLogger_(req, res);
    }
    return true;
}

EventHub& eventHubOf(httplib::Server& server) {
    return dynamic_cast<ConnectionServer&>(server).events();
}

void addInlineResponder(httplib::Server& server, InlineResponder responder) {
    dynamic_cast<ConnectionServer&>(server).addInlineResponder(std::move(responder));
}

} // namespace reelgate::server::http
