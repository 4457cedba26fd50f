#include "net/ServerConnection.h"

#include <QUrl>

ServerConnection::ServerConnection(ApiClient& api, QObject* parent)
    : QObject(parent)
    , api_(api) {}

QString ServerConnection::validate(const QString& text) {
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (text.trimmed().isEmpty())
        return tr("Enter the server's address, e.g. http://127.0.0.1:8080");
    if (!url.isValid() || (url.scheme() != "http" && url.scheme() != "https"))
        return tr("The address must start with http:// or https://");
    if (url.host().isEmpty())
        return tr("The address has no host name.");
    if (url.hasQuery() || url.hasFragment())
        return tr("The address must not contain '?' or '#'.");
    return {};
}

void ServerConnection::setState(ConnectionState state, const QString& message,
                                const QString& version) {
    state_ = state;
    message_ = message;
    version_ = version;
    emit stateChanged(state, message, version);
}

void ServerConnection::check(const QString& text) {
    const int generation = ++generation_;
    if (const QString problem = validate(text); !problem.isEmpty()) {
        setState(ConnectionState::InvalidUrl, problem);
        return;
    }
    QUrl url(text.trimmed());
    url.setPath(url.path().endsWith('/') ? url.path().chopped(1) : url.path());
    api_.setBaseUrl(url);
    setState(ConnectionState::Checking, tr("Checking %1 ...").arg(url.toString()));
    api_.get(
        "/healthz",
        [this, generation, url](const ApiResult& result) {
            if (generation != generation_)
                return;
            const QString version = result.body.value("version").toString();
            const bool looksLikeReelgate = result.body.contains("status") && !version.isEmpty();
            if (result.status == 200 && looksLikeReelgate &&
                result.body.value("status").toString() == "ok")
                setState(ConnectionState::Connected,
                         tr("Connected to %1 (server %2)").arg(url.host(), version), version);
            else if (result.status == 503 && looksLikeReelgate)
                setState(ConnectionState::DatabaseUnavailable,
                         tr("The server answers, but its database is unavailable (%1).")
                             .arg(result.body.value("reason").toString()),
                         version);
            else if (result.status == 0)
                setState(ConnectionState::Unreachable, result.errorMessage);
            else
                setState(ConnectionState::NotReelgate,
                         tr("%1 answered, but not like a Reelgate server (HTTP %2).")
                             .arg(url.toString())
                             .arg(result.status));
        },
        5000);
}
