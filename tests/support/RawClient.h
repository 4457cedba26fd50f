#pragma once
// Test support: a blocking TCP client with explicit waits, for tests where HTTP itself is the
// subject (framing, slow and idle connections, event streams): exactly the bytes a test
// chooses go out, and it reads what the server sends, or notices that it closed.

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <functional>

namespace reelgate::test {

class RawClient {
public:
    // Connects to 127.0.0.1 on the port of `baseUrl` (http://127.0.0.1:PORT).
    explicit RawClient(const QString& baseUrl);
    ~RawClient();
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    bool connected() const { return connected_; }
    bool send(const QByteArray& bytes);
    // Reads until `until` returns true for what arrived, the peer closes, or waitMs passes.
    QByteArray readUntil(const std::function<bool(const QByteArray&)>& until, int waitMs = 10000);
    // The whole first response (head and Content-Length body), removed from what was received.
    QByteArray response(int waitMs = 10000);
    // True when the server closed the connection (after what it sent) within waitMs.
    bool closedByServer(int waitMs = 10000);
    const QByteArray& pending() const { return received_; }
    // Size of the first complete response in `b` (0: not complete yet).
    static qsizetype complete(const QByteArray& b);

private:
    int fd_ = -1;
    bool connected_ = false;
    bool closed_ = false;
    QByteArray received_;
};

int statusOf(const QByteArray& response);
QByteArray headerOf(const QByteArray& response, const QByteArray& name);
// The {"error":{...}} object of a JSON error response.
QJsonObject errorOf(const QByteArray& response);

} // namespace reelgate::test
