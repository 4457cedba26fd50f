#include "net/ApiClient.h"

#include <QJsonDocument>
#include <QNetworkReply>

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
    QNetworkRequest request = this->request(path, timeoutMs);
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
            const QJsonObject error = result.body.value("error").toObject();
            result.errorCode = error.value("code").toString("http_error");
            result.errorMessage = error.value("message").toString(
                QObject::tr("The server answered %1.").arg(result.status));
        } else if (!doc.isObject() && result.status != 204) {
            result.errorCode = "bad_reply";
            result.errorMessage = QObject::tr("The server's answer was not understood; is this "
                                              "address a Reelgate server?");
        }
        done(result);
    });
}
