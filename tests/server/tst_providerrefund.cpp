// Midtrans, Stripe and Xendit refunds through the real server, a real PostgreSQL and the
// providers' stand-ins (tests/standins): an admin's refund carries our refund key (Midtrans's
// refund_key, Stripe's Idempotency-Key, Xendit's idempotency-key), so a retried request (the
// first one's answer or notification lost) refunds the buyer once at the provider, while a
// further refund of the same amount after the first is booked is a new one. The ledger
// reverses each booked refund once.

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

const QString kStripeKey = "sk_test_standin_refunds";
const QString kStripeWebhookSecret = "whsec_standin_refunds";
const QString kXenditKey = "xnd_development_standin_refunds";
const QString kXenditToken = "xendit-callback-token-refunds";
const QString kMidtransKey = "SB-Mid-server-standin-refunds";

QByteArray jsonBody(const QJsonObject& object) {
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray basic(const QString& user) {
    return "Basic " + (user + ":").toUtf8().toBase64();
}

// What a stand-in's API answers to a GET signed in as its merchant (`authorization`).
QJsonDocument standinGet(const QString& url, const QByteArray& authorization) {
    return ServerProcess::request("GET", url, {}, {{"Authorization", authorization}}).json();
}

} // namespace

class TestProviderRefund : public QObject {
    Q_OBJECT

    StandinProcess stripe_;
    StandinProcess xendit_;
    StandinProcess midtrans_;
    Marketplace market_;

    static HttpReply post(const QString& url, const QJsonObject& body = {}) {
        return ServerProcess::request("POST", url, jsonBody(body),
                                      {{"Content-Type", "application/json"}});
    }

    HttpReply refund(const QString& depositId, const QString& amount, const QString& currency) {
        return market_.client("root")->send(
            "POST", "/api/admin/deposits/" + depositId + "/refund",
            jsonBody({{"amount", amount}, {"currency", currency}}), "application/json",
            {{"Idempotency-Key", QUuid::createUuid().toByteArray(QUuid::WithoutBraces)}});
    }

    // A 2.00 USD top-up through `provider`, paid on its page; {deposit id, the provider's id}.
    QPair<QString, QString> paidTopUp(const QString& user, const QString& provider,
                                      const QString& payPathPrefix) {
        const auto created = market_.client(user)->send(
            "POST", "/api/wallet/deposits",
            jsonBody({{"provider", provider}, {"amount", "2.00"}, {"currency", "USD"}}),
            "application/json",
            {{"Idempotency-Key", QUuid::createUuid().toByteArray(QUuid::WithoutBraces)}});
        if (created.status != 201)
            qWarning("top-up: %s", created.body.constData());
        const auto deposit = created.json()["deposit"].toObject();
        const QString page = deposit["redirect_url"].toString();
        const QString providerId = page.mid(page.lastIndexOf('/') + 1);
        const int paid = post(page).status; // the stand-in redirects to our return page
        if (!page.contains(payPathPrefix) || paid == 0 || paid >= 500)
            qWarning("could not pay %s", qPrintable(page));
        return {deposit["id"].toString(), providerId};
    }

private slots:
    void initTestCase() {
        QVERIFY2(stripe_.start("stripe-standin.mjs", {"--secret-key", kStripeKey,
                                                      "--webhook-secret", kStripeWebhookSecret}),
                 qPrintable(stripe_.log()));
        QVERIFY2(xendit_.start("xendit-standin.mjs",
                               {"--secret-key", kXenditKey, "--callback-token", kXenditToken}),
                 qPrintable(xendit_.log()));
        QVERIFY2(midtrans_.start("midtrans-standin.mjs", {"--server-key", kMidtransKey}),
                 qPrintable(midtrans_.log()));
        QVERIFY2(market_.start({"--midtrans-server-key", kMidtransKey, "--midtrans-api-url",
                                midtrans_.baseUrl(), "--stripe-secret-key", kStripeKey,
                                "--stripe-webhook-secret", kStripeWebhookSecret, "--stripe-api-url",
                                stripe_.baseUrl(), "--xendit-secret-key", kXenditKey,
                                "--xendit-callback-token", kXenditToken, "--xendit-api-url",
                                xendit_.baseUrl()}),
                 qPrintable(market_.server().log()));
        const QString base = market_.server().baseUrl();
        QCOMPARE(post(stripe_.baseUrl() + "/_standin/config",
                      {{"webhookUrl", base + "/api/payments/stripe/webhook"}})
                     .status,
                 200);
        QCOMPARE(post(xendit_.baseUrl() + "/_standin/config",
                      {{"callbackUrl", base + "/api/payments/xendit/webhook"}})
                     .status,
                 200);
        QCOMPARE(post(midtrans_.baseUrl() + "/_standin/config",
                      {{"notificationUrl", base + "/api/payments/midtrans/webhook"}})
                     .status,
                 200);
        for (const char* name : {"rina", "sam", "tia", "root"})
            QVERIFY(market_.signUp(name));
        QCOMPARE(market_.cli({"admin", "grant", "root"}).exitCode, 0);
        const auto settings = market_.client("root")->send(
            "PUT", "/api/admin/settings",
            jsonBody({{"display_currencies", QJsonArray{"USD", "IDR"}},
                      {"rates", QJsonArray{QJsonObject{
                                    {"base", "USD"}, {"quote", "IDR"}, {"rate", "15800"}}}}}),
            "application/json");
        QVERIFY2(settings.status == 200, settings.body.constData());
    }

