// The server outlives its database going away. Embedded: PostgreSQL killed (kill -9 of the
// postmaster) while the server idles; the server notices on the next request that needs the
// database, starts its cluster again (crash recovery) and answers as before, data intact.
// External: a cluster this test owns (the stand-in for the operator's database server) is
// killed, /healthz says 503 while it is gone, and once it is back the pool reconnects by itself.

#include "HttpClient.h"
#include "ServerProcess.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <csignal>
#include <memory>
#include <unistd.h>

using namespace reelgate::test;

namespace {

constexpr int kPort = 5499; // names the Unix socket only (no TCP)

qint64 postmasterPid(const QString& clusterDir) {
    QFile file(clusterDir + "/postmaster.pid");
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    return file.readLine().trimmed().toLongLong();
}

// Running (a zombie waiting to be reaped by its parent counts as dead).
bool alive(qint64 pid) {
    if (pid <= 0 || ::kill(static_cast<pid_t>(pid), 0) != 0)
        return false;
    QFile stat(QString("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray text = stat.readAll();
    return text.mid(text.lastIndexOf(')') + 2, 1) != "Z";
}

// The newest installed PostgreSQL's programs (as the server's embedded cluster finds them).
QString postgresBinDir() {
    if (const QByteArray env = qgetenv("REELGATE_PG_BINDIR"); !env.isEmpty())
        return QString::fromLocal8Bit(env) + "/";
    int best = -1;
    for (const QString& version : QDir("/usr/lib/postgresql").entryList(QDir::Dirs))
        if (QFile::exists("/usr/lib/postgresql/" + version + "/bin/postgres"))
            best = std::max(best, version.toInt());
    return QString("/usr/lib/postgresql/%1/bin/").arg(best);
}

// PostgreSQL refuses to run as root: then its programs run as the `postgres` user.
QProcess* postgresTool(const QString& program, const QStringList& args) {
    const QString bin = postgresBinDir();
    auto* process = new QProcess;
    process->setProcessChannelMode(QProcess::MergedChannels);
    if (::geteuid() == 0)
        process->start("runuser", QStringList{"-u", "postgres", "--", bin + program} + args);
    else
        process->start(bin + program, args);
    return process;
}

bool runPostgresTool(const QString& program, const QStringList& args, QString* output = nullptr) {
    std::unique_ptr<QProcess> process(postgresTool(program, args));
    const bool ok = process->waitForFinished(120000) &&
                    process->exitStatus() == QProcess::NormalExit && process->exitCode() == 0;
    if (output)
        *output = QString::fromUtf8(process->readAll());
    return ok;
}

// Polls until `done` or the time is up (no fixed sleeps: the condition decides).
template <class Done> bool eventually(Done done, int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        if (done())
            return true;
        QTest::qWait(100);
    }
    return false;
}

} // namespace

class TestDbRecovery : public QObject {
    Q_OBJECT

private slots:
    void embeddedDatabaseIsRestartedAfterItWasKilled() {
        QTemporaryDir tmp;
        const QString dataDir = serverReachable(tmp) + "/data";
        ServerProcess server;
        QVERIFY2(server.start(dataDir), qPrintable(server.log()));
        HttpClient client(server.baseUrl());
        QCOMPARE(client
                     .postJson("/api/auth/register", {{"username", "survivor"},
                                                      {"email", "survivor@example.com"},
                                                      {"password", "survivor password"}})
                     .status,
                 201);
        for (int i = 0; i < 5; ++i) // idle pooled connections, which the kill leaves dead
            QCOMPARE(server.get("/healthz").status, 200);

        for (int round = 0; round < 2; ++round) {
            const qint64 killed = postmasterPid(dataDir + "/pg");
            QVERIFY(alive(killed));
            ::kill(static_cast<pid_t>(killed), SIGKILL);
            QVERIFY(eventually([&] { return !alive(killed); }, 10000));
            // The next requests bring it back; none of them may hang or end the server.
            QVERIFY2(eventually([&] { return server.get("/healthz").status == 200; }, 90000),
                     qPrintable(server.log().right(3000)));
            QVERIFY(alive(server.pid()));
            const qint64 restarted = postmasterPid(dataDir + "/pg");
            QVERIFY(alive(restarted) && restarted != killed);
            QVERIFY2(server.log().contains("exited unexpectedly"), qPrintable(server.log()));
            HttpClient again(server.baseUrl());
            QCOMPARE(again
                         .postJson("/api/auth/login",
                                   {{"login", "survivor"}, {"password", "survivor password"}})
                         .status,
                     200);
            QCOMPARE(again.get("/api/me").status, 200);
        }
        QCOMPARE(server.stop(), 0);
        QVERIFY(!alive(postmasterPid(dataDir + "/pg")));
    }

