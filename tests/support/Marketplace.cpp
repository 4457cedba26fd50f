#include "Marketplace.h"

#include <QJsonArray>
#include <QJsonObject>

namespace reelgate::test {

namespace {
const QString kPassword = "long password 123";
}

QString errorCode(const HttpReply& reply) {
    return reply.json().object().value("error").toObject().value("code").toString();
}

bool Marketplace::start(const QStringList& extraArgs) {
    dataDir_ = serverReachable(tmp_) + "/data";
    return server_.start(dataDir_, extraArgs);
}

HttpClient* Marketplace::signUp(const QString& name, bool creator) {
    auto client = std::make_unique<HttpClient>(server_.baseUrl());
    const auto reply = client->postJson(
        "/api/auth/register",
        {{"username", name}, {"email", name + "@example.com"}, {"password", kPassword}});
    if (reply.status != 201) {
        qWarning() << "sign-up of" << name << "failed:" << reply.status << reply.body;
        return nullptr;
    }
    if (creator && client->postJson("/api/me/creator", {}).status != 200) {
        qWarning() << "could not make" << name << "a creator";
        return nullptr;
    }
    clients_[name] = std::move(client);
    return clients_[name].get();
}

std::unique_ptr<HttpClient> Marketplace::signIn(const QString& name) {
    auto client = std::make_unique<HttpClient>(server_.baseUrl());
    if (client->postJson("/api/auth/login", {{"login", name}, {"password", kPassword}}).status !=
        200)
        return nullptr;
    return client;
}

QByteArray Marketplace::token(const QString& name) {
    const auto reply = ServerProcess::request(
        "POST", server_.baseUrl() + "/api/auth/tokens",
        QJsonDocument(QJsonObject{{"login", name}, {"password", kPassword}, {"name", "tests"}})
            .toJson(),
        {{"Content-Type", "application/json"}});
    return reply.json().object().value("token").toString().toUtf8();
}

QString Marketplace::password() {
    return kPassword;
}

std::unique_ptr<HttpClient> Marketplace::createAdmin(const QString& name) {
    const auto made =
        cli({"admin", "create", name, name + "@example.com"}, kPassword.toUtf8() + "\n");
    if (made.exitCode != 0) {
        qWarning() << "could not make admin" << name << made.err;
        return nullptr;
    }
    auto client = std::make_unique<HttpClient>(server_.baseUrl());
    client->setBearer(token(name));
    return client;
}

CliResult Marketplace::cli(const QStringList& args, const QByteArray& standardInput) {
    return runServerCli(args + QStringList{"--data-dir", dataDir_}, 300000, standardInput);
}

QString Marketplace::publishDir(const QString& dir, const QString& creator, const QString& title,
                                const QString& price, const QString& currency, int affiliateBps) {
    const auto r = cli({"publish", dir, "--creator", creator, "--title", title, "--price", price,
                        "--currency", currency, "--affiliate-bps", QString::number(affiliateBps)});
    if (r.exitCode != 0 || !r.out.startsWith("published ")) {
        qWarning() << "publish failed:" << r.exitCode << r.out << r.err;
        return {};
    }
    return r.out.mid(10).trimmed();
}

QString Marketplace::publish(const QString& creator, const QString& title, const QString& price,
                             const QString& currency, int affiliateBps,
                             const QList<TarEntry>& package) {
    const QString dir = tmp_.path() + "/package-" + QString::number(++packages_);
    if (!writePackage(dir, package))
        return {};
    return publishDir(dir, creator, title, price, currency, affiliateBps);
}

bool Marketplace::credit(const QString& user, const QString& amount, const QString& currency) {
    const auto r = cli({"credit", user, amount, currency});
    if (r.exitCode != 0)
        qWarning() << "credit failed:" << r.err;
    return r.exitCode == 0;
}

qint64 Marketplace::balance(const QString& user, const QString& currency) {
    const auto balances = client(user)->get("/api/wallet").json().object()["balances"].toArray();
    for (const auto& b : balances)
        if (b.toObject()["currency"].toString() == currency)
            return b.toObject()["amount_minor"].toInteger();
    return 0;
}

} // namespace reelgate::test
