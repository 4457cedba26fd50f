#pragma once
// One leak trace: streams the suspect file to POST /api/admin/traces?video=ID straight from
// disk (a multi-GB recording is never held in memory), then polls GET /api/admin/traces/{id}
// until the server has an answer. Cancel aborts the upload; once the server has the file it
// asks the server to call the trace off (DELETE; a trace that had already finished shows its
// answer instead). GUI thread; widgets only
// observe its signals. Uses the ApiClient's server address and token.

#include "net/ApiClient.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>

class QNetworkReply;
class QTimer;

class TraceJob : public QObject {
    Q_OBJECT
public:
    enum class State {
        Invalid = 0,
        Uploading,
        Waiting,   // the server has the file: queued or analysing it
        Done,      // result() holds the server's answer (identified or not)
        Failed,    // message() says why, in the server's words where it gave some
        Cancelled, // by the admin
    };

    TraceJob(ApiClient& api, QString filePath, QString videoId, QObject* parent);

    void start();
    void cancel();
    void setPollIntervalMs(int ms) { pollIntervalMs_ = ms; }

    State state() const { return state_; }
    bool finished() const { return state_ >= State::Done; }
    QString message() const { return message_; }
    QString traceId() const { return traceId_; }
    QString videoId() const { return videoId_; }
    QString filePath() const { return filePath_; }
    qint64 sentBytes() const { return sent_; }
    qint64 totalBytes() const { return total_; }
    qint64 elapsedMs() const { return clock_.isValid() ? clock_.elapsed() : 0; }
    // The "result" object of a done trace (see server/forensics/TraceService.h).
    const QJsonObject& result() const { return result_; }

signals:
    void progress(qint64 sent, qint64 total);
    void stateChanged(TraceJob::State state, const QString& message);

private:
    void uploaded(QNetworkReply* reply);
    void poll();
    void adopt(const QJsonObject& trace);
    void setState(State state, const QString& message);

    ApiClient& api_;
    QString filePath_;
    QString videoId_;
    QFile file_;
    QNetworkAccessManager manager_;
    QPointer<QNetworkReply> upload_;
    QTimer* pollTimer_;
    int pollIntervalMs_ = 1000;
    int pollFailures_ = 0;
    State state_ = State::Invalid;
    QString message_;
    QString traceId_;
    QJsonObject result_;
    qint64 sent_ = 0;
    qint64 total_ = 0;
    QElapsedTimer clock_;
};
