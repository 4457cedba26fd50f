#pragma once
// Test support: runs the real reelgate-server binary on a free port with its own data dir,
// and talks HTTP to it. Synchronous by design (tests read top to bottom).
// Binary path: $REELGATE_SERVER_BIN, else the path compiled in by CMake.

#include <QByteArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <optional>

namespace reelgate::test {

struct HttpReply {
    int status = 0; // 0 = no HTTP reply (connection failed)
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QJsonDocument json() const { return QJsonDocument::fromJson(body); }
    QByteArray header(const QByteArray& name) const;
};

// Waits for `reply` to finish (running an event loop), then reads it and deletes it later.
HttpReply finishReply(QNetworkReply* reply);
// Sends `verb` and waits for its reply. HEAD goes through QNetworkAccessManager::head(): as a
// custom verb Qt would wait for the body a 404's Content-Length announces.
HttpReply sendAndWait(QNetworkAccessManager& manager, const QNetworkRequest& request,
                      const QByteArray& verb, const QByteArray& body);

class ServerProcess {
public:
    ServerProcess() = default;
    ~ServerProcess(); // kills the server if a test left it running
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    static QString binaryPath();

    // Starts `reelgate-server --listen 127.0.0.1:0 --data-dir <dataDir> <extraArgs>` and waits
    // until it logs its address. Returns false (see log()) when it exited or timed out.
    bool start(const QString& dataDir, const QStringList& extraArgs = {}, int timeoutMs = 120000);
    // SIGTERM and wait; returns the exit code (-1 if it had to be killed).
    int stop(int timeoutMs = 60000);
    // SIGKILL, as a crash would.
    void kill();
    // Waits for the process to end by itself; returns the exit code or -1 on timeout.
    int waitForExit(int timeoutMs = 60000);

    QString baseUrl() const { return baseUrl_; }
    qint64 pid() const;
    QString log(); // everything the server wrote to stderr/stdout so far

    HttpReply get(const QString& path, const QList<QPair<QByteArray, QByteArray>>& headers = {});
    HttpReply post(const QString& path, const QByteArray& body, const QByteArray& contentType,
                   const QList<QPair<QByteArray, QByteArray>>& headers = {});
    static HttpReply request(const QByteArray& verb, const QString& url,
                             const QByteArray& body = {},
                             const QList<QPair<QByteArray, QByteArray>>& headers = {},
                             int timeoutMs = 30000);

private:
    void drain();

    QProcess process_;
    QString baseUrl_;
    QString log_;
};

// Runs the server binary with arguments to completion (for --help, bad flags...).
struct CliResult {
    int exitCode = -1;
    QString out;
    QString err;
};
CliResult runServerCli(const QStringList& args, int timeoutMs = 60000,
                       const QByteArray& standardInput = {});

// Runs SQL with psql against the embedded cluster of a server's data dir (for arranging
// states no API offers, such as an expired reset link). Returns psql's unaligned output.
QString psql(const QString& dataDir, const QString& sql);

// QTemporaryDir makes 0700 directories; a server running as root hands its embedded
// PostgreSQL to the 'postgres' user, which must be able to enter the directory. Returns the
// temporary directory's path after allowing that (execute-only for others).
QString serverReachable(const QTemporaryDir& tmp);

// PIDs of live processes whose command line contains `needle` (e.g. a data dir path).
QList<qint64> processesMentioning(const QString& needle);

} // namespace reelgate::test
