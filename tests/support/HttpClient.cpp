#include "HttpClient.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkCookie>
#include <QNetworkCookieJar>
#include <QNetworkReply>

namespace reelgate::test {

QByteArray HttpClient::cookie(const QByteArray& name) const {
    const auto cookies = manager_.cookieJar()->cookiesForUrl(QUrl(baseUrl_ + "/"));
    for (const auto& c : cookies) {
        if (c.name() == name)
            return c.value();
    }
    return {};
}

HttpReply HttpClient::get(const QString& path) {
    return send("GET", path, {}, {});
}

HttpReply HttpClient::del(const QString& path) {
    return send("DELETE", path, {}, {});
}

HttpReply HttpClient::postJson(const QString& path, const QJsonObject& body) {
    return send("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact),
                "application/json");
}

HttpReply HttpClient::send(const QByteArray& verb, const QString& path, const QByteArray& body,
                           const QByteArray& contentType,
                           const QList<QPair<QByteArray, QByteArray>>& headers) {
    QNetworkRequest request{QUrl(baseUrl_ + path)};
    request.setTransferTimeout(30000);
    if (!contentType.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    if (!bearer_.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + bearer_);
    if (!origin_.isEmpty())
        request.setRawHeader("Origin", origin_);
    for (const auto& [name, value] : headers)
        request.setRawHeader(name, value);
    if (sendCsrf_ && verb != "GET" && !cookie("rg_csrf").isEmpty())
        request.setRawHeader("X-CSRF-Token", cookie("rg_csrf"));
    return sendAndWait(manager_, request, verb, body);
}

} // namespace reelgate::test
