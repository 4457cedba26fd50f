// Two real server binaries on one PostgreSQL, as behind a load balancer: A runs the embedded
// cluster, B is pointed at it by URL and serves the same videos folder. A steady viewer needs
// no database (segments are served with it frozen). A viewer's decision is
// cached on B; a restarted B loads every live decision at once, so its returning viewers
// need no database either; a revocation made through A (stream limit, revoked sign-in) reaches B's
// cache through LISTEN/NOTIFY, so B refuses the next segment long before any cache lifetime; a
// decision whose notification was missed is dropped when B's listener reconnects; B listens
// again after the database is killed and restarted. Waits are on conditions, with limits (10 s)
// far below the old 30 s cache lifetime, so a revocation that waited for one fails here.

#include "Eventually.h"
#include "Marketplace.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <csignal>

using namespace reelgate::test;

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

qint64 postmasterPid(const QString& clusterDir) {
    QFile file(clusterDir + "/postmaster.pid");
    return file.open(QIODevice::ReadOnly) ? file.readLine().trimmed().toLongLong() : -1;
}

// Stops (SIGSTOP) every process of a PostgreSQL cluster while it lives, so any query hangs;
// lets them go on (SIGCONT) when it goes out of scope, whatever happened meanwhile.
class FrozenDatabase {
public:
    explicit FrozenDatabase(qint64 postmaster) {
        pids_ << postmaster;
        for (const QString& entry : QDir("/proc").entryList(QDir::Dirs)) {
            QFile stat("/proc/" + entry + "/stat");
            if (!stat.open(QIODevice::ReadOnly))
                continue;
            const QByteArray text = stat.readAll();
            const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
            if (fields.size() > 1 && fields[1].toLongLong() == postmaster)
                pids_ << entry.toLongLong();
        }
        for (const qint64 pid : pids_)
            ::kill(static_cast<pid_t>(pid), SIGSTOP);
    }
    ~FrozenDatabase() {
        for (const qint64 pid : pids_)
            ::kill(static_cast<pid_t>(pid), SIGCONT);
    }
    FrozenDatabase(const FrozenDatabase&) = delete;
    FrozenDatabase& operator=(const FrozenDatabase&) = delete;
    int processes() const { return static_cast<int>(pids_.size()); }

private:
    QList<qint64> pids_;
};

} // namespace

class TestPlaybackCluster : public QObject {
    Q_OBJECT

    Marketplace market_; // server A and its database
    QTemporaryDir tmpB_;
    ServerProcess b_;
    QString video_;
    QByteArray token_; // the viewer's bearer token, valid on both servers
    QStringList argsB_;
    qint64 tokenId_ = 0;

    Headers bearer(const QByteArray& token) const { return {{"Authorization", "Bearer " + token}}; }

    QString play(const QByteArray& token) {
        const auto r = ServerProcess::request(
            "POST", market_.server().baseUrl() + "/api/videos/" + video_ + "/play", {},
            bearer(token));
        return r.status == 201 ? r.json().object()["session"].toObject()["id"].toString()
                               : QString();
    }
    // One segment of `session` fetched from server B: the status.
    int segmentOnB(const QString& session, const QByteArray& token, int n = 0) {
        return ServerProcess::request(
                   "GET", b_.baseUrl() + QString("/play/%1/360p/%2.ts").arg(session).arg(n), {},
                   bearer(token))
            .status;
    }
    QString listenersOf(const QString& app) {
        return market_.sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" +
                           app + "'");
    }

