#include "net/ApiClient.h"

#include <QJsonDocument>
#include <QNetworkReply>
#include <QUuid>

#include <tuple>

namespace {

// The server's error envelope, {"error":{"code","message"}} or the flat {"error","message"}:
// its code and readable message.
QPair<QString, QString> errorOf(const QJsonObject& body, int status) {
    const QJsonValue error = body.value("error");
    const QJsonObject nested = error.toObject();
    const QString code = error.isString() ? error.toString() : nested.value("code").toString();
    const QString message =
        error.isString() ? body.value("message").toString() : nested.value("message").toString();
    return {code.isEmpty() ? QStringLiteral("http_error") : code,
            message.isEmpty() ? QObject::tr("The server answered %1.").arg(status) : message};
}

} // namespace

ApiClient::ApiClient(QObject* parent)
    : QObject(parent)
    , manager_(this) {}

QByteArray RawReply::header(const QByteArray& name) const {
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QNetworkRequest ApiClient::request(const QString& path, int timeoutMs) const {
    // The base URL may carry a path prefix (a server behind a reverse proxy).
    QString base = baseUrl_.toString();
    while (base.endsWith('/'))
        base.chop(1);
    QNetworkRequest request(QUrl(base + path));
    request.setTransferTimeout(timeoutMs);
    if (!token_.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token_.toUtf8());
    return request;
}

QNetworkReply* ApiClient::sendRaw(const QByteArray& verb, const QString& path,
                                  const QByteArray& body,
                                  const QList<QPair<QByteArray, QByteArray>>& headers,
                                  std::function<void(const RawReply&)> done, int timeoutMs) {
    QNetworkRequest req = request(path, timeoutMs);
    for (const auto& [name, value] : headers)
        req.setRawHeader(name, value);
    QNetworkReply* reply = manager_.sendCustomRequest(req, verb, body);
    connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done)] {
        reply->deleteLater();
        RawReply out;
        out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        out.body = reply->readAll();
        out.headers = reply->rawHeaderPairs();
        out.aborted = reply->error() == QNetworkReply::OperationCanceledError;
        if (out.status == 0)
            out.errorMessage = reply->errorString();
        done(out);
    });
    return reply;
}

void ApiClient::call(const QByteArray& verb, const QString& path, const QJsonObject& body,
                     std::function<void(const ApiResult&)> done, int timeoutMs) {
    send(request(path, timeoutMs), verb, body, std::move(done));
}

void ApiClient::callOnce(const QByteArray& verb, const QString& path, const QJsonObject& body,
                         const QString& idempotencyKey,
                         std::function<void(const ApiResult&)> done) {
    QNetworkRequest req = request(path, 30000);
    req.setRawHeader("Idempotency-Key", idempotencyKey.toUtf8());
    send(req, verb, body, std::move(done));
}

QString ApiClient::newIdempotencyKey() {
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

void ApiClient::download(
    const QString& path,
    std::function<void(int status, const QByteArray& bytes, const QString& error)> done) {
    sendRaw(
        "GET", path, {}, {{"Accept", "text/csv"}},
        [done = std::move(done)](const RawReply& reply) {
            if (reply.status == 0) {
                done(0, {}, QObject::tr("Cannot reach the server: %1").arg(reply.errorMessage));
                return;
            }
            if (reply.status >= 400) {
                done(reply.status, {},
                     errorOf(QJsonDocument::fromJson(reply.body).object(), reply.status).second);
                return;
            }
            done(reply.status, reply.body, {});
        },
        60000);
}

void ApiClient::send(QNetworkRequest request, const QByteArray& verb, const QJsonObject& body,
                     std::function<void(const ApiResult&)> done) {
    request.setRawHeader("Accept", "application/json");
    QByteArray payload;
    if (verb != "GET") {
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
        payload = QJsonDocument(body).toJson(QJsonDocument::Compact);
    }
    QNetworkReply* reply = manager_.sendCustomRequest(request, verb, payload);
    connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done)] {
        reply->deleteLater();
        ApiResult result;
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonDocument doc = QJsonDocument::fromJson(reply->readAll());
        result.body = doc.object();
        if (result.status == 0) {
            result.errorCode = "network";
            result.errorMessage =
                reply->error() == QNetworkReply::OperationCanceledError
                    ? QObject::tr("The server did not answer in time.")
                    : QObject::tr("Cannot reach the server: %1").arg(reply->errorString());
        } else if (result.status >= 400) {
            std::tie(result.errorCode, result.errorMessage) = errorOf(result.body, result.status);
        } else if (!doc.isObject() && result.status != 204) {
            result.errorCode = "bad_reply";
            result.errorMessage = QObject::tr("The server's answer was not understood; is this "
                                              "address a Reelgate server?");
        }
        done(result);
    });
}
