// Money in through the real server, a real PostgreSQL and the Stripe stand-in
// (tests/standins): top-ups and pay-at-checkout posted once by signed webhooks, the webhooks
// refused (stale, wrong secret, tampered), duplicates and a retry after our 500, a wrong
// amount flagged, 20 concurrent deliveries of one event, bank transfers an admin approves or
// rejects, providers that are off, and the ledger balanced after a randomized run.

#include "LedgerInvariants.h"
#include "Marketplace.h"
#include "StandinProcess.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QTest>
#include <QUuid>

#include <atomic>
#include <thread>

using namespace reelgate::test;

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

const QString kSecretKey = "sk_test_standin_secret_key_123";
const QString kWebhookSecret = "whsec_standin_current";
const QString kOldWebhookSecret = "whsec_standin_previous";
const QString kBankText = "Pay to Reelgate Ltd, IBAN XX00 1234 5678";

QByteArray newKey() {
    return QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
}

QByteArray stripeHeader(const QByteArray& body, const QByteArray& secret, qint64 timestamp) {
    const QByteArray t = QByteArray::number(timestamp);
    return "t=" + t + ",v1=" +
           QMessageAuthenticationCode::hash(t + "." + body, secret, QCryptographicHash::Sha256)
               .toHex();
}

} // namespace

class TestPayments : public QObject {
    Q_OBJECT

    Marketplace market_;
    StandinProcess stripe_;
    QString film_; // 4.99 USD by maker, 20 % to affiliates

    HttpReply topUp(const QString& user, const QString& provider, const QString& amount,
                    const QByteArray& key = newKey()) {
        return market_.client(user)->send(
            "POST", "/api/wallet/deposits",
            QJsonDocument(
                QJsonObject{{"provider", provider}, {"amount", amount}, {"currency", "USD"}})
                .toJson(),
            "application/json", {{"Idempotency-Key", key}});
    }
    HttpReply checkout(const QString& user, const QString& video, const QJsonObject& extra = {}) {
        QJsonObject body = extra;
        body["provider"] = "stripe";
        return market_.client(user)->send("POST", "/api/videos/" + video + "/checkout",
                                          QJsonDocument(body).toJson(), "application/json",
                                          {{"Idempotency-Key", newKey()}});
    }
    // The stand-in's session id of a deposit answer (its redirect URL ends in /pay/<id>).
    static QString sessionOf(const HttpReply& reply) {
        const auto url = reply.json()["deposit"]["redirect_url"].toString();
        return url.mid(url.lastIndexOf('/') + 1);
    }
    // Asks the stand-in to pay a session (or only deliver an event) with faults; returns the
    // statuses our server answered, one per delivery attempt.
    QList<int> standin(const QString& session, const QString& action, const QJsonObject& faults) {
        const auto r = ServerProcess::request(
            "POST", stripe_.baseUrl() + "/_standin/sessions/" + session + "/" + action,
            QJsonDocument(faults).toJson(), {{"Content-Type", "application/json"}});
        QList<int> out;
        for (const auto& s : r.json()["statuses"].toArray())
            out.push_back(s.toInt());
        return out;
    }
    QString depositStatus(const QString& user, const QString& id) {
        return market_.client(user)
            ->get("/api/wallet/deposits/" + id)
            .json()["deposit"]["status"]
            .toString();
    }
    void verifyLedger() {
        verifyLedgerInvariants(market_);
        if (QTest::currentTestFailed())
            return;
        // Every posted deposit has exactly its one transaction; no other deposit has any.
        QCOMPARE(market_.sql("SELECT count(*) FROM deposits WHERE "
                             "(status IN ('posted', 'refunded', 'disputed')) <> "
                             "(transaction_id IS NOT NULL)"),
                 QString("0"));
    }

