// The real reelgate-server binary, started and stopped the way an operator would: embedded
// PostgreSQL lifecycle, migrations, /healthz, crash recovery, and clear refusals.

#include "ServerProcess.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using reelgate::test::processesMentioning;
using reelgate::test::runServerCli;
using reelgate::test::ServerProcess;
using reelgate::test::serverReachable;

class TestServerLifecycle : public QObject {
    Q_OBJECT

private:
    // A fresh directory for one server's data; the embedded cluster lives inside it.
    static QString newDataDir(QTemporaryDir& tmp) { return serverReachable(tmp) + "/data"; }

    static void expectHealthy(ServerProcess& server) {
        const auto reply = server.get("/healthz");
        QCOMPARE(reply.status, 200);
        const QJsonObject body = reply.json().object();
        QCOMPARE(body.value("status").toString(), QString("ok"));
        QCOMPARE(body.value("database").toString(), QString("ok"));
        QCOMPARE(body.value("version").toString(), QString(REELGATE_VERSION));
        QVERIFY(reply.header("Content-Type").startsWith("application/json"));
    }

    static void expectNoPostgresFor(const QString& dataDir) {
        // Give a postgres that is shutting down a moment to vanish from /proc.
        for (int i = 0; i < 50 && !processesMentioning(dataDir).isEmpty(); ++i)
            QTest::qWait(100);
        QVERIFY2(processesMentioning(dataDir).isEmpty(),
                 qPrintable("processes still running for " + dataDir));
    }

    // A private copy of sql/ that a test may change.
    static bool copyMigrations(const QString& sqlDir) {
        const QDir source(REELGATE_SOURCE_DIR "/sql");
        const auto files = source.entryList({"*.sql"}, QDir::Files);
        for (const QString& name : files) {
            if (!QFile::copy(source.filePath(name), sqlDir + "/" + name))
                return false;
        }
        return !files.isEmpty();
    }

    static qint64 postmasterPid(const QString& dataDir) {
        QFile file(dataDir + "/pg/postmaster.pid");
        if (!file.open(QIODevice::ReadOnly))
            return -1;
        return file.readLine().trimmed().toLongLong();
    }

private slots:
    void startStopRestartAppliesMigrationsOnce() {
        QTemporaryDir tmp;
        const QString dataDir = newDataDir(tmp);
        {
            ServerProcess server;
            QVERIFY2(server.start(dataDir), qPrintable(server.log()));
            expectHealthy(server);
            QVERIFY2(server.log().contains("applied migration 0001_init.sql"),
                     qPrintable(server.log()));
            QVERIFY(QFile::exists(dataDir + "/pg/PG_VERSION"));
            QVERIFY(QFile::exists(dataDir + "/run/.s.PGSQL.5432"));
            QCOMPARE(server.stop(), 0);
            QVERIFY(server.log().contains("embedded PostgreSQL stopped"));
        }
        expectNoPostgresFor(dataDir);
        QVERIFY(!QFile::exists(dataDir + "/pg/postmaster.pid"));
        {
            ServerProcess server;
            QVERIFY2(server.start(dataDir), qPrintable(server.log()));
            expectHealthy(server);
            QVERIFY2(!server.log().contains("applied migration"), qPrintable(server.log()));
            QVERIFY(server.log().contains("database schema up to date"));
            QCOMPARE(server.stop(), 0);
        }
        expectNoPostgresFor(dataDir);
    }

