#include "StandinProcess.h"

#include <QDeadlineTimer>
#include <QRegularExpression>

namespace reelgate::test {

StandinProcess::~StandinProcess() {
    if (process_.state() != QProcess::NotRunning) {
        process_.kill();
        process_.waitForFinished(10000);
    }
}

bool StandinProcess::start(const QString& script, const QStringList& args, int timeoutMs) {
    process_.setProcessChannelMode(QProcess::MergedChannels);
    process_.start("node",
                   QStringList{QStringLiteral(REELGATE_STANDINS_DIR) + "/" + script} + args);
    if (!process_.waitForStarted(timeoutMs))
        return false;
    static const QRegularExpression kListening("listening on (http://\\S+)");
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired() && process_.state() == QProcess::Running) {
        process_.waitForReadyRead(200);
        log_ += QString::fromUtf8(process_.readAll());
        if (const auto match = kListening.match(log_); match.hasMatch()) {
            baseUrl_ = match.captured(1);
            return true;
        }
    }
    return false;
}

QString StandinProcess::log() {
    log_ += QString::fromUtf8(process_.readAll());
    return log_;
}

} // namespace reelgate::test
