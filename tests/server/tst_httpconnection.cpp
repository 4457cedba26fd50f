// The HTTP connection layer seen from a raw socket, as an attacker or a slow network sees it:
// request framing (a refused body is never parsed as the next request), bodies refused before
// they are read, text checks at the edge, head limits, ranges, slow and idle connections,
// stopping with thousands of parked connections, and the event stream (/api/me/events).

#include "Marketplace.h"
#include "RawClient.h"
#include "ServerProcess.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QTest>
#include <QUuid>

#include <sys/resource.h>

#include <csignal>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <vector>

using reelgate::test::errorOf;
using reelgate::test::headerOf;
using reelgate::test::Marketplace;
using reelgate::test::RawClient;
using reelgate::test::ServerProcess;
using reelgate::test::serverReachable;
using reelgate::test::statusOf;

namespace {

qint64 rssKiB(qint64 pid) {
    QFile status(QString("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

void raiseDescriptorLimit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

const QByteArray kHealth = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

} // namespace

class TestHttpConnection : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    Marketplace market_;

    QString base() { return market_.server().baseUrl(); }

    // The server still answers a fresh connection (it did not abort or wedge).
    void expectAlive() {
        RawClient probe(base());
        QVERIFY(probe.connected());
        QVERIFY(probe.send(kHealth));
        QCOMPARE(statusOf(probe.response()), 200);
    }

private slots:
    void initTestCase() {
        raiseDescriptorLimit();
        QVERIFY2(market_.start({"--idle-timeout", "2", "--head-timeout", "5", "--event-recheck",
                                "1", "--event-streams-per-user", "100"}),
                 qPrintable(market_.server().log()));
        QVERIFY(market_.signUp("viewer"));
    }

    // A request refused before its body was read (unknown route, too large, anonymous upload,
    // a GET carrying a body) ends its connection: the body, here a hidden second request, is
    // never answered.
    void refusedBodyIsNeverParsedAsTheNextRequest_data() {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<int>("status");
        const QByteArray hidden = kHealth;
        const QByteArray length = "Content-Length: " + QByteArray::number(hidden.size()) + "\r\n";
        QTest::newRow("GET with a body")
            << "GET /no/such/page HTTP/1.1\r\nHost: x\r\n" + length << 404;
        QTest::newRow("too large") << QByteArray("POST /api/auth/login HTTP/1.1\r\nHost: x\r\n"
                                                 "Content-Length: 5000000\r\n")
                                   << 413;
        QTest::newRow("anonymous upload")
            << QByteArray("PATCH /api/uploads/AAAAAAAAAAAAAAAAAAAA HTTP/1.1\r\nHost: x\r\n"
                          "Content-Type: application/offset+octet-stream\r\n"
                          "Tus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\nContent-Length: 5000000\r\n")
            << 401;
        QTest::newRow("chunked to a small route")
            << QByteArray("POST /api/auth/login HTTP/1.1\r\nHost: x\r\n"
                          "Transfer-Encoding: chunked\r\n")
            << 411;
    }
    void refusedBodyIsNeverParsedAsTheNextRequest() {
        QFETCH(QByteArray, head);
        QFETCH(int, status);
        RawClient client(base());
        QVERIFY(client.connected());
        QVERIFY(client.send(head + "\r\n" + kHealth));
        const QByteArray first = client.response();
        QCOMPARE(statusOf(first), status);
        QVERIFY2(client.closedByServer(), client.pending().constData());
        QVERIFY2(!client.pending().contains("HTTP/1.1 200"), client.pending().constData());
    }

    // Framing that two parsers could read differently is refused, and the connection closed.
    void ambiguousFramingIsRefused_data() {
        QTest::addColumn<QByteArray>("headers");
        QTest::newRow("length and chunked")
            << QByteArray("Content-Length: 4\r\nTransfer-Encoding: chunked\r\n");
        QTest::newRow("two lengths") << QByteArray("Content-Length: 4\r\nContent-Length: 40\r\n");
        QTest::newRow("same length twice")
            << QByteArray("Content-Length: 4\r\nContent-Length: 4\r\n");
        QTest::newRow("length not a number") << QByteArray("Content-Length: 4x\r\n");
        QTest::newRow("length with sign") << QByteArray("Content-Length: +4\r\n");
        QTest::newRow("encoded length") << QByteArray("Content-Length: %34\r\n");
        QTest::newRow("space before colon") << QByteArray("Content-Length : 4\r\n");
        QTest::newRow("other coding") << QByteArray("Transfer-Encoding: gzip, chunked\r\n");
        QTest::newRow("bare LF line") << QByteArray("X-A: b\nContent-Length: 4\r\n");
        QTest::newRow("folded line") << QByteArray("X-A: b\r\n  Content-Length: 4\r\n");
    }
    void ambiguousFramingIsRefused() {
        QFETCH(QByteArray, headers);
        RawClient client(base());
        QVERIFY(client.connected());
        QVERIFY(client.send("POST /api/auth/login HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n" +
                            "{}\r\n" + kHealth));
        const QByteArray first = client.response();
        QCOMPARE(statusOf(first), 400);
        QCOMPARE(errorOf(first).value("code").toString(), QString("bad_request"));
        QVERIFY2(client.closedByServer(), client.pending().constData());
        QVERIFY2(!client.pending().contains("HTTP/1.1 200"), client.pending().constData());
    }

    // A request with neither Content-Length nor Transfer-Encoding has an empty body (RFC 9112
    // 6.3): it is answered at once, and what follows on the connection is the next request,
    // not a body read until the client hangs up.
    void aRequestWithoutLengthHasAnEmptyBody() {
        RawClient client(base());
        QVERIFY(client.connected());
        QVERIFY(client.send("POST /api/auth/login HTTP/1.1\r\nHost: x\r\n\r\n" + kHealth));
        const QByteArray first = client.response();
        QVERIFY2(statusOf(first) >= 400 && statusOf(first) < 500, first.constData());
        QVERIFY2(!errorOf(first).value("code").toString().isEmpty(), first.constData());
        const QByteArray second = client.response();
        QCOMPARE(statusOf(second), 200);
    }

    // An anonymous client announcing 400 MiB to an upload address gets its refusal at once,
    // without sending the body, and the server does not grow by what it announced.
    void largeBodiesAreRefusedBeforeTheyAreRead_data() {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<int>("status");
        QTest::newRow("upload of nobody") << QByteArray("/api/uploads/AAAAAAAAAAAAAAAAAAAA") << 401;
        QTest::newRow("under the upload prefix") << QByteArray("/api/uploads/x/y") << 413;
        QTest::newRow("trace of nobody") << QByteArray("/api/admin/traces") << 401;
    }
    void largeBodiesAreRefusedBeforeTheyAreRead() {
        QFETCH(QByteArray, path);
        QFETCH(int, status);
        const qint64 pid = market_.server().pid();
        const qint64 before = rssKiB(pid);
        RawClient client(base());
        QVERIFY(client.connected());
        const QByteArray method = path.contains("traces") ? "POST" : "PATCH";
        QVERIFY(client.send(method + " " + path +
                            " HTTP/1.1\r\nHost: x\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n"
                            "Content-Type: application/offset+octet-stream\r\n"
                            "Content-Length: 419430400\r\n\r\n"));
        // Some body goes out too, as a client would send before it reads: 8 MiB of it.
        const QByteArray chunk(1 << 20, 'x');
        for (int i = 0; i < 8 && client.send(chunk); ++i) {
        }
        const QByteArray answer = client.response();
        QCOMPARE(statusOf(answer), status);
        QVERIFY(client.closedByServer());
        QVERIFY2(rssKiB(pid) - before < 64 * 1024,
                 qPrintable(QString("RSS grew by %1 KiB").arg(rssKiB(pid) - before)));
        expectAlive();
    }

    // Text that is not UTF-8, or carries control characters, in the path, the query or any
    // header is refused at the edge with a JSON 400 that does not echo the bytes; the server
    // keeps serving (these used to answer 500 or abort the process).
    void nonTextIsRefusedAtTheEdge_data() {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<QString>("names");
        QTest::newRow("query") << QByteArray("GET /healthz?q=%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n")
                               << "'q'";
        QTest::newRow("query NUL") << QByteArray("GET /healthz?login=a%00b HTTP/1.1\r\nHost: "
                                                 "x\r\n\r\n")
                                   << "'login'";
        QTest::newRow("path") << QByteArray("GET /static/%ff%fe.css HTTP/1.1\r\nHost: x\r\n\r\n")
                              << "path";
        QTest::newRow("idempotency key")
            << QByteArray("POST /api/wallet/deposits HTTP/1.1\r\nHost: x\r\n"
                          "Idempotency-Key: \xff\xfe\r\nContent-Length: 0\r\n\r\n")
            << "'Idempotency-Key'";
        QTest::newRow("upload metadata")
            << QByteArray("POST /api/uploads HTTP/1.1\r\nHost: x\r\nTus-Resumable: 1.0.0\r\n"
                          "Upload-Length: 10\r\nUpload-Metadata: filename \xff\xfe\x01\r\n"
                          "Content-Length: 0\r\n\r\n")
            << "'Upload-Metadata'";
        QTest::newRow("encoded control in a header")
            << QByteArray("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Note: a%0d%0ab\r\n\r\n")
            << "'X-Note'";
    }
    void nonTextIsRefusedAtTheEdge() {
        QFETCH(QByteArray, request);
        QFETCH(QString, names);
        RawClient client(base());
        QVERIFY(client.connected());
        QVERIFY(client.send(request + kHealth));
        const QByteArray answer = client.response();
        QCOMPARE(statusOf(answer), 400);
        const QJsonObject error = errorOf(answer);
        QCOMPARE(error.value("code").toString(), QString("invalid_text"));
        QVERIFY2(error.value("message").toString().contains(names),
                 qPrintable(error.value("message").toString()));
        QVERIFY(!answer.contains("\xff\xfe"));
        QVERIFY(client.closedByServer());
        expectAlive();
    }

    void tooLargeHeadsAre431_data() {
        QTest::addColumn<QByteArray>("headers");
        QByteArray many;
        for (int i = 0; i < 5000; ++i)
            many += "X-H" + QByteArray::number(i) + ": v\r\n";
        QTest::newRow("5000 headers") << many;
        QTest::newRow("one 20 KiB header") << "X-Big: " + QByteArray(20 * 1024, 'a') + "\r\n";
    }
    void tooLargeHeadsAre431() {
        QFETCH(QByteArray, headers);
        RawClient client(base());
        QVERIFY(client.connected());
        client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n");
        const QByteArray answer = client.response();
        QCOMPARE(statusOf(answer), 431);
        QVERIFY(client.closedByServer());
    }

    // A range past the end is 416 with the size (it was 206 with a 2^64-10 byte length); an
    // end past the size is cut to the size; a satisfiable range still works.
    void rangesPastTheEnd() {
        const QString css = QDir(REELGATE_SOURCE_DIR "/resources/web/static/css")
                                .entryList({"*.css"}, QDir::Files)
                                .value(0);
        QVERIFY(!css.isEmpty());
        QFile file(REELGATE_SOURCE_DIR "/resources/web/static/css/" + css);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray content = file.readAll();
        const QByteArray path = "/static/css/" + css.toUtf8();
        const QByteArray size = QByteArray::number(content.size());
        RawClient client(base());
        QVERIFY(client.connected());
        client.send("GET " + path + " HTTP/1.1\r\nHost: x\r\nRange: bytes=" +
                    QByteArray::number(content.size() + 10) + "-\r\n\r\n");
        const QByteArray past = client.response();
        QCOMPARE(statusOf(past), 416);
        QCOMPARE(headerOf(past, "Content-Range"), "bytes */" + size);
        client.send("GET " + path + " HTTP/1.1\r\nHost: x\r\nRange: bytes=2-99999999\r\n\r\n");
        const QByteArray clamped = client.response();
        QCOMPARE(statusOf(clamped), 206);
        QCOMPARE(headerOf(clamped, "Content-Range"),
                 "bytes 2-" + QByteArray::number(content.size() - 1) + "/" + size);
        QCOMPARE(clamped.mid(clamped.indexOf("\r\n\r\n") + 4), content.mid(2));
        client.send("GET " + path + " HTTP/1.1\r\nHost: x\r\nRange: bytes=0-3\r\n\r\n");
        const QByteArray first = client.response();
        QCOMPARE(statusOf(first), 206);
        QCOMPARE(first.mid(first.indexOf("\r\n\r\n") + 4), content.left(4));
    }

    // Segments (FileResponse, sent with sendfile) answer ranges the same way.
    void segmentRangesPastTheEnd() {
        QVERIFY(market_.signUp("maker", true));
        const QString video = market_.publish("maker", "Ranged", "1.00", "USD", 0);
        QVERIFY(!video.isEmpty());
        QVERIFY(market_.credit("viewer", "5", "USD"));
        auto* viewer = market_.client("viewer");
        QCOMPARE(viewer
                     ->send("POST", "/api/videos/" + video + "/purchase", {}, {},
                            {{"Idempotency-Key", QUuid::createUuid().toByteArray()}})
                     .status,
                 201);
        const auto started = viewer->send("POST", "/api/videos/" + video + "/play", {}, {});
        const QString session = started.json().object()["session"].toObject()["id"].toString();
        QVERIFY2(!session.isEmpty(), started.body.constData());
        const QByteArray request = "GET /play/" + session.toLatin1() +
                                   "/360p/0.ts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                   market_.token("viewer") + "\r\n";
        RawClient client(base());
        QVERIFY(client.connected());
        client.send(request + "\r\n");
        const QByteArray whole = client.response();
        QCOMPARE(statusOf(whole), 200);
        const QByteArray content = whole.mid(whole.indexOf("\r\n\r\n") + 4);
        const QByteArray size = QByteArray::number(content.size());
        client.send(request + "Range: bytes=" + QByteArray::number(content.size() + 10) +
                    "-\r\n\r\n");
        const QByteArray past = client.response();
        QCOMPARE(statusOf(past), 416);
        QCOMPARE(headerOf(past, "Content-Range"), "bytes */" + size);
        client.send(request + "Range: bytes=5-999999999\r\n\r\n");
        const QByteArray clamped = client.response();
        QCOMPARE(statusOf(clamped), 206);
        QCOMPARE(headerOf(clamped, "Content-Range"),
                 "bytes 5-" + QByteArray::number(content.size() - 1) + "/" + size);
        QCOMPARE(clamped.mid(clamped.indexOf("\r\n\r\n") + 4), content.mid(5));
    }

    // Hundreds of clients sending their headers one byte per second hold no worker: a normal
    // client is answered meanwhile.
    void slowHeaderSendersDoNotStopOthers() {
        std::vector<std::unique_ptr<RawClient>> slow;
        for (int i = 0; i < 400; ++i) {
            slow.push_back(std::make_unique<RawClient>(base()));
            QVERIFY(slow.back()->connected());
        }
        const QByteArray head = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
        for (int second = 0; second < 3; ++second) {
            for (auto& client : slow)
                client->send(head.mid(second, 1));
            QTest::qWait(1000);
        }
        RawClient normal(base());
        QVERIFY(normal.connected());
        QVERIFY(normal.send(kHealth));
        QCOMPARE(statusOf(normal.response(5000)), 200);
    }

    // A kept-alive connection with no next request is closed at its idle deadline (2 s here);
    // before that it serves the next request.
    void idleConnectionsCloseAtTheirDeadline() {
        RawClient client(base());
        QVERIFY(client.connected());
        QVERIFY(client.send(kHealth));
        QCOMPARE(statusOf(client.response()), 200);
        QVERIFY(client.send(kHealth));
        QCOMPARE(statusOf(client.response()), 200);
        QVERIFY(client.closedByServer(10000));
        QVERIFY(client.pending().isEmpty());
    }

    // A head that never completes is answered 408 at the head deadline and closed.
    void unfinishedHeadsTimeOut() {
        RawClient client(base());
        QVERIFY(client.connected());
        QVERIFY(client.send("GET /healthz HTTP/1.1\r\nHost"));
        const QByteArray answer = client.response(30000);
        QCOMPARE(statusOf(answer), 408);
        QVERIFY(client.closedByServer());
    }

    // The event stream: anonymous callers are refused; a signed-in one gets `ready`, what is
    // published for its user (a ping), then `session_revoked` once its session is signed out,
    // and the stream ends.
    void eventStreamEndsWhenTheSessionIsRevoked() {
        RawClient anonymous(base());
        QVERIFY(anonymous.connected());
        anonymous.send("GET /api/me/events HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(statusOf(anonymous.response()), 401);

        const QByteArray token = market_.token("viewer");
        QVERIFY(!token.isEmpty());
        RawClient stream(base());
        QVERIFY(stream.connected());
        stream.send("GET /api/me/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                    "\r\n\r\n");
        const QByteArray opened =
            stream.readUntil([](const QByteArray& b) { return b.contains("event: ready\n"); });
        QVERIFY2(opened.startsWith("HTTP/1.1 200"), opened.constData());
        QVERIFY(headerOf(opened, "Content-Type").startsWith("text/event-stream"));
        QVERIFY(headerOf(opened, "Content-Length").isEmpty());

        const auto ping = ServerProcess::request("POST", base() + "/api/me/events/ping", {},
                                                 {{"Authorization", "Bearer " + token}});
        QCOMPARE(ping.status, 200);
        QCOMPARE(ping.json().object().value("delivered").toInt(), 1);
        const QByteArray pinged =
            stream.readUntil([](const QByteArray& b) { return b.contains("event: ping\n"); });
        QVERIFY2(pinged.contains("event: ping\ndata: {\"sent_at_ms\":"), pinged.constData());

        const auto out = ServerProcess::request("POST", base() + "/api/auth/logout", {},
                                                {{"Authorization", "Bearer " + token}});
        QVERIFY2(out.status == 200 || out.status == 204, out.body.constData());
        const QByteArray all = stream.readUntil(
            [](const QByteArray& b) { return b.contains("event: session_revoked\n"); }, 15000);
        QVERIFY2(all.contains("event: session_revoked\n"), all.constData());
        QVERIFY(stream.closedByServer());
    }

    // Thousands of parked connections (idle, half a head, event streams) do not hold up a stop.
    void stopsPromptlyWithThousandsOfParkedConnections() {
        std::vector<std::unique_ptr<RawClient>> parked;
        for (int i = 0; i < 3000; ++i) {
            parked.push_back(std::make_unique<RawClient>(base()));
            QVERIFY(parked.back()->connected());
            if (i % 3 == 1)
                parked.back()->send("GET /healthz HTTP/1.1\r\n");
        }
        const QByteArray token = market_.token("viewer");
        for (int i = 0; i < 100; ++i)
            parked[static_cast<std::size_t>(i) * 3].get()->send(
                "GET /api/me/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                "\r\n\r\n");
        QVERIFY(parked[0]
                    ->readUntil([](const QByteArray& b) { return b.contains("ready"); })
                    .contains("ready"));
        // The condition: every parked connection is closed within a second of the
        // stop signal (deadline with a margin for a shared, loaded machine); the process then
        // also stops its database and exits cleanly.
        const auto start = std::chrono::steady_clock::now();
        QCOMPARE(::kill(static_cast<pid_t>(market_.server().pid()), SIGTERM), 0);
        const auto deadline = start + std::chrono::seconds(3);
        for (auto& client : parked) {
            const auto leftMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                                    deadline - std::chrono::steady_clock::now())
                                    .count();
            QVERIFY2(client->closedByServer(static_cast<int>(std::max<long long>(leftMs, 0))),
                     "a parked connection was still open 3 s after the stop signal");
        }
        const auto closedMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::steady_clock::now() - start)
                                  .count();
        QCOMPARE(market_.server().waitForExit(20000), 0);
        const auto exitedMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::steady_clock::now() - start)
                                  .count();
        qInfo("stop with 3000 parked connections: all closed after %lld ms, exit (database "
              "included) after %lld ms",
              static_cast<long long>(closedMs), static_cast<long long>(exitedMs));
    }
};

QTEST_GUILESS_MAIN(TestHttpConnection)
#include "tst_httpconnection.moc"