    QStringList serverArgs() {
        return {"--stripe-secret-key",     kSecretKey,
                "--stripe-webhook-secret", kOldWebhookSecret + "," + kWebhookSecret,
                "--stripe-api-url",        stripe_.baseUrl(),
                "--bank-transfer",         kBankText};
    }

private slots:
    void initTestCase() {
        QVERIFY2(stripe_.start("stripe-standin.mjs",
                               {"--secret-key", kSecretKey, "--webhook-secret", kWebhookSecret}),
                 qPrintable(stripe_.log()));
        QVERIFY2(market_.start(serverArgs()), qPrintable(market_.server().log()));
        const auto configured = ServerProcess::request(
            "POST", stripe_.baseUrl() + "/_standin/config",
            QJsonDocument(QJsonObject{{"webhookUrl", market_.server().baseUrl() +
                                                         "/api/payments/stripe/webhook"}})
                .toJson(),
            {{"Content-Type", "application/json"}});
        QCOMPARE(configured.status, 200);
        QVERIFY(market_.signUp("maker", true));
        for (const char* name : {"alice", "bob", "carol", "dave", "root"})
            QVERIFY(market_.signUp(name));
        QCOMPARE(market_.cli({"admin", "grant", "root"}).exitCode, 0);
        film_ = market_.publish("maker", "The film", "4.99", "USD", 2000);
        QVERIFY(!film_.isEmpty());
    }

    void onlyConfiguredProvidersAreOffered() {
        const auto r = market_.server().get("/api/payments/providers");
        QCOMPARE(r.status, 200);
        QStringList names;
        for (const auto& p : r.json()["providers"].toArray())
            names << p.toObject()["name"].toString();
        QCOMPARE(names, QStringList({"stripe", "bank"})); // pay-now methods first
        const auto off = topUp("alice", "paypal", "5.00");
        QCOMPARE(off.status, 404);
        QCOMPARE(errorCode(off), QString("unknown_provider"));
        QCOMPARE(
            market_.server().post("/api/payments/paypal/webhook", "{}", "application/json").status,
            404);
    }

    void stripeTopUpIsCreditedOnceAndReplays() {
        const QByteArray key = newKey();
        const auto created = topUp("alice", "stripe", "10.00", key);
        QCOMPARE(created.status, 201);
        const auto deposit = created.json()["deposit"].toObject();
        QCOMPARE(deposit["status"].toString(), QString("pending"));
        QCOMPARE(deposit["amount"].toObject()["amount_minor"].toInteger(), 1000);
        QVERIFY(deposit["redirect_url"].toString().startsWith(stripe_.baseUrl() + "/pay/cs_"));
        // The same key answers the same deposit; another request under it is refused.
        const auto replay = topUp("alice", "stripe", "10.00", key);
        QCOMPARE(replay.status, 200);
        QCOMPARE(replay.json()["deposit"]["id"].toString(), deposit["id"].toString());
        QCOMPARE(topUp("alice", "stripe", "11.00", key).status, 422);
        QCOMPARE(market_.client("alice")
                     ->send("POST", "/api/wallet/deposits",
                            R"({"provider":"stripe","amount":"1.00","currency":"USD"})",
                            "application/json")
                     .status,
                 400); // no Idempotency-Key
        QCOMPARE(market_.balance("alice", "USD"), 0);

        QCOMPARE(standin(sessionOf(created), "pay", {}), QList<int>({200}));
        QCOMPARE(market_.balance("alice", "USD"), 1000);
        QCOMPARE(depositStatus("alice", deposit["id"].toString()), QString("posted"));
        // Someone else cannot read it.
        QCOMPARE(
            market_.client("bob")->get("/api/wallet/deposits/" + deposit["id"].toString()).status,
            404);
        // The same event again (Stripe redelivers) and a second event saying paid: no change.
        QCOMPARE(standin(sessionOf(created), "deliver", {{"copies", 3}}),
                 QList<int>({200, 200, 200}));
        QCOMPARE(market_.balance("alice", "USD"), 1000);
        QCOMPARE(market_.sql("SELECT count(*) FROM mail_outbox WHERE subject LIKE '%payment "
                             "received%'"),
                 QString("1"));
        verifyLedger();
    }

