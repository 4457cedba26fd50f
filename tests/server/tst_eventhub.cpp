// The event hub on its own, over socket pairs (the far end is the page's EventSource): a stream
// that joins while its worker still writes the reply's first bytes gets every event published
// from the moment it joined, after those bytes and in order, once the event loop takes it over;
// a joining stream whose backlog overflows is refused (the page reconnects); one that is removed
// while joining is never written to.

#include "http/ClientConnection.h"
#include "http/EventHub.h"

#include <QtTest>

#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <string>

using reelgate::server::http::ClientConnection;
using reelgate::server::http::EventHub;

namespace {

// A connection whose socket's far end the test reads.
struct Pair {
    ClientConnection connection;
    int page = -1;
    explicit Pair(std::int64_t key) {
        int fds[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) == 0) {
            connection.fd = fds[0];
            page = fds[1];
        }
        connection.streamKey = key;
    }
    ~Pair() {
        ::close(connection.fd);
        ::close(page);
    }
    // Everything the page can read now.
    std::string read() const {
        std::string got;
        char buf[4096];
        for (ssize_t n; (n = ::recv(page, buf, sizeof buf, 0)) > 0;)
            got.append(buf, static_cast<std::size_t>(n));
        return got;
    }
};

constexpr const char* kReady = "event: ready\ndata: {}\n\n";

} // namespace

class TestEventHub : public QObject {
    Q_OBJECT

private slots:
    void eventsPublishedWhileJoiningFollowTheFirstBytesInOrder() {
        EventHub hub;
        Pair stream(7);
        QVERIFY(stream.page >= 0);
        hub.join(stream.connection);
        QCOMPARE(hub.publish(7, "ping", "{\"n\":1}"), std::size_t(1));
        QCOMPARE(hub.publish(8, "ping", "{}"), std::size_t(0)); // another user's
        QCOMPARE(hub.publish(7, "ping", "{\"n\":2}"), std::size_t(1));
        // The worker's own bytes go out first; the kept events wait for the loop.
        QVERIFY(::send(stream.connection.fd, kReady, std::strlen(kReady), 0) > 0);
        QCOMPARE(stream.read(), std::string(kReady));
        QVERIFY(hub.add(stream.connection));
        QCOMPARE(stream.read(),
                 std::string("event: ping\ndata: {\"n\":1}\n\nevent: ping\ndata: {\"n\":2}\n\n"));
        QCOMPARE(hub.publish(7, "ping", "{\"n\":3}"), std::size_t(1));
        QCOMPARE(stream.read(), std::string("event: ping\ndata: {\"n\":3}\n\n"));
        QCOMPARE(hub.streamCount(), std::size_t(1));
        hub.remove(stream.connection);
        QCOMPARE(hub.publish(7, "ping", "{}"), std::size_t(0));
    }

    // A page that has read `ready` counts against the total at once, before its loop takes
    // the stream over: the next stream past the cap is refused (503), never let in.
    void aJoiningStreamCountsAgainstTheTotal() {
        EventHub hub;
        hub.setLimits(8, 2);
        Pair first(7), second(8);
        hub.join(first.connection);
        QVERIFY(hub.add(first.connection));
        QVERIFY(!hub.full());
        hub.join(second.connection);
        QVERIFY(hub.full());
        QVERIFY(hub.add(second.connection));
        QVERIFY(hub.full());
        hub.remove(first.connection);
        QVERIFY(!hub.full());
    }

    void aJoiningStreamWhoseBacklogOverflowsIsRefused() {
        EventHub hub;
        Pair stream(7);
        hub.join(stream.connection);
        const std::string big(1000, 'x');
        std::size_t taken = 0;
        for (int i = 0; i < 100; ++i)
            taken += hub.publish(7, "ping", big);
        QVERIFY(taken > 0 && taken < 100);
        QVERIFY(!hub.add(stream.connection)); // the loop closes it; the page reconnects
        QCOMPARE(hub.streamCount(), std::size_t(0));
        QCOMPARE(stream.read(), std::string());
    }

    void aStreamRemovedWhileJoiningIsNeverWrittenTo() {
        EventHub hub;
        Pair stream(7);
        hub.join(stream.connection);
        hub.remove(stream.connection); // its reply failed
        QCOMPARE(hub.publish(7, "ping", "{}"), std::size_t(0));
        QCOMPARE(stream.read(), std::string());
    }
};

QTEST_GUILESS_MAIN(TestEventHub)
#include "tst_eventhub.moc"
