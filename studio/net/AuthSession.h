#pragma once
// The studio's signed-in user. Signing in asks the server for a bearer token (the password is
// sent once and never stored); the token lives in the CredentialStore, keyed by server URL.
// restore() reuses a stored token at startup; signOut() revokes it on the server and forgets
// it. GUI thread.

#include "net/ApiClient.h"
#include "net/CredentialStore.h"

#include <QJsonObject>
#include <QObject>
#include <QStringList>

struct StudioUser {
    qint64 id = 0;
    QString username;
    QString email;
    QStringList roles;
    bool isAdmin() const { return roles.contains("admin"); }
    bool isCreator() const { return roles.contains("creator"); }
    static StudioUser fromJson(const QJsonObject& json);
};

class AuthSession : public QObject {
    Q_OBJECT
public:
    AuthSession(ApiClient& api, CredentialStore& store, QObject* parent);

    bool isSignedIn() const { return !user_.username.isEmpty(); }
    const StudioUser& user() const { return user_; }
    bool tokenInFile() const { return store_.usingFile(); }
    QString tokenFilePath() const { return store_.filePath(); }

    void signIn(const QString& login, const QString& password);
    void signOut();
    // Uses a stored token for the current server, if any and still valid.
    void restore();

signals:
    void signedIn(const StudioUser& user);
    void signedOut();
    void signInFailed(const QString& message);

private:
    QString serverKey() const { return api_.baseUrl().toString(); }
    void adopt(const QJsonObject& userJson);

    ApiClient& api_;
    CredentialStore& store_;
    StudioUser user_;
};
