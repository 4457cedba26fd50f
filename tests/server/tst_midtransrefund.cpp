// Midtrans refunds through the real server, a real PostgreSQL and the Midtrans stand-in
// (tests/standins): an admin's refund carries our refund_key, so a retried request (the first
// one's answer or notification lost) refunds the buyer once at Midtrans, while a further refund
// after the first is booked is a new one. The ledger reverses each booked refund once.

#include "Eventually.h"
#include "LedgerInvariants.h"
#include "Marketplace.h"
#include "StandinProcess.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>
#include <QUuid>

using namespace reelgate::test;

namespace {

const QString kServerKey = "SB-Mid-server-standin-refunds";

QByteArray jsonBody(const QJsonObject& object) {
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

class TestMidtransRefund : public QObject {
    Q_OBJECT

    StandinProcess midtrans_;
    Marketplace market_;

    HttpReply standin(const QString& path, const QJsonObject& body) {
        return ServerProcess::request("POST", midtrans_.baseUrl() + path, jsonBody(body),
                                      {{"Content-Type", "application/json"}});
    }

    // What Midtrans says about the transaction of our deposit (its status API).
    QJsonObject midtransStatus(const QString& reference) {
        const auto r = ServerProcess::request(
            "GET", midtrans_.baseUrl() + "/v2/" + reference + "/status", {},
            {{"Authorization", "Basic " + (kServerKey + ":").toUtf8().toBase64()}});
        return r.json().object();
    }

    HttpReply refund(const QString& depositId, const QString& rupiah) {
        return market_.client("root")->send(
            "POST", "/api/admin/deposits/" + depositId + "/refund",
            jsonBody({{"amount", rupiah}, {"currency", "IDR"}}), "application/json",
            {{"Idempotency-Key", QUuid::createUuid().toByteArray(QUuid::WithoutBraces)}});
    }

private slots:
    void initTestCase() {
        QVERIFY2(midtrans_.start("midtrans-standin.mjs", {"--server-key", kServerKey}),
                 qPrintable(midtrans_.log()));
        QVERIFY2(market_.start({"--midtrans-server-key", kServerKey, "--midtrans-api-url",
                                midtrans_.baseUrl()}),
                 qPrintable(market_.server().log()));
        QCOMPARE(standin("/_standin/config",
                         {{"notificationUrl",
                           market_.server().baseUrl() + "/api/payments/midtrans/webhook"}})
                     .status,
                 200);
        QVERIFY(market_.signUp("rina"));
        QVERIFY(market_.signUp("root"));
        QCOMPARE(market_.cli({"admin", "grant", "root"}).exitCode, 0);
        const auto settings = market_.client("root")->send(
            "PUT", "/api/admin/settings",
            jsonBody({{"display_currencies", QJsonArray{"USD", "IDR"}},
                      {"rates", QJsonArray{QJsonObject{
                                    {"base", "USD"}, {"quote", "IDR"}, {"rate", "15800"}}}}}),
            "application/json");
        QVERIFY2(settings.status == 200, settings.body.constData());
    }

    void retriedRefundRefundsOnce() {
        // A 2.00 USD top-up, charged 31600 rupiah, paid on Midtrans's page.
        const auto created = market_.client("rina")->send(
            "POST", "/api/wallet/deposits",
            jsonBody({{"provider", "midtrans"}, {"amount", "2.00"}, {"currency", "USD"}}),
            "application/json", {{"Idempotency-Key", "rina-top-up-1"}});
        QVERIFY2(created.status == 201, created.body.constData());
        const auto deposit = created.json()["deposit"].toObject();
        const QString id = deposit["id"].toString();
        const QString reference = deposit["reference"].toString();
        QCOMPARE(standin("/_standin/orders/" + reference + "/pay", {}).status, 200);
        QVERIFY(eventually([&] { return market_.balance("rina", "USD") == 200; }));

        // Half of it refunded; the answer and the notification are lost, so the admin asks
        // again. Midtrans sees the same refund_key and refunds nothing more.
        QCOMPARE(standin("/_standin/config", {{"holdNotifications", true}}).status, 200);
        QCOMPARE(refund(id, "15800").status, 200);
        QCOMPARE(refund(id, "15800").status, 200);
        auto status = midtransStatus(reference);
        QCOMPARE(status["refund_amount"].toString(), QString("15800.00"));
        QCOMPARE(status["refunds"].toArray().size(), 1);
        QVERIFY(!status["refunds"][0]["refund_key"].toString().isEmpty());
        QCOMPARE(status["transaction_status"].toString(), QString("partial_refund"));
        QCOMPARE(market_.balance("rina", "USD"), 200); // nothing booked before Midtrans says so

        // Midtrans's notification arrives: the ledger reverses the refund once.
        QCOMPARE(standin("/_standin/config", {{"holdNotifications", false}}).status, 200);
        QCOMPARE(standin("/_standin/orders/" + reference + "/notify", {}).status, 200);
        QVERIFY(eventually([&] { return market_.balance("rina", "USD") == 100; }));

        // A further refund of the same amount, after the first is booked, is a new refund.
        QCOMPARE(refund(id, "15800").status, 200);
        status = midtransStatus(reference);
        QCOMPARE(status["refund_amount"].toString(), QString("31600.00"));
        QCOMPARE(status["refunds"].toArray().size(), 2);
        QVERIFY(status["refunds"][0]["refund_key"] != status["refunds"][1]["refund_key"]);
        QVERIFY(eventually([&] { return market_.balance("rina", "USD") == 0; }));
        // Nothing is left to refund.
        QCOMPARE(refund(id, "100").status, 409);
        QCOMPARE(midtransStatus(reference)["refund_amount"].toString(), QString("31600.00"));
        verifyLedgerInvariants(market_);
    }
};

QTEST_GUILESS_MAIN(TestMidtransRefund)
#include "tst_midtransrefund.moc"
