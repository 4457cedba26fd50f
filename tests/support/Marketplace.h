#pragma once
// Test support: a running server with people and videos in it, for the money and playback
// tests. Accounts sign up over HTTP (each gets its own cookie-keeping client); videos are
// published and wallets credited with the server's own commands (`publish`, `credit`), the way
// an operator does it. Synchronous.

#include "HttpClient.h"
#include "ServerProcess.h"
#include "TestPackage.h"

#include <QTemporaryDir>

#include <map>
#include <memory>

namespace reelgate::test {

class Marketplace {
public:
    // Starts a server with a fresh data dir; false (see server().log()) on failure.
    bool start(const QStringList& extraArgs = {});
    ServerProcess& server() { return server_; }
    const QString& dataDir() const { return dataDir_; }
    QString workDir() const { return tmp_.path(); }

    // Registers `name` (password "long password 123") and keeps the signed-in client.
    HttpClient* signUp(const QString& name, bool creator = false);
    HttpClient* client(const QString& name) { return clients_.at(name).get(); }
    // A fresh client for an existing account, signed in again (a second browser).
    std::unique_ptr<HttpClient> signIn(const QString& name);
    // A bearer token (studio-style) for an existing account.
    QByteArray token(const QString& name);
    // Makes `name` an admin on the command line, as an operator does (the same password as
    // every account); a client for the admin API with its bearer token, nullptr on failure.
    std::unique_ptr<HttpClient> createAdmin(const QString& name);
    // The password of every account made here.
    static QString password();

    // A server command with this data dir.
    CliResult cli(const QStringList& args, const QByteArray& standardInput = {});
    // Writes `package` to disk and publishes it; returns the video id ("" on failure, logged).
    QString publish(const QString& creator, const QString& title, const QString& price,
                    const QString& currency, int affiliateBps,
                    const QList<TarEntry>& package = samplePackage());
    // Publishes a package folder already on disk.
    QString publishDir(const QString& dir, const QString& creator, const QString& title,
                       const QString& price, const QString& currency, int affiliateBps);
    bool credit(const QString& user, const QString& amount, const QString& currency);
    // Balance of `user` in `currency` in minor units, read over HTTP (0 without a wallet).
    qint64 balance(const QString& user, const QString& currency);
    QString sql(const QString& query) { return psql(dataDir_, query); }

private:
    QTemporaryDir tmp_;
    QString dataDir_;
    ServerProcess server_;
    std::map<QString, std::unique_ptr<HttpClient>> clients_;
    int packages_ = 0;
};

// The "code" of an error reply ({"error":{"code":...}}).
QString errorCode(const HttpReply& reply);

} // namespace reelgate::test
