// Limits on open event streams (GET /api/me/events), from raw sockets: a user's next stream
// beyond --event-streams-per-user ends their oldest one (which is told `stream_limit`), so
// forgotten tabs or a script cannot pile up descriptors; past --max-event-streams in all, a
// new stream is refused with a clear 503 JSON answer, and accepted again once one closes.

#include "Eventually.h"
#include "Marketplace.h"
#include "RawClient.h"

#include <QJsonObject>
#include <QTest>

#include <memory>
#include <vector>

using namespace reelgate::test;

namespace {

bool opened(RawClient& stream) {
    return stream.readUntil([](const QByteArray& b) { return b.contains("event: ready\n"); })
        .contains("event: ready\n");
}

} // namespace

class TestEventStreams : public QObject {
    Q_OBJECT

    Marketplace market_;
    QByteArray alice_;
    QByteArray bob_;

    std::unique_ptr<RawClient> openStream(const QByteArray& token) {
        auto stream = std::make_unique<RawClient>(market_.server().baseUrl());
        if (stream->connected())
            stream->send("GET /api/me/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                         token + "\r\n\r\n");
        return stream;
    }
    int ping(const QByteArray& token) {
        const auto r =
            ServerProcess::request("POST", market_.server().baseUrl() + "/api/me/events/ping", {},
                                   {{"Authorization", "Bearer " + token}});
        return r.status == 200 ? r.json().object().value("delivered").toInt() : -1;
    }

private slots:
    void initTestCase() {
        QVERIFY2(market_.start({"--event-streams-per-user", "3", "--max-event-streams", "5"}),
                 qPrintable(market_.server().log()));
        QVERIFY(market_.signUp("alice"));
        QVERIFY(market_.signUp("bob"));
        alice_ = market_.token("alice");
        bob_ = market_.token("bob");
        QVERIFY(!alice_.isEmpty() && !bob_.isEmpty());
    }

    void aUsersNextStreamEndsTheirOldest() {
        std::vector<std::unique_ptr<RawClient>> streams;
        for (int i = 0; i < 3; ++i) {
            streams.push_back(openStream(alice_));
            QVERIFY(opened(*streams.back()));
        }
        QCOMPARE(ping(alice_), 3);
        streams.push_back(openStream(alice_));
        QVERIFY(opened(*streams.back()));
        const QByteArray oldest = streams[0]->readUntil(
            [](const QByteArray& b) { return b.contains("event: stream_limit\n"); });
        QVERIFY2(oldest.contains("event: stream_limit\n"), oldest.constData());
        QVERIFY(streams[0]->closedByServer());
        QVERIFY(eventually([&] { return ping(alice_) == 3; }));
        // The three newest are the ones still open.
        for (std::size_t i = 1; i < streams.size(); ++i) {
            const QByteArray got = streams[i]->readUntil(
                [](const QByteArray& b) { return b.contains("event: ping\n"); });
            QVERIFY2(got.contains("event: ping\n") && !got.contains("stream_limit"),
                     got.constData());
        }
    }

    void streamsPastTheOverallCapAre503() {
        QVERIFY(eventually([&] { return ping(alice_) == 0; })); // the last test's streams closed
        std::vector<std::unique_ptr<RawClient>> alice;
        for (int i = 0; i < 3; ++i) {
            alice.push_back(openStream(alice_));
            QVERIFY(opened(*alice.back()));
        }
        QCOMPARE(ping(alice_), 3); // a stream that said `ready` hears every event after it
        std::vector<std::unique_ptr<RawClient>> bob;
        for (int i = 0; i < 2; ++i) {
            bob.push_back(openStream(bob_));
            QVERIFY(opened(*bob.back()));
        }
        auto refused = openStream(bob_);
        const QByteArray answer = refused->response();
        QCOMPARE(statusOf(answer), 503);
        QCOMPARE(errorOf(answer).value("code").toString(), QString("too_many_streams"));
        QVERIFY(!headerOf(answer, "Retry-After").isEmpty());
        QVERIFY(!answer.contains("event: ready"));
        QCOMPARE(ping(bob_), 2);

        alice.pop_back(); // a tab closes: its place is free again
        QVERIFY(eventually([&] {
            auto again = openStream(bob_);
            const QByteArray head =
                again->readUntil([](const QByteArray& b) { return b.contains("\r\n\r\n"); });
            if (statusOf(head) != 200)
                return false;
            bob.push_back(std::move(again));
            return true;
        }));
        QVERIFY(opened(*bob.back()));
        QCOMPARE(ping(bob_), 3);
    }
};

QTEST_GUILESS_MAIN(TestEventStreams)
#include "tst_eventstreams.moc"
