// Load client for bench_viewers.sh: many HTTP/1.1 keep-alive connections from one thread
// (epoll), as real players and pages hold them. Modes:
//   sessions HOST PORT VIDEO_ID TOKENS_FILE PER_TOKEN
//       starts PER_TOKEN playback sessions per bearer token (POST /api/videos/ID/play, 32 in
//       flight); prints "SESSION TOKEN" lines.
//   viewers HOST PORT PATHS_FILE SECONDS SEGMENT_MS
//       one connection per line of PATHS_FILE ("PREFIX SEGMENTS [TOKEN]"; SEGMENTS 0: PREFIX is
//       the whole path, the same file every time); each viewer starts
//       at a random moment of the first segment duration, then asks for PREFIX<n>.ts every
//       SEGMENT_MS, as hls.js does in steady state. Prints first-byte and whole-segment
//       latency (p50/p99/max), stalls (a segment slower than its own duration) and errors.
//   events HOST PORT N TOKEN
//       N event streams (GET /api/me/events), then one ping (POST /api/me/events/ping):
//       delivery time to every stream (p50/p99/max) and how many got it.
// Results go to stdout as "key=value" words on one line. No dependencies beyond libc.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <queue>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kHeadChunk = 4096;

double msSince(Clock::time_point t, Clock::time_point now = Clock::now()) {
    return std::chrono::duration<double, std::milli>(now - t).count();
}

int connectTo(const std::string& host, int port, bool blocking) {
    const int fd =
        ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (blocking ? 0 : SOCK_NONBLOCK), 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
    const int yes = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 &&
        errno != EINPROGRESS) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// Blocking request on a kept-alive socket; returns the body ("" on failure), status in *status.
