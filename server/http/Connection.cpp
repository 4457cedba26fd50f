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
// Upgrading httplib: read the new version's Server::process_request, listen_internal,
// write_response_core, write_content_without_length, read_headers/parse_header and
// SocketStream; check each point above (in particular whether header values are still
// percent-decoded, whether LF-only lines are still skipped, and whether process_request still
// reads the head through Stream::read); run tst_httpconnection and tst_serverlifecycle; then
// widen the accepted range in server/CMakeLists.txt.

#include "http/Connection.h"

#include "common/Log.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>

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
}

bool ConnectionServer::serve(const LoopSettings& settings) {
    // httplib listens with a backlog of 5: thousands of viewers connecting at once would wait
    // for SYN retransmits. listen() again only resizes the queue.
    ::listen(svr_sock_, kListenBacklog);
    EventLoop loop(
        svr_sock_, settings, [this, &loop](ClientConnection& c) { return serveRequest(c, loop); },
        hub_);
    {
        std::lock_guard lock(loopMutex_);
        if (stopRequested_)
            return true;
        loop_ = &loop;
    }
    serving_ = true;
    const bool ok = loop.run();
    serving_ = false;
    std::lock_guard lock(loopMutex_);
    loop_ = nullptr;
    return ok;
}

void ConnectionServer::stopServing() {
    std::lock_guard lock(loopMutex_);
    stopRequested_ = true;
    // Content providers (e.g. a long download) watch svr_sock_ to give up on stop.
    const socket_t listener = svr_sock_.exchange(INVALID_SOCKET);
    if (loop_)
        loop_->stop();
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
    if (park.requested && ok) {
        connection.streamKey = park.key;
        connection.streamStillValid = std::move(park.stillValid);
        return ClientConnection::After::Stream;
    }
    const bool bodyRead = !head.chunked && stream.consumed() >= head.headBytes + head.contentLength;
    if (connection.peerClosed)
        return ClientConnection::After::Close;
    if (!ok || closed || last || tCloseAfterResponse || !bodyRead)
        return ClientConnection::After::Linger;
    return ClientConnection::After::KeepAlive;
}

EventHub& eventHubOf(httplib::Server& server) {
    return dynamic_cast<ConnectionServer&>(server).events();
}

} // namespace reelgate::server::http