    void forgedAndStaleWebhooksCreditNothing() {
        const auto created = topUp("bob", "stripe", "7.00");
        QCOMPARE(created.status, 201);
        const QString session = sessionOf(created);
        const QJsonObject once{{"noRetry", true}};
        for (const char* fault : {"stale", "wrongSecret", "tamper"}) {
            QJsonObject faults = once;
            faults[fault] = true;
            QCOMPARE(standin(session, "pay", faults), QList<int>({400}));
        }
        // No signature at all, or garbage.
        QCOMPARE(market_.server()
                     .post("/api/payments/stripe/webhook", R"({"id":"evt_x"})", "application/json")
                     .status,
                 400);
        QCOMPARE(market_.server()
                     .post("/api/payments/stripe/webhook", R"({"id":"evt_x"})", "application/json",
                           {{"Stripe-Signature", "t=abc,v1=zz"}})
                     .status,
                 400);
        QCOMPARE(market_.balance("bob", "USD"), 0);
        QCOMPARE(market_.sql("SELECT count(*) FROM payment_notifications n JOIN deposits d "
                             "ON d.id = n.deposit_id JOIN users u ON u.id = d.user_id "
                             "WHERE u.username = 'bob'"),
                 QString("0"));
        // Signed with the previous secret (rotation): accepted.
        QCOMPARE(standin(session, "pay", {}), QList<int>({200}));
        QCOMPARE(market_.balance("bob", "USD"), 700);
        // Neither secret appears in the log.
        const QString log = market_.server().log();
        QVERIFY(!log.contains(kSecretKey) && !log.contains(kWebhookSecret));
    }

    void wrongAmountIsFlaggedNotCredited() {
        const auto created = topUp("carol", "stripe", "20.00");
        const QJsonObject faults{{"overrides", QJsonObject{{"amount_total", 2}}}};
        QCOMPARE(standin(sessionOf(created), "pay", faults), QList<int>({200}));
        QCOMPARE(market_.balance("carol", "USD"), 0);
        const auto admin = market_.client("root")->get("/api/admin/deposits?filter=flagged");
        QCOMPARE(admin.status, 200);
        const auto flagged = admin.json()["deposits"].toArray();
        QCOMPARE(flagged.size(), 1);
        QCOMPARE(flagged[0]["id"].toString(), created.json()["deposit"]["id"].toString());
        QCOMPARE(flagged[0]["status"].toString(), QString("pending"));
        QCOMPARE(flagged[0]["events"][0]["outcome"].toString(), QString("mismatch"));
        QCOMPARE(market_.client("carol")->get("/api/admin/deposits").status, 403);
    }

    void failedProcessingIsRetriedAndCountsOnce() {
        // The first insert of a notification fails (as a crash or a lost database would).
        market_.sql("CREATE SEQUENCE test_fail_once; "
                    "CREATE FUNCTION test_fail_once() RETURNS trigger LANGUAGE plpgsql AS $$ "
                    "BEGIN IF nextval('test_fail_once') = 1 THEN RAISE EXCEPTION 'injected'; "
                    "END IF; RETURN NEW; END $$; "
                    "CREATE TRIGGER test_fail_once BEFORE INSERT ON payment_notifications "
                    "FOR EACH ROW EXECUTE FUNCTION test_fail_once();");
        const auto created = topUp("dave", "stripe", "3.00");
        QCOMPARE(standin(sessionOf(created), "pay", {}), QList<int>({500, 200}));
        market_.sql("DROP TRIGGER test_fail_once ON payment_notifications");
        QCOMPARE(market_.balance("dave", "USD"), 300);
        verifyLedger();
    }

    void expiredSessionIsVoided() {
        const auto created = topUp("dave", "stripe", "8.00");
        QCOMPARE(standin(sessionOf(created), "deliver",
                         {{"type", "checkout.session.expired"},
                          {"overrides", QJsonObject{{"status", "expired"}}}}),
                 QList<int>({200}));
        QCOMPARE(depositStatus("dave", created.json()["deposit"]["id"].toString()),
                 QString("voided"));
        QCOMPARE(market_.balance("dave", "USD"), 300);
    }

    void aLostNotificationIsReconciled() {
        const auto created = topUp("dave", "stripe", "6.00");
        const qint64 before = market_.balance("dave", "USD");
        QCOMPARE(standin(sessionOf(created), "pay", {{"silent", true}}), QList<int>());
        QCOMPARE(market_.balance("dave", "USD"), before);
        QCOMPARE(market_.client("dave")->postJson("/api/admin/payments/reconcile", {}).status, 403);
        const auto reconciled =
            market_.client("root")->postJson("/api/admin/payments/reconcile", {});
        QCOMPARE(reconciled.status, 200);
        QVERIFY(reconciled.json()["settled"].toInt() >= 1);
        QCOMPARE(market_.balance("dave", "USD") - before, 600);
        // The notification that arrives late changes nothing.
        QCOMPARE(standin(sessionOf(created), "deliver", {}), QList<int>({200}));
        QCOMPARE(market_.balance("dave", "USD") - before, 600);
        verifyLedger();
    }