    void embeddedPostgresHasNoTcpPort() {
        QTemporaryDir tmp;
        const QString dataDir = newDataDir(tmp);
        ServerProcess server;
        QVERIFY2(server.start(dataDir), qPrintable(server.log()));
        const qint64 pgPid = postmasterPid(dataDir);
        QVERIFY(pgPid > 0);
        // The postmaster's listening sockets: every inet socket it owns would show up in
        // /proc/<pid>/net/tcp{,6} only via its inode; simplest user-visible check is the
        // lock file, whose 'listen_addr' line PostgreSQL leaves empty without TCP.
        QFile pidFile(dataDir + "/pg/postmaster.pid");
        QVERIFY(pidFile.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = pidFile.readAll().split('\n');
        QVERIFY(lines.size() >= 6);
        QCOMPARE(lines[4].trimmed(), QByteArray(QFile::encodeName(dataDir + "/run")));
        QCOMPARE(lines[5].trimmed(), QByteArray()); // listen_addresses: none
        QCOMPARE(server.stop(), 0);
        expectNoPostgresFor(dataDir);
    }

    void recoversAfterTheServerWasKilled() {
        QTemporaryDir tmp;
        const QString dataDir = newDataDir(tmp);
        ServerProcess server;
        QVERIFY2(server.start(dataDir), qPrintable(server.log()));
        expectHealthy(server);
        server.kill();
        // PostgreSQL is told to stop when its parent dies; either way a new start must work.
        ServerProcess again;
        QVERIFY2(again.start(dataDir), qPrintable(again.log()));
        expectHealthy(again);
        QCOMPARE(again.stop(), 0);
        expectNoPostgresFor(dataDir);
    }

    void recoversFromAStalePostmasterPid() {
        QTemporaryDir tmp;
        const QString dataDir = newDataDir(tmp);
        {
            ServerProcess server;
            QVERIFY2(server.start(dataDir), qPrintable(server.log()));
            QCOMPARE(server.stop(), 0);
        }
        // A pid that no longer exists, as after a power cut.
        QProcess gone;
        gone.start("true");
        QVERIFY(gone.waitForFinished());
        QFile stale(dataDir + "/pg/postmaster.pid");
        QVERIFY(stale.open(QIODevice::WriteOnly));
        stale.write(QByteArray::number(gone.processId()) + "\n" +
                    QFile::encodeName(dataDir + "/pg") + "\n1700000000\n5432\n" +
                    QFile::encodeName(dataDir + "/run") + "\n\n  5432001    123456\nready\n");
        stale.close();

        ServerProcess server;
        QVERIFY2(server.start(dataDir), qPrintable(server.log()));
        expectHealthy(server);
        QCOMPARE(server.stop(), 0);
        expectNoPostgresFor(dataDir);
    }

    void refusesAChangedMigration() {
        QTemporaryDir tmp;
        const QString dataDir = newDataDir(tmp);
        const QString sqlDir = tmp.path() + "/sql";
        QVERIFY(QDir().mkpath(sqlDir));
        QVERIFY(copyMigrations(sqlDir));
        {
            ServerProcess server;
            QVERIFY2(server.start(dataDir, {"--migrations-dir", sqlDir}), qPrintable(server.log()));
            QCOMPARE(server.stop(), 0);
        }
        QFile file(sqlDir + "/0001_init.sql");
        QVERIFY(file.open(QIODevice::Append));
        file.write("\nCREATE TABLE sneaky (id int);\n");
        file.close();

        ServerProcess server;
        QVERIFY(!server.start(dataDir, {"--migrations-dir", sqlDir}));
        QCOMPARE(server.waitForExit(), 1);
        QVERIFY2(server.log().contains("0001_init.sql changed after it was applied"),
                 qPrintable(server.log()));
        expectNoPostgresFor(dataDir);
    }

    void appliesANewMigrationOnTheNextStart() {
        QTemporaryDir tmp;
        const QString dataDir = newDataDir(tmp);
        const QString sqlDir = tmp.path() + "/sql";
        QVERIFY(QDir().mkpath(sqlDir));
        QVERIFY(copyMigrations(sqlDir));
        {
            ServerProcess server;
            QVERIFY2(server.start(dataDir, {"--migrations-dir", sqlDir}), qPrintable(server.log()));
            QCOMPARE(server.stop(), 0);
        }
        QFile next(sqlDir + "/9001_extra.sql");
        QVERIFY(next.open(QIODevice::WriteOnly));
        next.write("CREATE TABLE extra (id int PRIMARY KEY);\n");
        next.close();
        ServerProcess server;
        QVERIFY2(server.start(dataDir, {"--migrations-dir", sqlDir}), qPrintable(server.log()));
        QVERIFY(server.log().contains("applied migration 9001_extra.sql"));
        QVERIFY(!server.log().contains("applied migration 0001_init.sql"));
        QCOMPARE(server.stop(), 0);
        expectNoPostgresFor(dataDir);
    }

    void usesAnExternalDatabaseUrl() {
        // Server A runs the embedded cluster; server B is pointed at it by URL.
        QTemporaryDir tmp;
        const QString dataA = serverReachable(tmp) + "/a";
        const QString dataB = tmp.path() + "/b";
        ServerProcess a;
        QVERIFY2(a.start(dataA), qPrintable(a.log()));
        ServerProcess b;
        const QString url = "postgresql:///reelgate?host=" + dataA + "/run&user=reelgate";
        QVERIFY2(b.start(dataB, {"--database-url", url}), qPrintable(b.log()));
        expectHealthy(b);
        QVERIFY(b.log().contains("database schema up to date"));
        QVERIFY(!QFile::exists(dataB + "/pg"));
        QCOMPARE(b.stop(), 0);
        QCOMPARE(a.stop(), 0);
        expectNoPostgresFor(dataA);
    }

    void refusesASecondServerOnTheSameDataDir() {
        QTemporaryDir tmp;
        const QString dataDir = newDataDir(tmp);
        ServerProcess first;
        QVERIFY2(first.start(dataDir), qPrintable(first.log()));
        ServerProcess second;
        QVERIFY(!second.start(dataDir));
        QCOMPARE(second.waitForExit(), 1);
        QVERIFY2(second.log().contains("in use by another reelgate-server"),
                 qPrintable(second.log()));
        expectHealthy(first);
        QCOMPARE(first.stop(), 0);
    }

    void answersErrorsAsJson() {
        QTemporaryDir tmp;
        ServerProcess server;
        QVERIFY2(server.start(newDataDir(tmp)), qPrintable(server.log()));
        const auto missing = server.get("/no/such/thing");
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.json().object().value("error").toObject().value("code").toString(),
                 QString("not_found"));
        const auto tooBig =
            server.post("/healthz", QByteArray(2 * 1024 * 1024, 'x'), "application/json");
        QCOMPARE(tooBig.status, 413);
        QCOMPARE(tooBig.json().object().value("error").toObject().value("code").toString(),
                 QString("payload_too_large"));
        const auto head = ServerProcess::request("HEAD", server.baseUrl() + "/healthz");
        QCOMPARE(head.status, 200);
        QVERIFY(head.body.isEmpty());
        // One log line per request (written just after the reply goes out).
        for (int i = 0; i < 50 && !server.log().contains("http HEAD /healthz 200"); ++i)
            QTest::qWait(20);
        QVERIFY2(server.log().contains("http GET /no/such/thing 404"), qPrintable(server.log()));
        QVERIFY2(server.log().contains("http HEAD /healthz 200"), qPrintable(server.log()));
        QCOMPARE(server.stop(), 0);
    }

