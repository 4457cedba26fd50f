#include "net/AuthSession.h"

#include <QHostInfo>
#include <QJsonArray>

StudioUser StudioUser::fromJson(const QJsonObject& json) {
    StudioUser user;
    user.id = json.value("id").toInteger();
    user.username = json.value("username").toString();
    user.email = json.value("email").toString();
    for (const auto& role : json.value("roles").toArray())
        user.roles.append(role.toString());
    return user;
}

AuthSession::AuthSession(ApiClient& api, CredentialStore& store, QObject* parent)
    : QObject(parent)
    , api_(api)
    , store_(store) {}

void AuthSession::adopt(const QJsonObject& userJson) {
    user_ = StudioUser::fromJson(userJson);
    emit signedIn(user_);
}

void AuthSession::signIn(const QString& login, const QString& password) {
    if (login.trimmed().isEmpty() || password.isEmpty()) {
        emit signInFailed(tr("Enter your username (or email) and password."));
        return;
    }
    const QJsonObject body{{"login", login.trimmed()},
                           {"password", password},
                           {"label", tr("Reelgate Studio on %1").arg(QHostInfo::localHostName())}};
    api_.call("POST", "/api/auth/tokens", body, [this](const ApiResult& result) {
        if (!result.ok()) {
            emit signInFailed(result.errorMessage);
            return;
        }
        const QString token = result.body.value("token").toString();
        const QJsonObject user = result.body.value("user").toObject();
        store_.save(serverKey(), token, [this, token, user](bool ok, const QString& error) {
            if (!ok) {
                emit signInFailed(
                    tr("Signed in, but the token could not be stored: %1").arg(error));
                return;
            }
            api_.setToken(token);
            adopt(user);
        });
    });
}

void AuthSession::restore() {
    store_.load(serverKey(), [this](const QString& token) {
        if (token.isEmpty())
            return;
        api_.setToken(token);
        api_.get("/api/me", [this](const ApiResult& result) {
            if (result.ok()) {
                adopt(result.body.value("user").toObject());
            } else if (result.status == 401 || result.status == 403) {
                // Revoked, expired or suspended: forget it.
                api_.setToken({});
                store_.remove(serverKey(), [] {});
            }
        });
    });
}

void AuthSession::signOut() {
    auto forget = [this] {
        api_.setToken({});
        user_ = {};
        store_.remove(serverKey(), [this] { emit signedOut(); });
    };
    if (api_.token().isEmpty()) {
        forget();
        return;
    }
    api_.call("POST", "/api/auth/logout", {}, [forget](const ApiResult&) { forget(); });
}
