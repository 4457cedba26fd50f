#pragma once
// Our own connection loop under cpp-httplib (Debian's 0.11.4 builds its socket stream into the
// shared library and gives handlers no socket, so a response body could only be copied through
// user space). ConnectionServer replaces httplib's per-connection loop; requests are still
// parsed, routed and answered by httplib. What it adds:
//  - file bytes go to the socket with sendfile(2): a body that FileRegion announces (see
//    FileResponse) is sent page cache -> socket, never copied through the process;
//  - one read buffer per connection (httplib's loop drops bytes a client pipelined after a
//    request), write timeouts enforced by SO_SNDTIMEO instead of a poll before every write.
// Behaviour otherwise matches httplib's loop: keep-alive up to keep_alive_max_count requests,
// idle connections closed after keep_alive_timeout, loops end within ~50 ms of stop().

#include <httplib.h>

#include <cstddef>
#include <functional>

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

class ConnectionServer : public httplib::Server {
public:
    // Runs on every parsed request before routing (e.g. to set the client address).
    void setRequestSetup(std::function<void(httplib::Request&)> setup) {
        setup_ = std::move(setup);
    }

private:
    std::function<void(httplib::Request&)> setup_;

    // httplib calls this (virtual) on a worker thread for every accepted socket.
    bool process_and_close_socket(socket_t sock) override;
};

} // namespace reelgate::server::http