    void midtransRetriedRefundRefundsOnce() {
        // 2.00 USD charged as 31600 rupiah, paid on Midtrans's page.
        const auto created = market_.client("rina")->send(
            "POST", "/api/wallet/deposits",
            jsonBody({{"provider", "midtrans"}, {"amount", "2.00"}, {"currency", "USD"}}),
            "application/json", {{"Idempotency-Key", "rina-top-up-1"}});
        QVERIFY2(created.status == 201, created.body.constData());
        const auto deposit = created.json()["deposit"].toObject();
        const QString id = deposit["id"].toString();
        const QString reference = deposit["reference"].toString();
        QCOMPARE(post(midtrans_.baseUrl() + "/_standin/orders/" + reference + "/pay").status, 200);
        QVERIFY(eventually([&] { return market_.balance("rina", "USD") == 200; }));
        // What Midtrans says about the transaction (its status API).
        const auto status = [&] {
            return standinGet(midtrans_.baseUrl() + "/v2/" + reference + "/status",
                              basic(kMidtransKey))
                .object();
        };

        // Half of it refunded; the answer and the notification are lost, so the admin asks
        // again. Midtrans sees the same refund_key and refunds nothing more.
        QCOMPARE(
            post(midtrans_.baseUrl() + "/_standin/config", {{"holdNotifications", true}}).status,
            200);
        QCOMPARE(refund(id, "15800", "IDR").status, 200);
        QCOMPARE(refund(id, "15800", "IDR").status, 200);
        auto now = status();
        QCOMPARE(now["refund_amount"].toString(), QString("15800.00"));
        QCOMPARE(now["refunds"].toArray().size(), 1);
        QVERIFY(!now["refunds"][0]["refund_key"].toString().isEmpty());
        QCOMPARE(now["transaction_status"].toString(), QString("partial_refund"));
        QCOMPARE(market_.balance("rina", "USD"), 200); // nothing booked before Midtrans says so

        // Midtrans's notification arrives: the ledger reverses the refund once.
        QCOMPARE(
            post(midtrans_.baseUrl() + "/_standin/config", {{"holdNotifications", false}}).status,
            200);
        QCOMPARE(post(midtrans_.baseUrl() + "/_standin/orders/" + reference + "/notify").status,
                 200);
        QVERIFY(eventually([&] { return market_.balance("rina", "USD") == 100; }));

        // A further refund of the same amount, after the first is booked, is a new refund.
        QCOMPARE(refund(id, "15800", "IDR").status, 200);
        now = status();
        QCOMPARE(now["refund_amount"].toString(), QString("31600.00"));
        QCOMPARE(now["refunds"].toArray().size(), 2);
        QVERIFY(now["refunds"][0]["refund_key"] != now["refunds"][1]["refund_key"]);
        QVERIFY(eventually([&] { return market_.balance("rina", "USD") == 0; }));
        // Nothing is left to refund.
        QCOMPARE(refund(id, "100", "IDR").status, 409);
        QCOMPARE(status()["refund_amount"].toString(), QString("31600.00"));
        verifyLedgerInvariants(market_);
    }