private slots:
    void initTestCase() {
        QVERIFY2(market_.start(), qPrintable(market_.server().log()));
        QVERIFY(market_.signUp("maker", true));
        QVERIFY(market_.signUp("viewer"));
        PackageOptions options;
        options.segments = 6;
        video_ = market_.publish("maker", "Shared", "2.00", "USD", 0, samplePackage(options));
        QVERIFY(!video_.isEmpty());
        QVERIFY(market_.credit("viewer", "5", "USD"));
        QCOMPARE(market_.client("viewer")
                     ->send("POST", "/api/videos/" + video_ + "/purchase", {}, {},
                            {{"Idempotency-Key", QUuid::createUuid().toByteArray()}})
                     .status,
                 201);
        const auto issued = ServerProcess::request(
            "POST", market_.server().baseUrl() + "/api/auth/tokens",
            R"({"login":"viewer","password":"long password 123","label":"tv"})",
            {{"Content-Type", "application/json"}});
        QCOMPARE(issued.status, 201);
        token_ = issued.json().object()["token"].toString().toUtf8();
        tokenId_ = issued.json().object()["id"].toInteger();

        // Server B: its own data dir, the same videos (shared storage) and database.
        const QString dataB = tmpB_.path() + "/b";
        QVERIFY(QDir().mkpath(dataB));
        QVERIFY(QFile::link(market_.dataDir() + "/videos", dataB + "/videos"));
        const QString url =
            "postgresql:///reelgate?host=" + market_.dataDir() + "/run&user=reelgate";
        argsB_ = {"--database-url", url};
        QVERIFY2(b_.start(dataB, argsB_), qPrintable(b_.log()));
        // Both instances listen for revocations before anything is cached.
        QVERIFY(eventually([&] { return listenersOf("reelgate-revocations") == "2"; }));
    }

    // A steady viewer costs no database work: the decision is made when the session starts, so
    // its playlists and every segment are answered while the database cannot answer at all.
    void aSteadyViewerNeedsNoDatabase() {
        const QString session = play(token_);
        QVERIFY(!session.isEmpty());
        const QString base = market_.server().baseUrl() + "/play/" + session;
        FrozenDatabase frozen(postmasterPid(market_.dataDir() + "/pg"));
        QVERIFY(frozen.processes() > 1);
        QCOMPARE(
            ServerProcess::request("GET", base + "/master.m3u8", {}, bearer(token_), 5000).status,
            200);
        QCOMPARE(ServerProcess::request("GET", base + "/360p/index.m3u8", {}, bearer(token_), 5000)
                     .status,
                 200);
        for (int n = 0; n < 6; ++n)
            QCOMPARE(ServerProcess::request("GET", base + QString("/360p/%1.ts").arg(n), {},
                                            bearer(token_), 5000)
                         .status,
                     200);
    }

    // Viewers come back together after a restart: once the restarted B listens for
    // revocations it has loaded the decision of every live session in one query, so a viewer
    // it has not seen since is served with the database frozen, signed in by token or cookie.
    void aRestartedServerKnowsItsViewersAtOnce() {
        const QString byToken = play(token_);
        QVERIFY(!byToken.isEmpty());
        const auto started =
            market_.client("viewer")->send("POST", "/api/videos/" + video_ + "/play", {}, {});
        QCOMPARE(started.status, 201);
        const QString byCookie = started.json().object()["session"].toObject()["id"].toString();
        const Headers cookie = {
            {"Cookie", "rg_session=" + market_.client("viewer")->cookie("rg_session")}};
        QCOMPARE(segmentOnB(byToken, token_, 0), 200);

        const QString dataB = tmpB_.path() + "/b";
        QCOMPARE(b_.stop(), 0);
        QVERIFY2(b_.start(dataB, argsB_), qPrintable(b_.log()));
        QVERIFY2(eventually([&] { return b_.log().contains("live decisions loaded"); }),
                 qPrintable(b_.log().right(2000)));

        FrozenDatabase frozen(postmasterPid(market_.dataDir() + "/pg"));
        QVERIFY(frozen.processes() > 1);
        const QString base = b_.baseUrl() + "/play/";
        QCOMPARE(
            ServerProcess::request("GET", base + byToken + "/360p/1.ts", {}, bearer(token_), 5000)
                .status,
            200);
        QCOMPARE(
            ServerProcess::request("GET", base + byCookie + "/360p/1.ts", {}, cookie, 5000).status,
            200);
        // A credential that is not the viewer's is still refused (and asks the database, which
        // cannot answer: no answer in time is a refusal too).
        QVERIFY(ServerProcess::request("GET", base + byToken + "/360p/1.ts", {},
                                       bearer(token_ + "x"), 2000)
                    .status != 200);
    }

    // The stream limit (2 by default) ends the oldest session through A; B, which served it
    // from its cache a moment ago, refuses its next segment.
    void streamLimitOnAEndsPlaybackOnB() {
        const QString first = play(token_);
        QVERIFY(!first.isEmpty());
        QCOMPARE(segmentOnB(first, token_, 0), 200);
        QCOMPARE(segmentOnB(first, token_, 1), 200); // from B's cache
        QVERIFY(!play(token_).isEmpty());
        const QString third = play(token_); // the first one ends
        QVERIFY(!third.isEmpty());
        QVERIFY2(eventually([&] { return segmentOnB(first, token_, 2) == 403; }),
                 qPrintable(b_.log().right(2000)));
        QCOMPARE(segmentOnB(third, token_, 2), 200);
    }

    // A notification lost while B's listener was away (simulated: a revocation with the
    // trigger off, then B's listening connection cut) is made up for: B drops every cached
    // decision when it listens again.
    void reconnectDropsEveryCachedDecision() {
        const QString session = play(token_);
        QVERIFY(!session.isEmpty());
        QCOMPARE(segmentOnB(session, token_, 0), 200);
        market_.sql("BEGIN; ALTER TABLE playback_sessions DISABLE TRIGGER "
                    "playback_sessions_revoked; UPDATE playback_sessions SET revoked_at = now() "
                    "WHERE revoked_at IS NULL; ALTER TABLE playback_sessions ENABLE TRIGGER "
                    "playback_sessions_revoked; COMMIT;");
        QCOMPARE(segmentOnB(session, token_, 1), 200); // nobody told B yet
        market_.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = 'reelgate-revocations'");
        QVERIFY2(eventually([&] { return segmentOnB(session, token_, 2) == 403; }),
                 qPrintable(b_.log().right(2000)));
        QVERIFY(eventually([&] { return listenersOf("reelgate-revocations") == "2"; }));
    }

    // The database is killed and comes back (A restarts its embedded cluster): B listens again,
    // and a sign-in revoked through A then stops B's playback.
    void listensAgainAfterTheDatabaseRestarts() {
        const qint64 killed = postmasterPid(market_.dataDir() + "/pg");
        QVERIFY(killed > 0);
        ::kill(static_cast<pid_t>(killed), SIGKILL);
        // Back once A has started a new postmaster (a backend of the old one may still answer
        // for a moment, so a 200 alone does not tell).
        QVERIFY2(eventually(
                     [&] {
                         return market_.server().get("/healthz").status == 200 &&
                                postmasterPid(market_.dataDir() + "/pg") != killed &&
                                ::kill(static_cast<pid_t>(killed), 0) != 0;
                     },
                     90000),
                 qPrintable(market_.server().log().right(3000)));
        const bool listening =
            eventually([&] { return listenersOf("reelgate-revocations") == "2"; }, 30000);
        if (!listening)
            qWarning("%s\n--- A:\n%s\n--- B:\n%s", qPrintable(listenersOf("reelgate-revocations")),
                     qPrintable(market_.server().log().right(4000)),
                     qPrintable(b_.log().right(2000)));
        QVERIFY(listening);
        const QString session = play(token_);
        QVERIFY(!session.isEmpty());
        QCOMPARE(segmentOnB(session, token_, 0), 200);
        QCOMPARE(segmentOnB(session, token_, 1), 200);
        const auto revoked = market_.client("viewer")->send(
            "DELETE", "/api/auth/tokens/" + QString::number(tokenId_), {}, {});
        QCOMPARE(revoked.status, 204);
        QVERIFY2(eventually([&] { return segmentOnB(session, token_, 2) == 401; }),
                 qPrintable(b_.log().right(2000)));
    }

    void cleanupTestCase() {
        QCOMPARE(b_.stop(), 0);
        QCOMPARE(market_.server().stop(), 0);
    }
};

QTEST_GUILESS_MAIN(TestPlaybackCluster)
#include "tst_playbackcluster.moc"
