// Playback through the real server: who may start a session (402 without a purchase), the
// per-session playlists, variant A or B of every segment chosen by the session's forensic code,
// the AES key only to its own session, other users and signed-out callers refused, the
// concurrent-stream limit (the oldest session ends), expiry, and the cache headers; a steady
// viewer is served while every worker thread waits on a slow client.

#include "ConcurrentRequests.h"
#include "Marketplace.h"

#include <reelgate/core/ForensicCode.h>
#include <reelgate/core/TardosCode.h>

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>

#include <QUuid>
#include <algorithm>

#include <memory>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

using namespace reelgate::test;
using reelgate::core::ForensicCode;

namespace {

constexpr int kSegments = 40;
// Few workers, so that a test can keep all of them waiting.
constexpr int kHttpThreads = 4;

struct Session {
    QString id;
    QString master;
    QJsonObject overlay;
};

Session play(HttpClient& client, const QString& video, int* status = nullptr) {
    const auto r = client.send("POST", "/api/videos/" + video + "/play", {}, {});
    if (status)
        *status = r.status;
    const auto body = r.json().object();
    return {body["session"].toObject()["id"].toString(),
            body["session"].toObject()["master_url"].toString(), body["overlay"].toObject()};
}

struct RawResponse {
    QByteArray head;
    QByteArray body;
};

// Reads `count` HTTP/1.1 responses (Content-Length bodies) from one connection, in order.
QList<RawResponse> readResponses(QTcpSocket& socket, int count) {
    QList<RawResponse> out;
    QByteArray buffer;
    while (out.size() < count) {
        const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
        if (headEnd >= 0) {
            const QByteArray head = buffer.left(headEnd);
            qsizetype length = 0;
            for (const QByteArray& line : head.split('\n'))
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            if (buffer.size() >= headEnd + 4 + length) {
                out.append({head, buffer.mid(headEnd + 4, length)});
                buffer.remove(0, headEnd + 4 + length);
                continue;
            }
        }
        if (!socket.waitForReadyRead(10000))
            break;
        buffer += socket.readAll();
    }
    return out;
}

} // namespace

class TestPlayback : public QObject {
    Q_OBJECT

    Marketplace market_;
    QString video_;
    QString packageDir_; // the published copy on disk