    // kill -9 while a notification is being processed: nothing is half-done, and Stripe's
    // redelivery of the same event after the restart credits it exactly once.
    void aCrashMidNotificationIsCompletedByTheRetry() {
        QVERIFY(market_.signUp("ivy"));
        const auto created = topUp("ivy", "stripe", "7.00");
        QCOMPARE(created.status, 201);
        market_.sql("CREATE SEQUENCE test_stall_once; "
                    "CREATE FUNCTION test_stall_once() RETURNS trigger LANGUAGE plpgsql AS $$ "
                    "BEGIN IF nextval('test_stall_once') = 1 THEN PERFORM pg_sleep(600); END IF; "
                    "RETURN NEW; END $$; "
                    "CREATE TRIGGER test_stall_once BEFORE INSERT ON payment_notifications "
                    "FOR EACH ROW EXECUTE FUNCTION test_stall_once();");
        std::thread payer([&] { standin(sessionOf(created), "pay", {{"noRetry", true}}); });
        // Wait until the server is inside the notification's transaction.
        QTRY_VERIFY_WITH_TIMEOUT(market_.sql("SELECT count(*) FROM pg_stat_activity WHERE "
                                             "query LIKE 'INSERT INTO payment_notifications%'") ==
                                     "1",
                                 60000);
        const QString port = QString::number(QUrl(market_.server().baseUrl()).port());
        market_.server().kill();
        payer.join();
        QVERIFY2(
            market_.server().start(market_.dataDir(),
                                   serverArgs() + QStringList{"--listen", "127.0.0.1:" + port}),
            qPrintable(market_.server().log()));
        market_.sql("DROP TRIGGER test_stall_once ON payment_notifications");
        QCOMPARE(market_.balance("ivy", "USD"), 0); // the crashed transaction left nothing
        const auto redelivered =
            ServerProcess::request("POST", stripe_.baseUrl() + "/_standin/redeliver");
        QCOMPARE(redelivered.json()["statuses"].toArray().size(), 1);
        QCOMPARE(redelivered.json()["statuses"][0].toInt(), 200);
        QCOMPARE(market_.balance("ivy", "USD"), 700);
        QCOMPARE(ServerProcess::request("POST", stripe_.baseUrl() + "/_standin/redeliver")
                     .json()["statuses"]
                     .toArray()
                     .size(),
                 0);
        verifyLedger();
    }

    void twentyConcurrentDeliveriesCreditOnce() {
        const qint64 before = market_.balance("carol", "USD");
        const auto created = topUp("carol", "stripe", "5.00");
        QCOMPARE(created.status, 201);
        const QString session = sessionOf(created);
        const QString reference = market_.sql("SELECT reference FROM deposits WHERE public_id = '" +
                                              created.json()["deposit"]["id"].toString() + "'");
        const QByteArray body =
            QJsonDocument(
                QJsonObject{
                    {"id", "evt_concurrent_1"},
                    {"type", "checkout.session.completed"},
                    {"data", QJsonObject{{"object", QJsonObject{{"id", session},
                                                                {"client_reference_id", reference},
                                                                {"amount_total", 500},
                                                                {"currency", "usd"},
                                                                {"payment_status", "paid"},
                                                                {"payment_intent", "pi_conc"}}}}}})
                .toJson(QJsonDocument::Compact);
        const QByteArray signature =
            stripeHeader(body, kWebhookSecret.toUtf8(), QDateTime::currentSecsSinceEpoch());
        const QString url = market_.server().baseUrl() + "/api/payments/stripe/webhook";
        std::atomic<int> ok{0}, posted{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < 20; ++i)
            threads.emplace_back([&] {
                const auto r = ServerProcess::request(
                    "POST", url, body,
                    {{"Content-Type", "application/json"}, {"Stripe-Signature", signature}},
                    120000);
                ok += r.status == 200;
                posted += r.json()["outcome"].toString() == "posted";
            });
        for (auto& t : threads)
            t.join();
        QCOMPARE(ok.load(), 20);
        QCOMPARE(posted.load(), 1);
        QCOMPARE(market_.balance("carol", "USD") - before, 500);
        QCOMPARE(market_.sql("SELECT count(*) FROM payment_notifications WHERE event_id = "
                             "'evt_concurrent_1'"),
                 QString("1"));
        verifyLedger();
    }

