#pragma once
// JSON over HTTP to reelgate-server: base URL, optional bearer token, the server's error
// envelope turned into a readable message. Asynchronous (callbacks on the GUI thread).
// Owned by the main window; every reply is parented to it and deleted after its callback.

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QUrl>

#include <functional>

struct ApiResult {
    int status = 0;       // HTTP status; 0 = no answer (connection refused, timeout...)
    QJsonObject body;     // parsed JSON object (empty when the reply was not JSON)
    QString errorCode;    // server's error code, or "network" / "bad_reply"
    QString errorMessage; // readable, for the UI
    bool ok() const { return status >= 200 && status < 300 && errorCode.isEmpty(); }
};

struct RawReply {
    int status = 0; // 0 = no answer
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QString errorMessage;
    bool aborted = false;
    QByteArray header(const QByteArray& name) const;
};

class ApiClient : public QObject {
    Q_OBJECT
public:
    explicit ApiClient(QObject* parent);

    void setBaseUrl(const QUrl& url) { baseUrl_ = url; }
    QUrl baseUrl() const { return baseUrl_; }
    void setToken(const QString& token) { token_ = token; }
    QString token() const { return token_; }

    void call(const QByteArray& verb, const QString& path, const QJsonObject& body,
              std::function<void(const ApiResult&)> done, int timeoutMs = 15000);
    void get(const QString& path, std::function<void(const ApiResult&)> done,
             int timeoutMs = 15000) {
        call("GET", path, {}, std::move(done), timeoutMs);
    }
    // A request that moves money: sent with `Idempotency-Key: idempotencyKey`, so repeating it
    // with the same key (a retry, a double click) has the server do it at most once.
    void callOnce(const QByteArray& verb, const QString& path, const QJsonObject& body,
                  const QString& idempotencyKey, std::function<void(const ApiResult&)> done);
    // GET of a file the server makes (a CSV export or statement): its bytes, or the server's
    // readable error message (status 0 or >= 400).
    void
    download(const QString& path,
             std::function<void(int status, const QByteArray& bytes, const QString& error)> done);
    // A fresh Idempotency-Key.
    static QString newIdempotencyKey();

    // Any request with raw bytes and headers (tus); `path` is relative to the base URL.
    // Returns the reply so the caller may abort() it; `done` still runs (aborted = true).
    QNetworkReply* sendRaw(const QByteArray& verb, const QString& path, const QByteArray& body,
                           const QList<QPair<QByteArray, QByteArray>>& headers,
                           std::function<void(const RawReply&)> done, int timeoutMs = 120000);

private:
    QNetworkRequest request(const QString& path, int timeoutMs) const;
    void send(QNetworkRequest request, const QByteArray& verb, const QJsonObject& body,
              std::function<void(const ApiResult&)> done);

    QNetworkAccessManager manager_;
    QUrl baseUrl_;
    QString token_;
};