    QByteArray packageFile(const QString& relative) {
        QFile f(market_.dataDir() + "/videos/" + packageDir_ + "/" + relative);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    quint32 codeOf(const QString& session) {
        const QString hash = QString::fromLatin1(
            QCryptographicHash::hash(session.toUtf8(), QCryptographicHash::Sha256).toHex());
        return market_
            .sql("SELECT forensic_code FROM playback_sessions WHERE token_hash = '" + hash + "'")
            .toUInt();
    }

    // The variant (true = B) of segment n for a session: the video's Tardos code with the
    // session's seed (sql/0014).
    bool variantB(const QString& session, int n) {
        const QString hash = QString::fromLatin1(
            QCryptographicHash::hash(session.toUtf8(), QCryptographicHash::Sha256).toHex());
        const QString seeds = market_.sql(
            "SELECT v.forensic_seed || ' ' || s.forensic_seed FROM playback_sessions s JOIN "
            "videos v ON v.id = s.video_id WHERE s.token_hash = '" +
            hash + "'");
        const QStringList parts = seeds.split(' ');
        if (parts.size() != 2)
            return false;
        return reelgate::core::TardosCode(parts[0].toStdString()).bitB(parts[1].toStdString(), n);
    }

    bool connectToServer(QTcpSocket& socket) {
        const QUrl base(market_.server().baseUrl());
        socket.connectToHost(base.host(), static_cast<quint16>(base.port()));
        return socket.waitForConnected(10000);
    }

private slots:
    void initTestCase() {
        QVERIFY2(market_.start({"--http-threads", QString::number(kHttpThreads)}),
                 qPrintable(market_.server().log()));
        QVERIFY(market_.signUp("maker", true));
        for (const char* name : {"viewer", "other", "freeloader", "friend"})
            QVERIFY(market_.signUp(name));
        PackageOptions options;
        options.segments = kSegments;
        options.renditions = 2;
        options.encrypted = true;
        options.segmentBytes = 1500;
        video_ = market_.publish("maker", "Secret film", "2.00", "USD", 0, samplePackage(options));
        QVERIFY(!video_.isEmpty());
        packageDir_ =
            market_.sql("SELECT package_dir FROM videos WHERE public_id = '" + video_ + "'");
        for (const char* name : {"viewer", "other"}) {
            QVERIFY(market_.credit(name, "5", "USD"));
            QCOMPARE(market_.client(name)
                         ->send("POST", "/api/videos/" + video_ + "/purchase", {}, {},
                                {{"Idempotency-Key", QUuid::createUuid().toByteArray()}})
                         .status,
                     201);
        }
    }

    void startNeedsAccess() {
        HttpClient stranger(market_.server().baseUrl());
        int status = 0;
        play(stranger, video_, &status);
        QCOMPARE(status, 401);
        const auto unpaid =
            market_.client("freeloader")->send("POST", "/api/videos/" + video_ + "/play", {}, {});
        QCOMPARE(unpaid.status, 402);
        QCOMPARE(errorCode(unpaid), QString("payment_required"));
        play(*market_.client("viewer"), "nosuchvideo0", &status);
        QCOMPARE(status, 404);
        // The creator and an allowlisted friend watch without buying.
        play(*market_.client("maker"), video_, &status);
        QCOMPARE(status, 201);
        QCOMPARE(market_.client("maker")
                     ->send("PUT", "/api/videos/" + video_ + "/allowlist",
                            R"({"usernames":["friend"]})", "application/json")
                     .status,
                 200);
        play(*market_.client("friend"), video_, &status);
        QCOMPARE(status, 201);
    }

    void sessionServesItsOwnVariants() {
        HttpClient& viewer = *market_.client("viewer");
        int status = 0;
        const Session s = play(viewer, video_, &status);
        QCOMPARE(status, 201);
        QCOMPARE(s.master, "/play/" + s.id + "/master.m3u8");
        QCOMPARE(s.overlay["username"].toString(), QString("viewer"));
        QVERIFY(s.overlay.contains("interval_ms") && s.overlay.contains("template"));

        const auto master = viewer.get(s.master);
        QCOMPARE(master.status, 200);
        QCOMPARE(master.header("Cache-Control"), QByteArray("private, no-store"));
        QVERIFY(master.header("Content-Type").startsWith("application/vnd.apple.mpegurl"));
        QVERIFY2(master.body.contains("\n240p/index.m3u8\n") &&
                     master.body.contains("\n360p/index.m3u8\n"),
                 master.body.constData());
        const auto media = viewer.get("/play/" + s.id + "/360p/index.m3u8");
        QCOMPARE(media.status, 200);
        QCOMPARE(media.header("Cache-Control"), QByteArray("private, no-store"));
        QVERIFY(media.body.contains("#EXT-X-MEDIA-SEQUENCE:0\n"));
        QVERIFY(media.body.contains("URI=\"../key\""));
        QVERIFY(media.body.contains("\n0.ts\n") && !media.body.contains("a/0.ts") &&
                !media.body.contains("b/"));

        const auto key = viewer.get("/play/" + s.id + "/key");
        QCOMPARE(key.status, 200);
        QCOMPARE(key.body, packageFile("key.bin"));
        QCOMPARE(key.header("Cache-Control"), QByteArray("private, no-store"));

        // Every segment is the A or the B file, exactly as the session's code says.
        int bs = 0;
        for (int n = 0; n < kSegments; ++n) {
            const auto segment = viewer.get(QString("/play/%1/360p/%2.ts").arg(s.id).arg(n));
            QCOMPARE(segment.status, 200);
            const int bit = variantB(s.id, n) ? 1 : 0;
            bs += bit;
            QCOMPARE(segment.body,
                     packageFile(QString("360p/%1/%2.ts").arg(bit ? "b" : "a").arg(n)));
        }
        QVERIFY(bs > 0 && bs < kSegments); // 40 slots of the Tardos code hold both
        QCOMPARE(viewer.get(QString("/play/%1/360p/%2.ts").arg(s.id).arg(kSegments)).status, 404);
        QCOMPARE(viewer.get("/play/" + s.id + "/999p/index.m3u8").status, 404);

        // A byte range of a segment.
        const auto part =
            viewer.send("GET", "/play/" + s.id + "/240p/0.ts", {}, {}, {{"Range", "bytes=10-19"}});
        QCOMPARE(part.status, 206);
        QCOMPARE(part.body.size(), 10);

        // Requests are logged, session ids are not.
        const QString log = market_.server().log();
        QVERIFY2(log.contains("GET /play/*/360p/0.ts 200"), qPrintable(log.right(2000)));
        QVERIFY(!log.contains(s.id));
    }

    // A client may send its next requests before the answer arrives (HTTP/1.1 pipelining): each
    // is answered, in order, on the same connection, the segment bytes intact.
    void pipelinedRequestsAreAnsweredInOrder() {
        const Session s = play(*market_.client("viewer"), video_);
        QTcpSocket socket;
        QVERIFY(connectToServer(socket));
        const QByteArray auth = "Authorization: Bearer " + market_.token("viewer") + "\r\n";
        QByteArray requests;
        for (int n : {3, 4})
            requests += "GET /play/" + s.id.toLatin1() + "/360p/" + QByteArray::number(n) +
                        ".ts HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n";
        requests += "GET /play/" + s.id.toLatin1() + "/key HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n";
        socket.write(requests);
        const auto answers = readResponses(socket, 3);
        QCOMPARE(answers.size(), 3);
        for (int i = 0; i < 2; ++i) {
            QVERIFY2(answers[i].head.startsWith("HTTP/1.1 200"), answers[i].head.constData());
            const int n = 3 + i;
            QCOMPARE(
                answers[i].body,
                packageFile(QString("360p/%1/%2.ts").arg(variantB(s.id, n) ? "b" : "a").arg(n)));
        }
        QVERIFY2(answers[2].head.startsWith("HTTP/1.1 200"), answers[2].head.constData());
        QCOMPARE(answers[2].body, packageFile("key.bin"));
    }

    // Clients on a bad line (a request body trickling in) keep every worker thread waiting; a
    // viewer already watching still gets each next segment at once: the event loop answers a
    // segment whose decision is in memory itself. (Before, it queued behind them until their
    // read timeout, 30 s.)
    void steadyViewersPlayWhileEveryWorkerWaits() {
        const Session s = play(*market_.client("viewer"), video_);
        const auto connect = [&](QTcpSocket& socket) { return connectToServer(socket); };
        std::vector<std::unique_ptr<QTcpSocket>> slow;
        const QByteArray body = "{\"login\":\"viewer\",\"password\":\"not the password\"}";
        const auto holdEveryWorker = [&] {
            for (int i = 0; i < kHttpThreads; ++i) {
                slow.push_back(std::make_unique<QTcpSocket>());
                if (!connect(*slow.back()))
                    return false;
                slow.back()->write("POST /api/auth/tokens HTTP/1.1\r\nHost: x\r\n"
                                   "Content-Type: application/json\r\nContent-Length: " +
                                   QByteArray::number(body.size()) + "\r\n\r\n" + body.left(5));
                if (!slow.back()->waitForBytesWritten(10000))
                    return false;
            }
            return true;
        };
        // The viewer watches with its studio token: its first segment went before the slow
        // clients came (the decision for this token is made then).
        QTcpSocket viewer;
        QVERIFY(connect(viewer));
        const QByteArray auth = "Authorization: Bearer " + market_.token("viewer") + "\r\n";
        for (int n : {4, 5, 6}) {
            if (n == 5 && !holdEveryWorker())
                QFAIL("could not start the slow clients");
            viewer.write("GET /play/" + s.id.toLatin1() + "/360p/" + QByteArray::number(n) +
                         ".ts HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n");
            const auto answer = readResponses(viewer, 1);
            QCOMPARE(answer.size(), 1);
            QVERIFY2(answer[0].head.startsWith("HTTP/1.1 200"), answer[0].head.constData());
            QCOMPARE(
                answer[0].body,
                packageFile(QString("360p/%1/%2.ts").arg(variantB(s.id, n) ? "b" : "a").arg(n)));
        }
        // The slow clients were waited for all along: each gets its own answer (a refused
        // sign-in) once its body is complete.
        for (auto& socket : slow) {
            socket->write(body.mid(5));
            const auto answer = readResponses(*socket, 1);
            QCOMPARE(answer.size(), 1);
            QVERIFY2(answer[0].head.startsWith("HTTP/1.1 4"), answer[0].head.constData());
        }
    }

    // The event loop answers a steady viewer's segment itself; with a query string the same
    // request goes to a worker and httplib. Both answers carry the same head, header for
    // header: the server's default security headers included.
    void theLoopAndAWorkerAnswerWithTheSameHead() {
        const Session s = play(*market_.client("viewer"), video_);
        QTcpSocket viewer;
        QVERIFY(connectToServer(viewer));
        const QByteArray path = "/play/" + s.id.toLatin1() + "/360p/3.ts";
        const QByteArray auth = "Authorization: Bearer " + market_.token("viewer") + "\r\n";
        // The first request with this token decides (a worker); the next two are the pair.
        viewer.write("GET " + path + " HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n");
        QCOMPARE(readResponses(viewer, 1).size(), 1);
        viewer.write("GET " + path + " HTTP/1.1\r\nHost: x\r\n" + auth + "\r\nGET " + path +
                     "?from=worker HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n");
        const auto answers = readResponses(viewer, 2);
        QCOMPARE(answers.size(), 2);
        const auto lines = [](const QByteArray& head) {
            QList<QByteArray> all = head.trimmed().split('\n');
            for (QByteArray& line : all)
                line = line.trimmed();
            std::sort(all.begin(), all.end());
            return all;
        };
        QCOMPARE(lines(answers[0].head), lines(answers[1].head));
        QVERIFY2(answers[0].head.contains("X-Content-Type-Options: nosniff"),
                 answers[0].head.constData());
        QVERIFY(answers[0].head.contains("X-Frame-Options: DENY"));
        QCOMPARE(answers[0].body, answers[1].body);
        QCOMPARE(answers[0].body,
                 packageFile(QString("360p/%1/3.ts").arg(variantB(s.id, 3) ? "b" : "a")));
    }

    // A segment larger than the socket buffers, to a client that reads slowly (small receive
    // buffer): the event loop sends it as the socket takes it, the bytes intact, and the next
    // pipelined request on that connection is answered after it.
    void aLargeSegmentReachesASlowReader() {
        PackageOptions options;
        options.renditions = 1;
        options.segments = 2;
        options.segmentBytes = 3 << 20;
        const QString video =
            market_.publish("maker", "Long takes", "2.00", "USD", 0, samplePackage(options));
        QVERIFY(!video.isEmpty());
        const QString dir =
            market_.sql("SELECT package_dir FROM videos WHERE public_id = '" + video + "'");
        const Session s = play(*market_.client("maker"), video);
        QVERIFY(!s.id.isEmpty());
        const QUrl base(market_.server().baseUrl());
        // The receive buffer is set before connecting, so the window stays small.
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        const int bytes = 4096;
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<quint16>(base.port()));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        QCOMPARE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
        QTcpSocket socket;
        QVERIFY(socket.setSocketDescriptor(fd));
        const QByteArray auth = "Authorization: Bearer " + market_.token("maker") + "\r\n";
        const auto get = [&](int n) {
            return "GET /play/" + s.id.toLatin1() + "/240p/" + QByteArray::number(n) +
                   ".ts HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n";
        };
        socket.write(get(0)); // decides (a worker), then both from memory, pipelined
        QCOMPARE(readResponses(socket, 1).size(), 1);
        socket.write(get(0) + get(1));
        const auto answers = readResponses(socket, 2);
        QCOMPARE(answers.size(), 2);
        for (int n = 0; n < 2; ++n) {
            QVERIFY2(answers[n].head.startsWith("HTTP/1.1 200"), answers[n].head.constData());
            QFile file(market_.dataDir() + "/videos/" + dir +
                       QString("/240p/%1/%2.ts").arg(variantB(s.id, n) ? "b" : "a").arg(n));
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY(answers[n].body == file.readAll());
        }
    }

