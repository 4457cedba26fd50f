#include "http/Connection.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>

namespace reelgate::server::http {
namespace {

thread_local const FileRegion* tRegion = nullptr;
thread_local bool tCorkResponse = false;

// How often a waiting connection looks whether the server is stopping.
constexpr int kStopCheckMs = 50;

int toMillis(time_t sec, time_t usec) {
    return static_cast<int>(sec * 1000 + usec / 1000);
}

// Waits up to `ms` for `events` on the socket; true when ready (or hung up: the next read or
// write then reports it).
bool waitFor(socket_t sock, short events, int ms) {
    pollfd p{sock, events, 0};
    for (;;) {
        const int n = ::poll(&p, 1, ms);
        if (n >= 0)
            return n > 0;
        if (errno != EINTR)
            return false;
    }
}

void addressOf(socket_t sock, bool peer, std::string& ip, int& port) {
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

// One client connection, alive across its keep-alive requests.
class SocketConnection final : public httplib::Stream {
public:
    // `listener` turns INVALID_SOCKET when the server stops: waits for the client end then.
    SocketConnection(socket_t sock, const std::atomic<socket_t>& listener, int readTimeoutMs,
                     int writeTimeoutMs)
        : sock_(sock)
        , listener_(listener)
        , readTimeoutMs_(readTimeoutMs)
        , writeTimeoutMs_(writeTimeoutMs) {}

    bool is_readable() const override { return buffered() > 0 || waitReadable(readTimeoutMs_); }
    bool is_writable() const override { return waitFor(sock_, POLLOUT, writeTimeoutMs_); }

    ssize_t read(char* ptr, std::size_t size) override {
        if (buffered() == 0) {
            if (!waitReadable(readTimeoutMs_))
                return -1;
            if (size >= buffer_.size()) // large reads (request bodies) skip the buffer
                return receive(ptr, size);
            const ssize_t n = receive(buffer_.data(), buffer_.size());
            if (n <= 0)
                return n;
            begin_ = 0;
            end_ = static_cast<std::size_t>(n);
        }
        const std::size_t n = std::min(size, buffered());
        std::memcpy(ptr, buffer_.data() + begin_, n);
        begin_ += n;
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
            const ssize_t n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
            if (n >= 0 || errno != EINTR)
                return n; // EAGAIN here means SO_SNDTIMEO passed with nothing sent
        }
    }

    // httplib asks for both on every request; a connection's addresses never change.
    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        if (remotePort_ < 0)
            addressOf(sock_, true, remoteIp_, remotePort_);
        ip = remoteIp_;
        port = remotePort_;
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        if (localPort_ < 0)
            addressOf(sock_, false, localIp_, localPort_);
        ip = localIp_;
        port = localPort_;
    }
    socket_t socket() const override { return sock_; }

    // Waits for the next request of a kept-alive connection: true when bytes are there, false
    // when the client stayed idle for `idleMs` or the server is stopping.
    bool awaitRequest(int idleMs) const { return buffered() > 0 || waitReadable(idleMs); }

    // Sends what a corked response left in the socket (called when the response is complete).
    void flush() {
        if (corked_)
            setCork(false);
    }

private:
    std::size_t buffered() const { return end_ - begin_; }

    // Like waitFor(POLLIN), in short slices so that a stopping server is not held up by a
    // client that keeps its connection open (idle, or pausing in the middle of a body).
    bool waitReadable(int ms) const {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
        while (listener_ != INVALID_SOCKET) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  deadline - std::chrono::steady_clock::now())
                                  .count();
            if (waitFor(sock_, POLLIN,
                        static_cast<int>(std::clamp<long long>(left, 0, kStopCheckMs))))
                return true;
            if (left <= kStopCheckMs)
                return false;
        }
        return false;
    }

    void setCork(bool on) {
        const int value = on ? 1 : 0;
        ::setsockopt(sock_, IPPROTO_TCP, TCP_CORK, &value, sizeof value);
        corked_ = on;
    }

    ssize_t receive(char* ptr, std::size_t size) {
        for (;;) {
            const ssize_t n = ::recv(sock_, ptr, size, 0);
            if (n >= 0 || errno != EINTR)
                return n;
        }
    }

    ssize_t sendFromFile(const FileRegion& region, off_t offset, std::size_t size) {
        for (;;) {
            const ssize_t n = ::sendfile(sock_, region.fd(), &offset, size);
            if (n > 0)
                return n;
            if (n == 0)
                return -1; // the file is shorter than its mapping said: never loop on it
            if (errno == EINTR)
                continue;
            if (errno == EINVAL || errno == ENOSYS) // no sendfile for this pair: copy instead
                return ::send(sock_, region.data() + offset, size, MSG_NOSIGNAL);
            return -1;
        }
    }

    socket_t sock_;
    const std::atomic<socket_t>& listener_;
    int readTimeoutMs_;
    int writeTimeoutMs_;
    std::array<char, 4096> buffer_{};
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
    bool corked_ = false;
    mutable std::string remoteIp_;
    mutable int remotePort_ = -1;
    mutable std::string localIp_;
    mutable int localPort_ = -1;
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

bool ConnectionServer::process_and_close_socket(socket_t sock) {
    // A blocking socket whose sends give up after the write timeout (a client that stops reading
    // cannot hold a worker forever); reads wait with poll under the read timeout.
    timeval sendTimeout{};
    sendTimeout.tv_sec = write_timeout_sec_;
    sendTimeout.tv_usec = static_cast<suseconds_t>(write_timeout_usec_);
    ::setsockopt(sock, SOL_SOCKET, SO_SNDTIMEO, &sendTimeout, sizeof sendTimeout);

    SocketConnection connection(sock, svr_sock_, toMillis(read_timeout_sec_, read_timeout_usec_),
                                toMillis(write_timeout_sec_, write_timeout_usec_));
    const int idleMs = toMillis(keep_alive_timeout_sec_, 0);
    bool ok = false;
    for (std::size_t left = keep_alive_max_count_; left > 0 && connection.awaitRequest(idleMs);
         --left) {
        bool closed = false;
        tCorkResponse = false;
        ok = process_request(connection, left == 1, closed, setup_);
        connection.flush();
        if (!ok || closed)
            break;
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return ok;
}

} // namespace reelgate::server::http