    void badCommandLinesExitNonZeroWithAMessage() {
        const auto bogus = runServerCli({"--bogus"});
        QCOMPARE(bogus.exitCode, 2);
        QVERIFY(bogus.err.contains("unknown option '--bogus'"));
        const auto badListen = runServerCli({"--listen", "nonsense"});
        QCOMPARE(badListen.exitCode, 2);
        QVERIFY(badListen.err.contains("is not HOST:PORT"));
        const auto version = runServerCli({"--version"});
        QCOMPARE(version.exitCode, 0);
        QCOMPARE(version.out.trimmed(), QString("reelgate-server " REELGATE_VERSION));
        const auto help = runServerCli({"--help"});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("--database-url"));
        QVERIFY(help.out.contains("REELGATE_DATA_DIR"));
    }

    void unusableDataDirIsRefused() {
        QTemporaryDir tmp;
        QFile blocker(tmp.path() + "/file");
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const auto result = runServerCli({"--data-dir", tmp.path() + "/file/data"});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains("cannot create data directory"), qPrintable(result.err));
    }

    // Clients that keep connections open (idle after a request, or stalled in the middle of a
    // body) do not hold up a stop: the server exits long before its 30 s read timeout.
    void stopsWhileClientsHoldConnections() {
        QTemporaryDir tmp;
        ServerProcess server;
        QVERIFY2(server.start(newDataDir(tmp)), qPrintable(server.log()));
        const QUrl base(server.baseUrl());
        QTcpSocket idle;
        QTcpSocket stalled;
        for (QTcpSocket* socket : {&idle, &stalled}) {
            socket->connectToHost(base.host(), static_cast<quint16>(base.port()));
            QVERIFY(socket->waitForConnected(10000));
        }
        idle.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(idle.waitForReadyRead(10000));
        stalled.write("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: "
                      "application/json\r\nContent-Length: 100\r\n\r\n{\"login\":");
        QVERIFY(stalled.waitForBytesWritten(5000));
        QTest::qWait(300); // the server is now waiting for the rest of that body
        QCOMPARE(server.stop(10000), 0);
        expectNoPostgresFor(tmp.path());
    }

    void listenAddressInUseIsRefused() {
        QTemporaryDir tmp;
        ServerProcess first;
        QVERIFY2(first.start(serverReachable(tmp) + "/a"), qPrintable(first.log()));
        const QString port = first.baseUrl().section(':', -1);
        const auto result = runServerCli(
            {"--listen", "127.0.0.1:" + port, "--data-dir", tmp.path() + "/b"}, 120000);
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains("cannot listen on 127.0.0.1:" + port), qPrintable(result.err));
        QCOMPARE(first.stop(), 0);
        expectNoPostgresFor(tmp.path() + "/b");
    }
};

QTEST_GUILESS_MAIN(TestServerLifecycle)
#include "tst_serverlifecycle.moc"