    void sessionsGetDistinctCodes() {
        const Session a = play(*market_.client("viewer"), video_);
        const Session b = play(*market_.client("other"), video_);
        QVERIFY(codeOf(a.id) != codeOf(b.id));
        QCOMPARE(market_.sql("SELECT count(DISTINCT forensic_code) = count(*) FROM "
                             "playback_sessions"),
                 QString("t"));
    }

    void othersAreRefused() {
        const Session s = play(*market_.client("viewer"), video_);
        const QStringList paths{s.master, "/play/" + s.id + "/360p/index.m3u8",
                                "/play/" + s.id + "/360p/0.ts", "/play/" + s.id + "/key"};
        HttpClient stranger(market_.server().baseUrl());
        for (const QString& path : paths) {
            // Another paying user: 403. Signed out: 401.
            const auto other = market_.client("other")->get(path);
            QCOMPARE(other.status, 403);
            QVERIFY(!other.body.contains("#EXTM3U"));
            QCOMPARE(stranger.get(path).status, 401);
        }
        QCOMPARE(market_.client("viewer")->get("/play/" + QString(32, 'x') + "/master.m3u8").status,
                 404);
        // The owner signed in a second time (another device) may use it.
        auto again = market_.signIn("viewer");
        QCOMPARE(again->get(s.master).status, 200);
        // The same account through a bearer token (studio, ffmpeg) too.
        const QByteArray token = market_.token("viewer");
        const auto byToken = ServerProcess::request("GET", market_.server().baseUrl() + s.master,
                                                    {}, {{"Authorization", "Bearer " + token}});
        QCOMPARE(byToken.status, 200);
    }

