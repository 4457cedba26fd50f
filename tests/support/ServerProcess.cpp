#include "ServerProcess.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTimer>

#include <csignal>

namespace reelgate::test {

QByteArray HttpReply::header(const QByteArray& name) const {
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

ServerProcess::~ServerProcess() {
    if (process_.state() != QProcess::NotRunning) {
        process_.kill();
        process_.waitForFinished(10000);
    }
}

QString ServerProcess::binaryPath() {
    const QByteArray env = qgetenv("REELGATE_SERVER_BIN");
    return env.isEmpty() ? QStringLiteral(REELGATE_SERVER_BIN) : QString::fromLocal8Bit(env);
}

void ServerProcess::drain() {
    log_ += QString::fromUtf8(process_.readAll());
}

QString ServerProcess::log() {
    drain();
    return log_;
}

qint64 ServerProcess::pid() const {
    return process_.processId();
}

bool ServerProcess::start(const QString& dataDir, const QStringList& extraArgs, int timeoutMs) {
    log_.clear();
    baseUrl_.clear();
    process_.setProcessChannelMode(QProcess::MergedChannels);
    QStringList args{"--listen", "127.0.0.1:0", "--data-dir", dataDir};
    args += extraArgs;
    process_.start(binaryPath(), args);
    if (!process_.waitForStarted(10000))
        return false;
    static const QRegularExpression kListening(R"(listening on (http://[^\s]+))");
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        process_.waitForReadyRead(100);
        drain();
        const auto match = kListening.match(log_);
        if (match.hasMatch()) {
            baseUrl_ = match.captured(1);
            return true;
        }
        if (process_.state() == QProcess::NotRunning)
            return false;
    }
    return false;
}

int ServerProcess::waitForExit(int timeoutMs) {
    if (process_.state() != QProcess::NotRunning && !process_.waitForFinished(timeoutMs))
        return -1;
    drain();
    return process_.exitStatus() == QProcess::NormalExit ? process_.exitCode() : -1;
}

int ServerProcess::stop(int timeoutMs) {
    if (process_.state() == QProcess::NotRunning)
        return waitForExit(0);
    ::kill(static_cast<pid_t>(process_.processId()), SIGTERM);
    const int code = waitForExit(timeoutMs);
    if (code == -1 && process_.state() != QProcess::NotRunning) {
        process_.kill();
        process_.waitForFinished(10000);
    }
    return code;
}

void ServerProcess::kill() {
    process_.kill();
    process_.waitForFinished(10000);
    drain();
}

HttpReply ServerProcess::get(const QString& path,
                             const QList<QPair<QByteArray, QByteArray>>& headers) {
    return request("GET", baseUrl_ + path, {}, headers);
}

HttpReply ServerProcess::post(const QString& path, const QByteArray& body,
                              const QByteArray& contentType,
                              const QList<QPair<QByteArray, QByteArray>>& headers) {
    auto all = headers;
    all.append({"Content-Type", contentType});
    return request("POST", baseUrl_ + path, body, all);
}

HttpReply ServerProcess::request(const QByteArray& verb, const QString& url, const QByteArray& body,
                                 const QList<QPair<QByteArray, QByteArray>>& headers,
                                 int timeoutMs) {
    QNetworkAccessManager manager;
    QNetworkRequest request{QUrl(url)};
    for (const auto& [key, value] : headers)
        request.setRawHeader(key, value);
    request.setTransferTimeout(timeoutMs);
    return sendAndWait(manager, request, verb, body);
}

HttpReply sendAndWait(QNetworkAccessManager& manager, const QNetworkRequest& request,
                      const QByteArray& verb, const QByteArray& body) {
    if (verb == "HEAD")
        return finishReply(manager.head(request));
    return finishReply(manager.sendCustomRequest(request, verb, body));
}

HttpReply finishReply(QNetworkReply* reply) {
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    HttpReply out;
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.body = reply->readAll();
    out.headers = reply->rawHeaderPairs();
    reply->deleteLater();
    return out;
}

CliResult runServerCli(const QStringList& args, int timeoutMs, const QByteArray& standardInput) {
    QProcess process;
    process.start(ServerProcess::binaryPath(), args);
    process.write(standardInput);
    process.closeWriteChannel();
    CliResult result;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

QString psql(const QString& dataDir, const QString& sql) {
    QProcess process;
    process.start("psql", {"-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql,
                           "host=" + dataDir + "/run port=5432 user=reelgate dbname=reelgate"});
    if (!process.waitForFinished(30000) || process.exitCode() != 0)
        return "psql failed: " + QString::fromUtf8(process.readAllStandardError());
    return QString::fromUtf8(process.readAllStandardOutput()).trimmed();
}

QString serverReachable(const QTemporaryDir& tmp) {
    QFile::setPermissions(tmp.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                          QFile::ExeGroup | QFile::ExeOther);
    return tmp.path();
}

QList<qint64> processesMentioning(const QString& needle) {
    QList<qint64> pids;
    const QByteArray want = needle.toUtf8();
    const auto entries = QDir("/proc").entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& entry : entries) {
        bool numeric = false;
        const qint64 pid = entry.toLongLong(&numeric);
        if (!numeric || pid == QCoreApplication::applicationPid())
            continue;
        QFile file("/proc/" + entry + "/cmdline");
        if (!file.open(QIODevice::ReadOnly))
            continue;
        QByteArray cmdline = file.readAll();
        cmdline.replace('\0', ' ');
        if (cmdline.contains(want))
            pids.append(pid);
    }
    return pids;
}

} // namespace reelgate::test