    void externalDatabaseIsReconnectedWhenItReturns() {
        QTemporaryDir tmp;
        const QString root = serverReachable(tmp);
        const QString cluster = root + "/cluster";
        const QString sockets = root + "/sockets";
        QVERIFY(QDir().mkpath(cluster) && QDir().mkpath(sockets));
        if (::geteuid() == 0)
            QCOMPARE(QProcess::execute("chown", {"postgres:postgres", cluster, sockets}), 0);
        QString out;
        QVERIFY2(runPostgresTool("initdb",
                                 {"-D", cluster, "-U", "reelgate", "-E", "UTF8", "--locale=C",
                                  "--auth-local=trust", "--auth-host=reject", "--no-instructions"},
                                 &out),
                 qPrintable(out));
        const QStringList startArgs = {
            "-D",
            cluster,
            "-l",
            sockets + "/postgres.log",
            "-w",
            "-t",
            "60",
            "-o",
            QString("-k %1 -p %2 -c listen_addresses=").arg(sockets).arg(kPort),
            "start"};
        QVERIFY2(runPostgresTool("pg_ctl", startArgs, &out), qPrintable(out));
        struct StopCluster {
            QString cluster;
            ~StopCluster() {
                runPostgresTool("pg_ctl", {"-D", cluster, "-m", "immediate", "stop"});
            }
        } stopCluster{cluster};

        const QString url =
            QString("host=%1 port=%2 user=reelgate dbname=postgres").arg(sockets).arg(kPort);
        ServerProcess server;
        QVERIFY2(server.start(root + "/data", {"--database-url", url}), qPrintable(server.log()));
        HttpClient client(server.baseUrl());
        QCOMPARE(client
                     .postJson("/api/auth/register", {{"username", "steady"},
                                                      {"email", "steady@example.com"},
                                                      {"password", "steady password"}})
                     .status,
                 201);
        QCOMPARE(server.get("/healthz").status, 200);

        const qint64 killed = postmasterPid(cluster);
        ::kill(static_cast<pid_t>(killed), SIGKILL);
        QVERIFY(eventually([&] { return !alive(killed); }, 10000));
        // Gone: the health check says so, with reasons safe to show, and the server lives on.
        HttpReply down;
        QVERIFY(eventually(
            [&] {
                down = server.get("/healthz");
                return down.status == 503;
            },
            30000));
        const QJsonObject body = down.json().object();
        QCOMPARE(body.value("status").toString(), QString("unavailable"));
        QCOMPARE(body.value("database").toString(), QString("error"));
        QVERIFY(!body.value("reason").toString().isEmpty());
        QCOMPARE(client.get("/api/me").status, 503);
        QVERIFY(alive(server.pid()));

        // Back (the old backends must be gone first; pg_ctl refuses until then).
        QVERIFY2(eventually([&] { return runPostgresTool("pg_ctl", startArgs, &out); }, 60000),
                 qPrintable(out));
        QVERIFY2(eventually([&] { return server.get("/healthz").status == 200; }, 60000),
                 qPrintable(server.log().right(3000)));
        HttpClient again(server.baseUrl());
        QCOMPARE(
            again
                .postJson("/api/auth/login", {{"login", "steady"}, {"password", "steady password"}})
                .status,
            200);
        QCOMPARE(server.stop(), 0);
    }
};

QTEST_MAIN(TestDbRecovery)
#include "tst_dbrecovery.moc"