    void streamLimitEndsTheOldest() {
        auto device = market_.signIn("other");
        const Session first = play(*device, video_);
        const Session second = play(*device, video_);
        QCOMPARE(device->get(first.master).status, 200);
        QCOMPARE(device->get(second.master).status, 200);
        const Session third = play(*device, video_);
        const auto ended = device->get(first.master);
        QCOMPARE(ended.status, 403);
        QCOMPARE(errorCode(ended), QString("session_ended"));
        QCOMPARE(device->get(second.master).status, 200);
        QCOMPARE(device->get(third.master).status, 200);
        QCOMPARE(market_.sql("SELECT count(*) FROM playback_sessions s JOIN users u ON u.id = "
                             "s.user_id WHERE u.username = 'other' AND revoked_at IS NULL"),
                 QString("2"));
    }

    void expiredSessionsEnd() {
        auto device = market_.signIn("viewer");
        const Session s = play(*device, video_);
        const QString hash = QString::fromLatin1(
            QCryptographicHash::hash(s.id.toUtf8(), QCryptographicHash::Sha256).toHex());
        market_.sql("UPDATE playback_sessions SET expires_at = now() - interval '1 second' "
                    "WHERE token_hash = '" +
                    hash + "'");
        // A change made in the database by someone else reaches the decision cache by
        // notification: the next requests (well inside any cache lifetime) are refused.
        QTRY_COMPARE_WITH_TIMEOUT(device->get(s.master).status, 403, 10000);
        QCOMPARE(errorCode(device->get(s.master)), QString("session_ended"));
    }

