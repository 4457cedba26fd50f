#include "PaymentMarket.h"

#include "LedgerInvariants.h"

#include <QJsonArray>
#include <QTest>
#include <QUuid>

namespace reelgate::test {

const QString PaymentMarket::kSecretKey = "sk_test_standin_secret_key_123";
const QString PaymentMarket::kWebhookSecret = "whsec_standin_current";
const QString PaymentMarket::kOldWebhookSecret = "whsec_standin_previous";
const QString PaymentMarket::kBankText = "Pay to Reelgate Ltd, IBAN XX00 1234 5678";

QStringList PaymentMarket::serverArgs() const {
    return {"--stripe-secret-key",     kSecretKey,
            "--stripe-webhook-secret", kOldWebhookSecret + "," + kWebhookSecret,
            "--stripe-api-url",        stripe_.baseUrl(),
            "--bank-transfer",         kBankText};
}

bool PaymentMarket::start(const QStringList& extraArgs) {
    if (!stripe_.start("stripe-standin.mjs",
                       {"--secret-key", kSecretKey, "--webhook-secret", kWebhookSecret})) {
        qWarning() << "the Stripe stand-in did not start:" << stripe_.log();
        return false;
    }
    if (!market_.start(serverArgs() + extraArgs)) {
        qWarning() << "the server did not start:" << market_.server().log();
        return false;
    }
    const auto configured = ServerProcess::request(
        "POST", stripe_.baseUrl() + "/_standin/config",
        QJsonDocument(QJsonObject{{"webhookUrl",
                                   market_.server().baseUrl() + "/api/payments/stripe/webhook"}})
            .toJson(),
        {{"Content-Type", "application/json"}});
    if (configured.status != 200 || !market_.signUp("maker", true))
        return false;
    for (const char* name : {"alice", "bob", "carol", "dave", "root"})
        if (!market_.signUp(name))
            return false;
    if (market_.cli({"admin", "grant", "root"}).exitCode != 0)
        return false;
    film_ = market_.publish("maker", "The film", "4.99", "USD", 2000);
    return !film_.isEmpty();
}

QByteArray PaymentMarket::newKey() {
    return QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
}

HttpReply PaymentMarket::topUp(const QString& user, const QString& provider, const QString& amount,
                               const QByteArray& key) {
    return market_.client(user)->send(
        "POST", "/api/wallet/deposits",
        QJsonDocument(QJsonObject{{"provider", provider}, {"amount", amount}, {"currency", "USD"}})
            .toJson(),
        "application/json", {{"Idempotency-Key", key}});
}

HttpReply PaymentMarket::checkout(const QString& user, const QString& video,
                                  const QJsonObject& extra) {
    QJsonObject body = extra;
    body["provider"] = "stripe";
    return market_.client(user)->send("POST", "/api/videos/" + video + "/checkout",
                                      QJsonDocument(body).toJson(), "application/json",
                                      {{"Idempotency-Key", newKey()}});
}

QString PaymentMarket::sessionOf(const HttpReply& reply) {
    const auto url = reply.json()["deposit"]["redirect_url"].toString();
    return url.mid(url.lastIndexOf('/') + 1);
}

QList<int> PaymentMarket::standin(const QString& session, const QString& action,
                                  const QJsonObject& faults) {
    const auto r = ServerProcess::request(
        "POST", stripe_.baseUrl() + "/_standin/sessions/" + session + "/" + action,
        QJsonDocument(faults).toJson(), {{"Content-Type", "application/json"}});
    QList<int> out;
    for (const auto& s : r.json()["statuses"].toArray())
        out.push_back(s.toInt());
    return out;
}

QString PaymentMarket::depositStatus(const QString& user, const QString& id) {
    return market_.client(user)
        ->get("/api/wallet/deposits/" + id)
        .json()["deposit"]["status"]
        .toString();
}

void PaymentMarket::verifyLedger() {
    verifyLedgerInvariants(market_);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(market_.sql("SELECT count(*) FROM deposits WHERE "
                         "(status IN ('posted', 'refunded', 'disputed')) <> "
                         "(transaction_id IS NOT NULL)"),
             QString("0"));
}

} // namespace reelgate::test