    void stripeRetriedRefundRefundsOnce() {
        const auto [id, session] = paidTopUp("sam", "stripe", "/pay/");
        QVERIFY(eventually([&] { return market_.balance("sam", "USD") == 200; }));
        const auto refunded = [&] {
            return standinGet(stripe_.baseUrl() + "/v1/checkout/sessions/" + session,
                              "Bearer " + kStripeKey.toUtf8())["amount_refunded"]
                .toInt();
        };

        // Half of it refunded; the answer and Stripe's charge.refunded are lost, so the admin
        // asks again. Stripe sees the same Idempotency-Key and refunds nothing more.
        QCOMPARE(post(stripe_.baseUrl() + "/_standin/config", {{"holdRefundEvents", true}}).status,
                 200);
        QCOMPARE(refund(id, "1.00", "USD").status, 200);
        QCOMPARE(refund(id, "1.00", "USD").status, 200);
        QCOMPARE(refunded(), 100);
        QCOMPARE(market_.balance("sam", "USD"), 200); // nothing booked before Stripe says so

        QCOMPARE(post(stripe_.baseUrl() + "/_standin/config", {{"holdRefundEvents", false}}).status,
                 200);
        QCOMPARE(post(stripe_.baseUrl() + "/_standin/refund-events/release").status, 200);
        QVERIFY(eventually([&] { return market_.balance("sam", "USD") == 100; }));

        // A further refund of the same amount, after the first is booked, is a new refund.
        QCOMPARE(refund(id, "1.00", "USD").status, 200);
        QCOMPARE(refunded(), 200);
        QVERIFY(eventually([&] { return market_.balance("sam", "USD") == 0; }));
        verifyLedgerInvariants(market_);
    }

    void xenditRetriedRefundRefundsOnce() {
        // 2.00 USD charged as 31600 rupiah.
        const auto [id, invoice] = paidTopUp("tia", "xendit", "/web/");
        QVERIFY(eventually([&] { return market_.balance("tia", "USD") == 200; }));
        const auto refunds = [&] {
            return standinGet(xendit_.baseUrl() + "/refunds?invoice_id=" + invoice,
                              basic(kXenditKey))["data"]
                .toArray();
        };

        QCOMPARE(
            post(xendit_.baseUrl() + "/_standin/config", {{"holdRefundCallbacks", true}}).status,
            200);
        QCOMPARE(refund(id, "15800", "IDR").status, 200);
        // The retry meets Xendit's 409 DUPLICATE_ERROR: that refund is made, the retry is done.
        QCOMPARE(refund(id, "15800", "IDR").status, 200);
        QCOMPARE(refunds().size(), 1);
        QCOMPARE(market_.balance("tia", "USD"), 200);

        QCOMPARE(
            post(xendit_.baseUrl() + "/_standin/config", {{"holdRefundCallbacks", false}}).status,
            200);
        QCOMPARE(post(xendit_.baseUrl() + "/_standin/refund-callbacks/release").status, 200);
        QVERIFY(eventually([&] { return market_.balance("tia", "USD") == 100; }));

        // The second half, the same amount once the first is booked: a new refund at Xendit.
        QCOMPARE(refund(id, "15800", "IDR").status, 200);
        QCOMPARE(refunds().size(), 2);
        QVERIFY(eventually([&] { return market_.balance("tia", "USD") == 0; }));
        // Nothing is left to refund.
        QCOMPARE(refund(id, "100", "IDR").status, 409);
        QCOMPARE(refunds().size(), 2);
        verifyLedgerInvariants(market_);
    }
};

QTEST_GUILESS_MAIN(TestProviderRefund)
#include "tst_providerrefund.moc"