    void payAtCheckoutBuysWithTheReferralSplit() {
        QVERIFY(market_.signUp("erin"));
        const auto created = checkout("erin", film_, {{"ref", "alice"}});
        QCOMPARE(created.status, 201);
        QCOMPARE(created.json()["deposit"]["amount"]["amount_minor"].toInteger(), 499);
        QCOMPARE(created.json()["deposit"]["video"]["id"].toString(), film_);
        const qint64 makerBefore = market_.balance("maker", "USD");
        const qint64 aliceBefore = market_.balance("alice", "USD");
        QCOMPARE(standin(sessionOf(created), "pay", {}), QList<int>({200}));
        // Bought: in the library, the wallet untouched, the split paid (fee 10 %, 20 % referral).
        const auto library = market_.client("erin")->get("/api/me/purchases");
        QCOMPARE(library.json()["purchases"].toArray().size(), 1);
        QCOMPARE(library.json()["purchases"][0]["video"]["id"].toString(), film_);
        QCOMPARE(market_.balance("erin", "USD"), 0);
        QCOMPARE(market_.balance("alice", "USD") - aliceBefore, 99);  // floor(4.99 * 20 %)
        QCOMPARE(market_.balance("maker", "USD") - makerBefore, 351); // 499 - 49 - 99
        QCOMPARE(market_.sql("SELECT count(DISTINCT t.id) FROM ledger_transactions t "
                             "JOIN deposits d ON d.transaction_id = t.id "
                             "JOIN purchases p ON p.transaction_id = t.id WHERE t.kind = "
                             "'checkout'"),
                 QString("1"));
        // Owned now: a second checkout is refused; a wallet purchase too.
        QCOMPARE(checkout("erin", film_).status, 409);
        verifyLedger();
    }

    void checkoutOfAVideoBoughtMeanwhileGoesToTheWallet() {
        QVERIFY(market_.signUp("fay"));
        const auto created = checkout("fay", film_);
        QCOMPARE(created.status, 201);
        QVERIFY(market_.credit("fay", "4.99", "USD"));
        QCOMPARE(market_.client("fay")
                     ->send("POST", "/api/videos/" + film_ + "/purchase", {}, {},
                            {{"Idempotency-Key", newKey()}})
                     .status,
                 201);
        QCOMPARE(standin(sessionOf(created), "pay", {}), QList<int>({200}));
        QCOMPARE(market_.balance("fay", "USD"), 499);
        const auto deposit = market_.client("fay")->get("/api/wallet/deposits/" +
                                                        created.json()["deposit"]["id"].toString());
        QCOMPARE(deposit.json()["deposit"]["status"].toString(), QString("posted"));
        QVERIFY(deposit.json()["deposit"]["status_reason"].toString().contains("wallet"));
        verifyLedger();
    }