std::string request(int fd, const std::string& text, int* status) {
    if (::send(fd, text.data(), text.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(text.size()))
        return {};
    std::string in;
    char buf[65536];
    for (;;) {
        const auto headEnd = in.find("\r\n\r\n");
        if (headEnd != std::string::npos) {
            const auto cl = in.find("Content-Length: ");
            const std::size_t length = cl < headEnd ? std::stoul(in.substr(cl + 16)) : 0;
            if (in.size() >= headEnd + 4 + length) {
                *status = std::atoi(in.c_str() + 9);
                return in.substr(headEnd + 4, length);
            }
        }
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            return {};
        in.append(buf, static_cast<std::size_t>(n));
    }
}

struct Percentiles {
    std::vector<double> values;
    std::string describe(const char* name) {
        if (values.empty())
            return std::string(name) + "_p50_ms=n/a " + name + "_p99_ms=n/a " + name +
                   "_max_ms=n/a";
        std::sort(values.begin(), values.end());
        auto at = [&](double q) {
            return values[std::min(values.size() - 1, static_cast<std::size_t>(q * values.size()))];
        };
        char out[256];
        std::snprintf(out, sizeof out, "%s_p50_ms=%.1f %s_p99_ms=%.1f %s_max_ms=%.1f", name,
                      at(0.50), name, at(0.99), name, values.back());
        return out;
    }
};

int sessions(const std::string& host, int port, const std::string& video,
             const std::string& tokensFile, int perToken) {
    std::vector<std::string> tokens;
    std::ifstream in(tokensFile);
    for (std::string t; in >> t;)
        for (int i = 0; i < perToken; ++i)
            tokens.push_back(t);
    std::vector<std::string> out(tokens.size());
    std::vector<std::thread> threads;
    const std::size_t kThreads = 32;
    for (std::size_t w = 0; w < kThreads; ++w)
        threads.emplace_back([&, w] {
            int fd = connectTo(host, port, true);
            for (std::size_t i = w; i < tokens.size(); i += kThreads) {
                int status = 0;
                const std::string body =
                    request(fd,
                            "POST /api/videos/" + video +
                                "/play HTTP/1.1\r\nHost: b\r\nAuthorization: Bearer " + tokens[i] +
                                "\r\nContent-Length: 0\r\n\r\n",
                            &status);
                const auto id = body.find("\"id\":\"");
                if (status == 201 || status == 200)
                    out[i] = body.substr(id + 6, body.find('"', id + 6) - id - 6) + " " + tokens[i];
                else
                    std::cerr << "play answered " << status << ": " << body << "\n";
            }
            ::close(fd);
        });
    for (auto& t : threads)
        t.join();
    for (const auto& line : out)
        if (!line.empty())
            std::cout << line << "\n";
    return 0;
}

struct Viewer {
    std::string prefix;
    int segments = 1;
    std::string auth;
    int fd = -1;
    int next = 0;
    Clock::time_point due{};
    Clock::time_point sent{};
    bool waiting = false; // a request is in flight
    bool gotFirstByte = false;
    int served = 0; // segments received on this viewer's current connection
    std::string head;
    long long bodyLeft = -1;
};

int viewers(const std::string& host, int port, const std::string& pathsFile, int seconds,
            int segmentMs) {
    std::vector<Viewer> all;
    std::ifstream in(pathsFile);
    for (std::string line; std::getline(in, line);) {
        std::istringstream words(line);
        Viewer v;
        std::string token;
        words >> v.prefix >> v.segments >> token;
        if (!token.empty())
            v.auth = "Authorization: Bearer " + token + "\r\n";
        all.push_back(std::move(v));
    }
    const int ep = ::epoll_create1(0);
    std::mt19937 random(42);
    const auto start = Clock::now();
    const auto end = start + std::chrono::seconds(seconds);
    const auto period = std::chrono::milliseconds(segmentMs);
    for (std::size_t i = 0; i < all.size(); ++i)
        all[i].due = start + std::chrono::milliseconds(random() % static_cast<unsigned>(segmentMs));
    // steady: every request but a connection's first (a connection's first request is where a
    // server decides the session from its database when it has not yet seen it).
    Percentiles firstByte, segment, steady;
    long long requests = 0, errors = 0, stalls = 0, bytes = 0;
    std::vector<epoll_event> events(1024);
    std::vector<char> scratch(1 << 18);
    // Viewers by the time of their next request (a viewer with a request in flight is not in
    // it: it goes back when its segment has arrived).
    using Due = std::pair<Clock::time_point, std::size_t>;
    std::priority_queue<Due, std::vector<Due>, std::greater<>> queue;
    for (std::size_t i = 0; i < all.size(); ++i)
        queue.emplace(all[i].due, i);
    std::size_t inFlight = 0;
    auto lastTimeoutCheck = start;
    auto fail = [&](Viewer& v) {
        ++errors;
        ::epoll_ctl(ep, EPOLL_CTL_DEL, v.fd, nullptr);
        ::close(v.fd);
        v.fd = -1;
        v.served = 0;
        if (v.waiting) {
            v.waiting = false;
            --inFlight;
            queue.emplace(v.due, static_cast<std::size_t>(&v - all.data()));
        }
    };
    for (;;) {
        const auto now = Clock::now();
        if (now - lastTimeoutCheck > std::chrono::seconds(1)) {
            lastTimeoutCheck = now;
            for (auto& v : all)
                if (v.waiting && msSince(v.sent, now) > 30'000)
                    fail(v);
        }
        while (!queue.empty() && queue.top().first <= now) {
            Viewer& v = all[queue.top().second];
            queue.pop();
            if (v.due >= end)
                continue;
            if (v.fd < 0) {
                v.fd = connectTo(host, port, false);
                if (v.fd < 0) {
                    ++errors;
                    v.due += period;
                    queue.emplace(v.due, static_cast<std::size_t>(&v - all.data()));
                    continue;
                }
                epoll_event ev{};
                ev.events = EPOLLIN;
                ev.data.ptr = &v;
                ::epoll_ctl(ep, EPOLL_CTL_ADD, v.fd, &ev);
            }
            const std::string path =
                v.segments > 0 ? v.prefix + std::to_string(v.next % v.segments) + ".ts" : v.prefix;
            const std::string text = "GET " + path + " HTTP/1.1\r\nHost: b\r\n" + v.auth + "\r\n";
            v.next++;
            v.sent = now;
            v.due += period;
            v.waiting = true;
            ++inFlight;
            v.gotFirstByte = false;
            v.head.clear();
            v.bodyLeft = -1;
            ++requests;
            // A fresh non-blocking connect may not be done: wait until writable, briefly.
            for (int tries = 0;; ++tries) {
                const ssize_t n = ::send(v.fd, text.data(), text.size(), MSG_NOSIGNAL);
                if (n == static_cast<ssize_t>(text.size()))
                    break;
                if (n < 0 && (errno == EAGAIN || errno == ENOTCONN) && tries < 2000) {
                    std::this_thread::sleep_for(std::chrono::microseconds(500));
                    continue;
                }
                fail(v);
                break;
            }
        }
        if (inFlight == 0 && (queue.empty() || queue.top().first >= end))
            break;
        const int n = ::epoll_wait(ep, events.data(), static_cast<int>(events.size()), 5);
        const auto at = Clock::now();
        for (int i = 0; i < n; ++i) {
            Viewer& v = *static_cast<Viewer*>(events[i].data.ptr);
            for (;;) {
                // The head is read (small reads, so little of the body is copied with it); the
                // body is only counted: MSG_TRUNC discards it in the kernel, as a player's
                // own work on the bytes is no part of what is measured (and a single client
                // thread copying 10,000 viewers' bytes would be the bottleneck itself).
                const ssize_t r =
                    v.bodyLeft < 0
                        ? ::recv(v.fd, scratch.data(), kHeadChunk, 0)
                        : ::recv(v.fd, nullptr,
                                 static_cast<std::size_t>(std::min<long long>(v.bodyLeft, 1 << 22)),
                                 MSG_TRUNC);
                if (r < 0 && errno == EAGAIN)
                    break;
                if (r <= 0 || !v.waiting) {
                    fail(v);
                    break;
                }
                if (!v.gotFirstByte) {
                    v.gotFirstByte = true;
                    firstByte.values.push_back(msSince(v.sent, at));
                }
                if (v.bodyLeft < 0) {
                    v.head.append(scratch.data(), static_cast<std::size_t>(r));
                    const auto headEnd = v.head.find("\r\n\r\n");
                    if (headEnd == std::string::npos)
                        continue;
                    if (v.head.compare(0, 12, "HTTP/1.1 200") != 0) {
                        std::cerr << "viewer got: " << v.head.substr(0, v.head.find('\r')) << "\n";
                        fail(v);
                        break;
                    }
                    const auto cl = v.head.find("Content-Length: ");
                    v.bodyLeft = cl < headEnd ? std::stoll(v.head.substr(cl + 16)) : 0;
                    const long long already = static_cast<long long>(v.head.size() - headEnd - 4);
                    v.bodyLeft -= already;
                    bytes += already;
                } else {
                    v.bodyLeft -= r;
                    bytes += r;
                }
                if (v.bodyLeft <= 0) {
                    const double took = msSince(v.sent, at);
                    segment.values.push_back(took);
                    if (v.served++ > 0)
                        steady.values.push_back(took);
                    if (took > segmentMs)
                        ++stalls;
                    v.waiting = false;
                    --inFlight;
                    queue.emplace(v.due, static_cast<std::size_t>(&v - all.data()));
                    break;
                }
            }
        }
    }
    std::cout << "viewers=" << all.size() << " requests=" << requests << " errors=" << errors
              << " stalls=" << stalls << " mbytes=" << bytes / 1000000 << " "
              << firstByte.describe("first_byte") << " " << segment.describe("segment") << " "
              << steady.describe("steady") << "\n";
    return 0;
}

int events(const std::string& host, int port, int count, const std::string& token) {
    const int ep = ::epoll_create1(0);
    std::vector<int> fds;
    std::vector<std::string> got(static_cast<std::size_t>(count));
    const std::string open =
        "GET /api/me/events HTTP/1.1\r\nHost: b\r\nAuthorization: Bearer " + token + "\r\n\r\n";
    int ready = 0, errors = 0;
    std::vector<epoll_event> evs(1024);
    char buf[4096];
    auto pump = [&](int waitMs, const char* marker, std::vector<double>* times,
                    Clock::time_point since) {
        const int n = ::epoll_wait(ep, evs.data(), static_cast<int>(evs.size()), waitMs);
        const auto at = Clock::now();
        for (int i = 0; i < n; ++i) {
            const int idx = evs[i].data.u32;
            const ssize_t r = ::recv(fds[static_cast<std::size_t>(idx)], buf, sizeof buf, 0);
            if (r <= 0)
                continue;
            std::string& text = got[static_cast<std::size_t>(idx)];
            const bool before = text.find(marker) != std::string::npos;
            text.append(buf, static_cast<std::size_t>(r));
            if (!before && text.find(marker) != std::string::npos) {
                if (times)
                    times->push_back(msSince(since, at));
                else
                    ++ready;
            }
        }
    };
    for (int i = 0; i < count; ++i) {
        const int fd = connectTo(host, port, true);
        if (fd < 0 || ::send(fd, open.data(), open.size(), MSG_NOSIGNAL) <= 0) {
            ++errors;
            continue;
        }
        ::fcntl(fd, F_SETFL, O_NONBLOCK);
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u32 = static_cast<uint32_t>(fds.size());
        fds.push_back(fd);
        ::epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
        if (i % 256 == 0)
            pump(0, "event: ready", nullptr, {});
    }
    const auto opening = Clock::now();
    while (ready < static_cast<int>(fds.size()) && msSince(opening) < 60'000)
        pump(100, "event: ready", nullptr, {});
    const int ping = connectTo(host, port, true);
    Percentiles delivery;
    const auto sent = Clock::now();
    int status = 0;
    const std::string answer =
        request(ping,
                "POST /api/me/events/ping HTTP/1.1\r\nHost: b\r\nAuthorization: Bearer " + token +
                    "\r\nContent-Length: 0\r\n\r\n",
                &status);
    while (delivery.values.size() < static_cast<std::size_t>(ready) && msSince(sent) < 30'000)
        pump(100, "event: ping", &delivery.values, sent);
    std::cout << "streams=" << ready << " open_errors=" << errors
              << " delivered=" << delivery.values.size() << " ping_status=" << status << " "
              << delivery.describe("delivery") << "\n";
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
    const std::vector<std::string> a(argv + 1, argv + argc);
    if (a.size() == 6 && a[0] == "sessions")
        return sessions(a[1], std::stoi(a[2]), a[3], a[4], std::stoi(a[5]));
    if (a.size() == 6 && a[0] == "viewers")
        return viewers(a[1], std::stoi(a[2]), a[3], std::stoi(a[4]), std::stoi(a[5]));
    if (a.size() == 5 && a[0] == "events")
        return events(a[1], std::stoi(a[2]), std::stoi(a[3]), a[4]);
    std::cerr << "usage: bench_viewers sessions|viewers|events ... (see the source)\n";
    return 2;
}
