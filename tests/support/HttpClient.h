#pragma once
// Test support: a browser-like HTTP client for one user. Keeps cookies between requests (like a
// browser profile), can send a bearer token instead (like the studio), and adds the CSRF
// header from the rg_csrf cookie when asked. Synchronous.

#include "ServerProcess.h"

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QString>

namespace reelgate::test {

class HttpClient {
public:
    explicit HttpClient(QString baseUrl)
        : baseUrl_(std::move(baseUrl)) {}

    void setBearer(const QByteArray& token) { bearer_ = token; }
    void setOrigin(const QByteArray& origin) { origin_ = origin; }
    void setSendCsrf(bool on) { sendCsrf_ = on; }
    QByteArray cookie(const QByteArray& name) const;

    HttpReply get(const QString& path);
    HttpReply del(const QString& path);
    HttpReply postJson(const QString& path, const QJsonObject& body);
    HttpReply send(const QByteArray& verb, const QString& path, const QByteArray& body,
                   const QByteArray& contentType,
                   const QList<QPair<QByteArray, QByteArray>>& headers = {});

private:
    QString baseUrl_;
    QNetworkAccessManager manager_;
    QByteArray bearer_;
    QByteArray origin_;
    bool sendCsrf_ = true;
};

} // namespace reelgate::test