    void bankTransferNeedsAnAdmin() {
        const auto created = topUp("bob", "bank", "25.00");
        QCOMPARE(created.status, 201);
        const auto deposit = created.json()["deposit"].toObject();
        const QString id = deposit["id"].toString();
        const QString reference = deposit["reference"].toString();
        QVERIFY(reference.startsWith("RG-"));
        QVERIFY(deposit["instructions"].toString().contains(kBankText));
        QVERIFY(deposit["instructions"].toString().contains(reference));
        QVERIFY(deposit["redirect_url"].isNull());
        const qint64 before = market_.balance("bob", "USD");
        QCOMPARE(market_.client("bob")
                     ->postJson("/api/admin/deposits/" + id + "/approve", {{"note", "me"}})
                     .status,
                 403);
        const auto approved = market_.client("root")->postJson(
            "/api/admin/deposits/" + id + "/approve", {{"note", "seen on statement 12"}});
        QCOMPARE(approved.status, 200);
        QCOMPARE(approved.json()["deposit"]["status"].toString(), QString("posted"));
        QCOMPARE(approved.json()["deposit"]["admin_note"].toString(),
                 QString("seen on statement 12"));
        QCOMPARE(market_.balance("bob", "USD") - before, 2500);
        QCOMPARE(
            market_.client("root")->postJson("/api/admin/deposits/" + id + "/approve", {}).status,
            409);

        const auto other = topUp("bob", "bank", "9.00");
        const QString otherId = other.json()["deposit"]["id"].toString();
        QVERIFY(other.json()["deposit"]["reference"].toString() != reference);
        const auto rejected = market_.client("root")->postJson(
            "/api/admin/deposits/" + otherId + "/reject", {{"note", "never arrived"}});
        QCOMPARE(rejected.status, 200);
        QCOMPARE(rejected.json()["deposit"]["status"].toString(), QString("voided"));
        QCOMPARE(market_.balance("bob", "USD") - before, 2500);
        verifyLedger();
    }

    void refundsAndDisputesAreReversingTransactions() {
        QVERIFY(market_.signUp("gus"));
        const auto topped = topUp("gus", "stripe", "10.00");
        const QString session = sessionOf(topped);
        QCOMPARE(standin(session, "pay", {}), QList<int>({200}));
        QCOMPARE(market_.client("gus")
                     ->send("POST", "/api/videos/" + film_ + "/purchase", {}, {},
                            {{"Idempotency-Key", newKey()}})
                     .status,
                 201);
        QCOMPARE(market_.balance("gus", "USD"), 501);
        // A partial refund (cumulative 3.00), delivered twice: reversed once.
        const QJsonObject partial{{"type", "charge.refunded"},
                                  {"copies", 2},
                                  {"overrides", QJsonObject{{"amount_refunded", 300}}}};
        QCOMPARE(standin(session, "deliver", partial), QList<int>({200, 200}));
        QCOMPARE(market_.balance("gus", "USD"), 201);
        const QString id = topped.json()["deposit"]["id"].toString();
        QCOMPARE(depositStatus("gus", id), QString("posted"));
        // Then the rest (cumulative 10.00): the wallet gives what it has, the platform loses 4.99.
        QCOMPARE(standin(session, "deliver", {{"type", "charge.refunded"}}), QList<int>({200}));
        QCOMPARE(market_.balance("gus", "USD"), 0);
        QCOMPARE(depositStatus("gus", id), QString("refunded"));
        QCOMPARE(market_.sql("SELECT count(*) FROM ledger_transactions WHERE kind = 'refund'"),
                 QString("2"));
        QCOMPARE(market_.sql("SELECT -sum(amount_minor) FROM ledger_entries WHERE role = 'loss'"),
                 QString("499"));

        // A checkout disputed in full: the sale is reversed and the access it bought revoked.
        QVERIFY(market_.signUp("hal"));
        const auto bought = checkout("hal", film_);
        QCOMPARE(standin(sessionOf(bought), "pay", {}), QList<int>({200}));
        QCOMPARE(
            market_.client("hal")->get("/api/me/purchases").json()["purchases"].toArray().size(),
            1);
        const qint64 makerBefore = market_.balance("maker", "USD");
        QCOMPARE(standin(sessionOf(bought), "deliver", {{"type", "charge.dispute.created"}}),
                 QList<int>({200}));
        QCOMPARE(
            market_.client("hal")->get("/api/me/purchases").json()["purchases"].toArray().size(),
            0);
        QCOMPARE(makerBefore - market_.balance("maker", "USD"), 450); // 4.99 - 0.49 fee
        const auto deposit = market_.client("hal")->get("/api/wallet/deposits/" +
                                                        bought.json()["deposit"]["id"].toString());
        QCOMPARE(deposit.json()["deposit"]["status"].toString(), QString("disputed"));
        QCOMPARE(deposit.json()["deposit"]["flagged"].toBool(), true);
        verifyLedger();
    }