    void cacheKeysOnWhatAuthenticated() {
        const Session s = play(*market_.client("viewer"), video_);
        // The viewer's browser sends its cookie plus an Authorization header that is not a
        // bearer token: the cookie authenticates, so the header must not become a key.
        const QList<QPair<QByteArray, QByteArray>> madeUp{{"Authorization", "made-up value"}};
        QCOMPARE(market_.client("viewer")->send("GET", s.master, {}, {}, madeUp).status, 200);
        const auto stranger =
            ServerProcess::request("GET", market_.server().baseUrl() + s.master, {}, madeUp);
        QCOMPARE(stranger.status, 401);
        QVERIFY(!stranger.body.contains("#EXTM3U"));
    }

    // A revoked sign-in stops its playback at once, although decisions are cached for longer
    // than a segment lasts (a steady viewer must not cost a query per segment).
    void revokedSignInStopsPlaybackAtOnce() {
        const QString base = market_.server().baseUrl();
        const auto issued = ServerProcess::request(
            "POST", base + "/api/auth/tokens",
            R"({"login":"viewer","password":"long password 123","label":"second device"})",
            {{"Content-Type", "application/json"}});
        QCOMPARE(issued.status, 201);
        const QJsonObject token = issued.json().object();
        const QList<QPair<QByteArray, QByteArray>> bearer{
            {"Authorization", "Bearer " + token["token"].toString().toUtf8()}};
        const auto started =
            ServerProcess::request("POST", base + "/api/videos/" + video_ + "/play", {}, bearer);
        QCOMPARE(started.status, 201);
        const QString master =
            started.json().object()["session"].toObject()["master_url"].toString();
        QCOMPARE(ServerProcess::request("GET", base + master, {}, bearer).status, 200);
        // The viewer revokes that device from their account page.
        const auto revoked = market_.client("viewer")->send(
            "DELETE", "/api/auth/tokens/" + QString::number(token["id"].toInteger()), {}, {});
        QCOMPARE(revoked.status, 204);
        const auto after = ServerProcess::request("GET", base + master, {}, bearer);
        QCOMPARE(after.status, 401);
        QVERIFY(!after.body.contains("#EXTM3U"));
    }

