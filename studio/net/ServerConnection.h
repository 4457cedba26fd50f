#pragma once
// Is the configured server reachable and healthy? Checks GET /healthz (5 s timeout) and
// reports a state with a readable message and the server's version. GUI thread.

#include "net/ApiClient.h"

#include <QObject>

enum class ConnectionState {
    Unknown = 0, // not checked yet
    Checking,
    Connected,           // healthy, database ok
    DatabaseUnavailable, // server answers 503
    Unreachable,         // no answer at all
    NotReelgate,         // answered, but not like a Reelgate server
    InvalidUrl,
};

class ServerConnection : public QObject {
    Q_OBJECT
public:
    ServerConnection(ApiClient& api, QObject* parent);

    // Validates `url` (http/https with a host), adopts it, and checks it.
    void check(const QString& url);
    ConnectionState state() const { return state_; }
    QString message() const { return message_; }
    QString serverVersion() const { return version_; }

    // Empty when fine, else why `url` cannot be a server address.
    static QString validate(const QString& url);

signals:
    void stateChanged(ConnectionState state, const QString& message, const QString& version);

private:
    void setState(ConnectionState state, const QString& message, const QString& version = {});

    ApiClient& api_;
    ConnectionState state_ = ConnectionState::Unknown;
    QString message_;
    QString version_;
    int generation_ = 0; // ignores answers to superseded checks
};