    void anAdminRefundsThroughTheProvider() {
        QVERIFY(market_.signUp("jay"));
        const auto created = topUp("jay", "stripe", "5.00");
        QCOMPARE(standin(sessionOf(created), "pay", {}), QList<int>({200}));
        QCOMPARE(market_.balance("jay", "USD"), 500);
        const QString path =
            "/api/admin/deposits/" + created.json()["deposit"]["id"].toString() + "/refund";
        QCOMPARE(market_.client("jay")->postJson(path, {}).status, 403);
        QCOMPARE(market_.client("root")
                     ->postJson(path, {{"amount", "9.00"}, {"currency", "USD"}})
                     .status,
                 400); // more than was paid
        const auto part =
            market_.client("root")->postJson(path, {{"amount", "2.00"}, {"currency", "USD"}});
        QCOMPARE(part.status, 200);
        // The ledger follows Stripe's confirmation (charge.refunded), not the request.
        QTRY_COMPARE_WITH_TIMEOUT(market_.balance("jay", "USD"), qint64(300), 20000);
        QCOMPARE(market_.client("root")->postJson(path, {}).status, 200); // the rest
        QTRY_COMPARE_WITH_TIMEOUT(market_.balance("jay", "USD"), qint64(0), 20000);
        QCOMPARE(depositStatus("jay", created.json()["deposit"]["id"].toString()),
                 QString("refunded"));
        QCOMPARE(market_.client("root")->postJson(path, {}).status, 409);
        verifyLedger();
    }

    // Step 5 of the issue: a randomized run of top-ups, duplicate and forged deliveries,
    // checkouts, wallet purchases, refunds and disputes keeps the ledger balanced.
    void randomizedRunKeepsTheLedgerBalanced() {
        auto* rng = QRandomGenerator::global();
        QStringList videos{film_};
        for (int i = 0; i < 3; ++i)
            videos << market_.publish("maker", QString("Extra %1").arg(i),
                                      QString("%1.%2").arg(1 + i).arg(25 * i), "USD", 1000 * i);
        const QStringList buyers{"alice", "bob", "carol", "dave"};
        QStringList paid; // stand-in sessions that were paid
        for (int step = 0; step < 40; ++step) {
            const QString user = buyers[rng->bounded(buyers.size())];
            const int action = rng->bounded(5);
            if (action == 0) {
                const auto r = topUp(user, "stripe", QString("%1.00").arg(1 + rng->bounded(9)));
                QCOMPARE(r.status, 201);
                QJsonObject faults{{"copies", 1 + rng->bounded(3)}};
                if (rng->bounded(4) == 0)
                    faults["wrongSecret"] = true, faults["noRetry"] = true;
                else
                    paid << sessionOf(r);
                standin(sessionOf(r), "pay", faults);
            } else if (action == 1) {
                const auto r = checkout(user, videos[rng->bounded(videos.size())]);
                QVERIFY2(r.status == 201 || r.status == 409, r.body.constData());
                if (r.status == 201 && rng->bounded(3) != 0) {
                    standin(sessionOf(r), "pay", {{"copies", 1 + rng->bounded(2)}});
                    paid << sessionOf(r);
                }
            } else if (action == 2 && !paid.isEmpty()) {
                // A refund (part or all, cumulative) or a dispute of something paid.
                const QString session = paid[rng->bounded(paid.size())];
                const bool dispute = rng->bounded(3) == 0;
                QJsonObject options{
                    {"type", dispute ? "charge.dispute.created" : "charge.refunded"}};
                if (!dispute && rng->bounded(2) == 0)
                    options["overrides"] =
                        QJsonObject{{"amount_refunded", 100 * (1 + rng->bounded(8))}};
                QCOMPARE(standin(session, "deliver", options), QList<int>({200}));
            } else {
                const auto r = market_.client(user)->send(
                    "POST", "/api/videos/" + videos[rng->bounded(videos.size())] + "/purchase", {},
                    {}, {{"Idempotency-Key", newKey()}});
                QVERIFY2(r.status == 201 || r.status == 402 || r.status == 409, r.body.constData());
            }
        }
        QCOMPARE(market_.client("root")->postJson("/api/admin/payments/reconcile", {}).status, 200);
        verifyLedger();
    }
};

QTEST_GUILESS_MAIN(TestPayments)
#include "tst_payments.moc"