    void removalFromTheAllowlistEndsOpenSessions() {
        QVERIFY(market_.signUp("guest"));
        HttpClient* maker = market_.client("maker");
        QCOMPARE(maker
                     ->send("PUT", "/api/videos/" + video_ + "/allowlist",
                            R"({"usernames":["friend","guest"]})", "application/json")
                     .status,
                 200);
        const Session guest = play(*market_.client("guest"), video_);
        const Session friendly = play(*market_.client("friend"), video_);
        const Session buyer = play(*market_.client("viewer"), video_);
        QCOMPARE(market_.client("guest")->get(guest.master).status, 200);
        // The creator takes guest (and friend) off the list; viewer bought the video.
        QCOMPARE(maker
                     ->send("PUT", "/api/videos/" + video_ + "/allowlist",
                            R"({"usernames":["Guest"]})", "application/json")
                     .status,
                 200);
        QCOMPARE(market_.client("guest")->get(guest.master).status, 200); // still listed
        QCOMPARE(maker
                     ->send("PUT", "/api/videos/" + video_ + "/allowlist", R"({"usernames":[]})",
                            "application/json")
                     .status,
                 200);
        const auto ended = market_.client("guest")->get(guest.master);
        QCOMPARE(ended.status, 403);
        QCOMPARE(errorCode(ended), QString("session_ended"));
        QCOMPARE(market_.client("friend")->get(friendly.master).status, 403);
        QCOMPARE(market_.client("viewer")->get(buyer.master).status, 200);
        int status = 0;
        play(*market_.client("guest"), video_, &status);
        QCOMPARE(status, 402);
    }

    void videoTextIsCheckedInCharacters() {
        HttpClient* maker = market_.client("maker");
        const auto create = [&](const QByteArray& title, const QByteArray& description) {
            return maker->send("POST", "/api/videos",
                               "{\"title\":\"" + title + "\",\"description\":\"" + description +
                                   "\",\"price\":{\"amount_minor\":100,\"currency\":\"USD\"}}",
                               "application/json");
        };
        const QByteArray e = "\xc3\xa9"; // é: two bytes, one character
        QCOMPARE(create(e.repeated(200), "fine").status, 201);
        QCOMPARE(create(QByteArray(201, 't'), "fine").status, 400);
        QCOMPARE(create("fine", QByteArray(5001, 'd')).status, 400);
        QCOMPARE(create("fine", e.repeated(5000)).status, 201);
        QCOMPARE(create("fine", "two\\nlines").status, 201);
        QCOMPARE(create("nul\\u0000title", "fine").status, 400);
        QCOMPARE(create("tab\\tin title", "fine").status, 400);
        const QString id =
            create("to edit", "").json().object()["video"].toObject()["id"].toString();
        QCOMPARE(maker
                     ->send("PATCH", "/api/videos/" + id,
                            "{\"title\":\"" + QByteArray(201, 't') + "\"}", "application/json")
                     .status,
                 400);
        QCOMPARE(maker
                     ->send("PUT", "/api/videos/" + video_ + "/allowlist",
                            R"({"usernames":["friend\u0000x"]})", "application/json")
                     .status,
                 400);
    }

    void concurrentAllowlistUpdatesKeepThePoolAvailable() {
        const QByteArray token = market_.token("maker");
        const auto replies = sendConcurrently(market_.server().baseUrl(), 40, [&](int i) {
            const QByteArray names = i % 2 ? R"(["friend","other"])" : R"(["friend"])";
            return RawRequest{
                "PUT",
                "/api/videos/" + video_ + "/allowlist",
                "{\"usernames\":" + names + "}",
                {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}}};
        });
        for (const auto& reply : replies)
            QCOMPARE(reply.status, 200);
        QCOMPARE(market_.server().get("/healthz").status, 200);
        // No request handler of this test class asked for a second connection while holding
        // one (the log from the moment the server listened).
        const QString all = market_.server().log();
        const QString log = all.mid(all.indexOf("listening on"));
        const qsizetype nested = log.indexOf("nested database connection");
        QVERIFY2(nested < 0, qPrintable(log.mid(nested, 1500)));
    }
};

QTEST_MAIN(TestPlayback)
#include "tst_playback.moc"
