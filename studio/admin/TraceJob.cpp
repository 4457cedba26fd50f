#include "admin/TraceJob.h"

#include <QDir>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QTimer>
#include <QUrlQuery>

namespace {
// Polls that may fail in a row (server busy, a blip in the network) before the job gives up.
constexpr int kMaxPollFailures = 5;
// No byte moving for this long ends the upload (a stalled connection, not a slow one).
constexpr int kStallTimeoutMs = 120000;
} // namespace

TraceJob::TraceJob(ApiClient& api, QString filePath, QString videoId, QObject* parent)
    : QObject(parent)
    , api_(api)
    , filePath_(std::move(filePath))
    , videoId_(std::move(videoId))
    , file_(filePath_)
    , manager_(this)
    , pollTimer_(new QTimer(this)) {
    pollTimer_->setSingleShot(true);
    connect(pollTimer_, &QTimer::timeout, this, &TraceJob::poll);
}

void TraceJob::setState(State state, const QString& message) {
    state_ = state;
    message_ = message;
    emit stateChanged(state, message);
}

void TraceJob::start() {
    if (state_ != State::Invalid)
        return;
    clock_.start();
    if (!file_.open(QIODevice::ReadOnly)) {
        setState(
            State::Failed,
            tr("Cannot read %1: %2").arg(QDir::toNativeSeparators(filePath_), file_.errorString()));
        return;
    }
    total_ = file_.size();
    if (total_ <= 0) {
        setState(State::Failed,
                 tr("The file %1 is empty.").arg(QDir::toNativeSeparators(filePath_)));
        return;
    }
    // The same address and token the ApiClient uses (the base URL may carry a path prefix).
    QString base = api_.baseUrl().toString();
    while (base.endsWith('/'))
        base.chop(1);
    QUrl url(base + "/api/admin/traces");
    QUrlQuery query;
    query.addQueryItem("video", videoId_);
    url.setQuery(query);
    QNetworkRequest request(url);
    request.setTransferTimeout(kStallTimeoutMs);
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/octet-stream");
    request.setHeader(QNetworkRequest::ContentLengthHeader, total_);
    request.setRawHeader("Accept", "application/json");
    if (!api_.token().isEmpty())
        request.setRawHeader("Authorization", "Bearer " + api_.token().toUtf8());

    setState(State::Uploading, tr("Sending the file to the server ..."));
    upload_ = manager_.post(request, &file_);
    connect(upload_, &QNetworkReply::uploadProgress, this, [this](qint64 sent, qint64 total) {
        sent_ = sent;
        if (total > 0)
            total_ = total;
        emit progress(sent_, total_);
    });
    QNetworkReply* reply = upload_;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { uploaded(reply); });
    // The network code may read the file until the reply is gone (even after an abort()).
    connect(reply, &QObject::destroyed, this, [this] { file_.close(); });
}

void TraceJob::uploaded(QNetworkReply* reply) {
    reply->deleteLater();
    if (state_ != State::Uploading)
        return; // cancelled meanwhile
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
    if (status == 0) {
        setState(State::Failed,
                 reply->error() == QNetworkReply::OperationCanceledError
                     ? tr("The upload stalled: the server took no data for two minutes.")
                     : tr("Cannot send the file to the server: %1").arg(reply->errorString()));
        return;
    }
    if (status >= 400) {
        setState(State::Failed, body.value("error").toObject().value("message").toString(
                                    tr("The server refused the file (HTTP %1).").arg(status)));
        return;
    }
    const QJsonObject trace = body.value("trace").toObject();
    traceId_ = trace.value("id").toString();
    if (traceId_.isEmpty()) {
        setState(State::Failed, tr("The server's answer was not understood; is this address a "
                                   "Reelgate server?"));
        return;
    }
    sent_ = total_;
    emit progress(sent_, total_);
    adopt(trace);
}

void TraceJob::poll() {
    if (state_ != State::Waiting)
        return;
    api_.get("/api/admin/traces/" + traceId_,
             [this, self = QPointer<TraceJob>(this)](const ApiResult& result) {
                 if (!self || state_ != State::Waiting)
                     return;
                 if (result.ok()) {
                     pollFailures_ = 0;
                     adopt(result.body.value("trace").toObject());
                     return;
                 }
                 // A lost connection may come back; an answer saying no (404 after a server
                 // restart, 403 after losing the admin role) will not.
                 if (result.errorCode == "network" && ++pollFailures_ < kMaxPollFailures) {
                     pollTimer_->start(pollIntervalMs_ * 2);
                     return;
                 }
                 setState(State::Failed, result.errorMessage);
             });
}

void TraceJob::adopt(const QJsonObject& trace) {
    const QString state = trace.value("state").toString();
    if (state == "done") {
        result_ = trace.value("result").toObject();
        setState(State::Done, tr("Finished."));
    } else if (state == "failed") {
        setState(State::Failed, trace.value("error").toString(tr("the trace failed")));
    } else {
        const QString message =
            state == "running" ? tr("The server is comparing the file with the video ...")
                               : tr("Waiting for the server to start (one trace runs at a time)"
                                    " ...");
        if (state_ != State::Waiting || message_ != message)
            setState(State::Waiting, message);
        pollTimer_->start(pollIntervalMs_);
    }
}

void TraceJob::cancel() {
    if (finished() || state_ == State::Invalid)
        return;
    const bool sending = state_ == State::Uploading;
    pollTimer_->stop();
    if (sending) {
        setState(State::Cancelled, tr("Cancelled; the file was not sent."));
        if (upload_)
            upload_->abort();
        return;
    }
    setState(State::Cancelled, tr("Cancelling the trace on the server ..."));
    api_.call("DELETE", "/api/admin/traces/" + traceId_, {},
              [this, self = QPointer<TraceJob>(this)](const ApiResult& result) {
                  if (!self || state_ != State::Cancelled)
                      return;
                  const QJsonObject trace = result.body.value("trace").toObject();
                  const QString state = trace.value("state").toString();
                  if (!result.ok())
                      setState(State::Cancelled,
                               tr("Cancelled here, but the server could not be told (%1); it "
                                  "may still finish the trace.")
                                   .arg(result.errorMessage));
                  else if (state == "done" || state == "failed")
                      adopt(trace); // it had finished already: show the answer after all
                  else
                      setState(State::Cancelled,
                               state == "cancelled"
                                   ? tr("Cancelled; the server stopped the trace and deleted its "
                                        "copy of the file.")
                                   : tr("Cancelled; the server is stopping the trace."));
              });
}
