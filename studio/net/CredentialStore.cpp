#include "net/CredentialStore.h"

#include <qt6keychain/keychain.h>

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

namespace {

constexpr const char* kService = "Reelgate Studio";

bool keychainUnavailable(QKeychain::Error error) {
    return error == QKeychain::NoBackendAvailable || error == QKeychain::NotImplemented ||
           error == QKeychain::OtherError || error == QKeychain::AccessDenied;
}

} // namespace

CredentialStore::CredentialStore(QObject* parent)
    : QObject(parent)
    , usingFile_(qEnvironmentVariable("REELGATE_STUDIO_CREDENTIALS") == "file") {}

QString CredentialStore::filePath() const {
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) +
           "/credentials.json";
}

QString CredentialStore::readFile(const QString& key) const {
    QFile file(filePath());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object().value(key).toString();
}

bool CredentialStore::writeFile(const QString& key, const QString& token, QString* error) const {
    QJsonObject all;
    {
        QFile existing(filePath());
        if (existing.open(QIODevice::ReadOnly))
            all = QJsonDocument::fromJson(existing.readAll()).object();
    }
    if (token.isEmpty())
        all.remove(key);
    else
        all.insert(key, token);
    QDir().mkpath(QFileInfo(filePath()).absolutePath());
    QSaveFile file(filePath());
    // Owner-only from the moment it exists: the token is as good as the password.
    if (!file.open(QIODevice::WriteOnly) ||
        !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        *error = file.errorString();
        return false;
    }
    file.write(QJsonDocument(all).toJson());
    if (!file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

void CredentialStore::load(const QString& serverUrl, std::function<void(const QString&)> done) {
    if (usingFile_) {
        done(readFile(serverUrl));
        return;
    }
    auto* job = new QKeychain::ReadPasswordJob(kService, this);
    job->setKey(serverUrl);
    connect(job, &QKeychain::Job::finished, this, [this, job, serverUrl, done] {
        if (job->error() == QKeychain::NoError)
            done(job->textData());
        else if (keychainUnavailable(job->error())) {
            usingFile_ = true;
            done(readFile(serverUrl));
        } else
            done({});
    });
    job->start();
}

void CredentialStore::save(const QString& serverUrl, const QString& token,
                           std::function<void(bool, const QString&)> done) {
    if (usingFile_) {
        QString error;
        const bool ok = writeFile(serverUrl, token, &error);
        done(ok, error);
        return;
    }
    auto* job = new QKeychain::WritePasswordJob(kService, this);
    job->setKey(serverUrl);
    job->setTextData(token);
    connect(job, &QKeychain::Job::finished, this, [this, job, serverUrl, token, done] {
        if (job->error() == QKeychain::NoError) {
            done(true, {});
        } else if (keychainUnavailable(job->error())) {
            usingFile_ = true;
            QString error;
            const bool ok = writeFile(serverUrl, token, &error);
            done(ok, error);
        } else {
            done(false, job->errorString());
        }
    });
    job->start();
}

void CredentialStore::remove(const QString& serverUrl, std::function<void()> done) {
    if (usingFile_) {
        QString ignored;
        writeFile(serverUrl, {}, &ignored);
        done();
        return;
    }
    auto* job = new QKeychain::DeletePasswordJob(kService, this);
    job->setKey(serverUrl);
    connect(job, &QKeychain::Job::finished, this, [done] { done(); });
    job->start();
}
