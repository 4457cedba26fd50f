// Money in through the real server, a real PostgreSQL and the Stripe stand-in
// (tests/standins): top-ups posted once by signed webhooks; webhooks refused (stale, wrong
// secret, tampered); duplicates, a retry after our 500, a kill -9 mid-notification, a lost
// notification reconciled, 20 concurrent deliveries of one event; a wrong amount flagged (and
// the flag cleared only when Stripe confirms the right amount); disputes closed won or lost;
// providers that are off. (tst_paymentledger: checkouts, bank transfers, refunds.)

#include "ConcurrentRequests.h"
#include "PaymentMarket.h"
#include "RawClient.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QTest>
#include <QUrl>

#include <memory>
#include <thread>

using namespace reelgate::test;

namespace {

QByteArray stripeHeader(const QByteArray& body, const QByteArray& secret, qint64 timestamp) {
    const QByteArray t = QByteArray::number(timestamp);
    return "t=" + t + ",v1=" +
           QMessageAuthenticationCode::hash(t + "." + body, secret, QCryptographicHash::Sha256)
               .toHex();
}

} // namespace

class TestPayments : public QObject {
    Q_OBJECT

    PaymentMarket pay_;
    Marketplace& market_ = pay_.market();

private slots:
    void initTestCase() { QVERIFY(pay_.start()); }

    void onlyConfiguredProvidersAreOffered() {
        const auto r = market_.server().get("/api/payments/providers");
        QCOMPARE(r.status, 200);
        QStringList names;
        for (const auto& p : r.json()["providers"].toArray())
            names << p.toObject()["name"].toString();
        QCOMPARE(names, QStringList({"stripe", "bank"})); // pay-now methods first
        // What anyone may read names no secret.
        for (const QByteArray& secret :
             {PaymentMarket::kSecretKey.toUtf8(), PaymentMarket::kWebhookSecret.toUtf8()})
            QVERIFY(!r.body.contains(secret) &&
                    !market_.client("root")->get("/api/admin/deposits").body.contains(secret));
        const auto off = pay_.topUp("alice", "paypal", "5.00");
        QCOMPARE(off.status, 404);
        QCOMPARE(errorCode(off), QString("unknown_provider"));
        QCOMPARE(
            market_.server().post("/api/payments/paypal/webhook", "{}", "application/json").status,
            404);
    }

    void stripeTopUpIsCreditedOnceAndReplays() {
        const QByteArray key = PaymentMarket::newKey();
        const auto created = pay_.topUp("alice", "stripe", "10.00", key);
        QCOMPARE(created.status, 201);
        const auto deposit = created.json()["deposit"].toObject();
        QCOMPARE(deposit["status"].toString(), QString("pending"));
        QCOMPARE(deposit["amount"].toObject()["amount_minor"].toInteger(), 1000);
        QVERIFY(deposit["redirect_url"].toString().startsWith(pay_.stripeUrl() + "/pay/cs_"));
        // The same key answers the same deposit; another request under it is refused.
        const auto replay = pay_.topUp("alice", "stripe", "10.00", key);
        QCOMPARE(replay.status, 200);
        QCOMPARE(replay.json()["deposit"]["id"].toString(), deposit["id"].toString());
        QCOMPARE(pay_.topUp("alice", "stripe", "11.00", key).status, 422);
        QCOMPARE(market_.client("alice")
                     ->send("POST", "/api/wallet/deposits",
                            R"({"provider":"stripe","amount":"1.00","currency":"USD"})",
                            "application/json")
                     .status,
                 400); // no Idempotency-Key
        QCOMPARE(market_.balance("alice", "USD"), 0);

        QCOMPARE(pay_.standin(PaymentMarket::sessionOf(created), "pay", {}), QList<int>({200}));
        QCOMPARE(market_.balance("alice", "USD"), 1000);
        QCOMPARE(pay_.depositStatus("alice", deposit["id"].toString()), QString("posted"));
        // Someone else cannot read it.
        QCOMPARE(
            market_.client("bob")->get("/api/wallet/deposits/" + deposit["id"].toString()).status,
            404);
        // The same event again (Stripe redelivers) and a second event saying paid: no change.
        QCOMPARE(pay_.standin(PaymentMarket::sessionOf(created), "deliver", {{"copies", 3}}),
                 QList<int>({200, 200, 200}));
        QCOMPARE(market_.balance("alice", "USD"), 1000);
        QCOMPARE(market_.sql("SELECT count(*) FROM mail_outbox WHERE subject LIKE '%payment "
                             "received%'"),
                 QString("1"));
        pay_.verifyLedger();
    }

    void forgedAndStaleWebhooksCreditNothing() {
        const auto created = pay_.topUp("bob", "stripe", "7.00");
        QCOMPARE(created.status, 201);
        const QString session = PaymentMarket::sessionOf(created);
        const QJsonObject once{{"noRetry", true}};
        for (const char* fault : {"stale", "wrongSecret", "tamper"}) {
            QJsonObject faults = once;
            faults[fault] = true;
            QCOMPARE(pay_.standin(session, "pay", faults), QList<int>({400}));
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
        QCOMPARE(pay_.standin(session, "pay", {}), QList<int>({200}));
        QCOMPARE(market_.balance("bob", "USD"), 700);
        // Neither secret appears in the log.
        const QString log = market_.server().log();
        QVERIFY(!log.contains(PaymentMarket::kSecretKey) &&
                !log.contains(PaymentMarket::kWebhookSecret));
    }

    void wrongAmountIsFlaggedNotCredited() {
        const auto created = pay_.topUp("carol", "stripe", "20.00");
        const QJsonObject faults{{"overrides", QJsonObject{{"amount_total", 2}}}};
        QCOMPARE(pay_.standin(PaymentMarket::sessionOf(created), "pay", faults), QList<int>({200}));
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

    // Flagged for a wrong amount, then confirmed by Stripe's own records at the right amount:
    // posted, and the obsolete flag cleared saying why. One Stripe's records put at another
    // amount stays unposted and flagged, and a forged notification of the right amount is
    // refused. A flag about a refund reported before the payment stays after it is posted.
    void aFlagIsClearedOnlyByAnAuthenticatedMatchingAmount() {
        QVERIFY(market_.signUp("lena"));
        const auto right = pay_.topUp("lena", "stripe", "9.00");
        const auto wrong = pay_.topUp("lena", "stripe", "4.00");
        QCOMPARE(pay_.standin(PaymentMarket::sessionOf(right), "pay",
                              {{"overrides", QJsonObject{{"amount_total", 9}}}}),
                 QList<int>({200}));
        QCOMPARE(pay_.standin(PaymentMarket::sessionOf(wrong), "pay",
                              {{"overrides", QJsonObject{{"amount_total", 4}}},
                               {"session", QJsonObject{{"amount_total", 4}}}}),
                 QList<int>({200}));
        QCOMPARE(pay_.standin(PaymentMarket::sessionOf(wrong), "deliver",
                              {{"wrongSecret", true},
                               {"noRetry", true},
                               {"overrides", QJsonObject{{"amount_total", 400}}}}),
                 QList<int>({400}));
        QCOMPARE(market_.balance("lena", "USD"), 0);
        QCOMPARE(market_.client("root")->postJson("/api/admin/payments/reconcile", {}).status, 200);
        QCOMPARE(market_.balance("lena", "USD"), 900);
        auto* root = market_.client("root");
        const auto cleared =
            root->get("/api/admin/deposits/" + right.json()["deposit"]["id"].toString())
                .json()["deposit"];
        QCOMPARE(cleared["status"].toString(), QString("posted"));
        QCOMPARE(cleared["flagged"].toBool(), false);
        QVERIFY(cleared["status_reason"].toString().contains("superseded"));
        const auto events = cleared["events"].toArray();
        QCOMPARE(events.size(), 2);
        QCOMPARE(events[0]["outcome"].toString(), QString("mismatch"));
        QCOMPARE(events[0]["flagged"].toBool(), true); // the history keeps it
        QCOMPARE(events[1]["outcome"].toString(), QString("posted_flag_cleared"));
        const auto kept =
            root->get("/api/admin/deposits/" + wrong.json()["deposit"]["id"].toString())
                .json()["deposit"];
        QCOMPARE(kept["status"].toString(), QString("pending"));
        QCOMPARE(kept["flagged"].toBool(), true);

        const auto early = pay_.topUp("lena", "stripe", "3.00");
        const QString session = PaymentMarket::sessionOf(early);
        QCOMPARE(pay_.standin(session, "deliver", {{"type", "charge.refunded"}}),
                 QList<int>({200}));
        QCOMPARE(pay_.standin(session, "pay", {}), QList<int>({200}));
        QCOMPARE(market_.balance("lena", "USD"), 1200);
        const auto stillFlagged =
            root->get("/api/admin/deposits/" + early.json()["deposit"]["id"].toString())
                .json()["deposit"];
        QCOMPARE(stillFlagged["flagged"].toBool(), true);
        QCOMPARE(stillFlagged["events"][1]["outcome"].toString(), QString("posted_still_flagged"));
        pay_.verifyLedger();
    }

    // charge.dispute.closed: won is flagged for the admin (the reversal stands); lost reverses
    // what is not reversed yet (here its charge.dispute.created never came), once; an inquiry
    // closed changes nothing.
    void stripeDisputeClosedWonIsFlaggedLostReversesOnce() {
        QVERIFY(market_.signUp("mona"));
        const auto won = pay_.topUp("mona", "stripe", "6.00");
        const QString wonSession = PaymentMarket::sessionOf(won);
        QCOMPARE(pay_.standin(wonSession, "pay", {}), QList<int>({200}));
        QCOMPARE(pay_.standin(wonSession, "deliver", {{"type", "charge.dispute.created"}}),
                 QList<int>({200}));
        QCOMPARE(market_.balance("mona", "USD"), 0);
        QCOMPARE(pay_.standin(wonSession, "deliver",
                              {{"type", "charge.dispute.closed"},
                               {"overrides", QJsonObject{{"status", "won"}}}}),
                 QList<int>({200}));
        QCOMPARE(market_.balance("mona", "USD"), 0);
        const auto detail =
            market_.client("root")
                ->get("/api/admin/deposits/" + won.json()["deposit"]["id"].toString())
                .json()["deposit"];
        QCOMPARE(detail["flagged"].toBool(), true);
        QCOMPARE(detail["events"][2]["outcome"].toString(), QString("dispute_won"));

        const auto lost = pay_.topUp("mona", "stripe", "5.00");
        const QString lostSession = PaymentMarket::sessionOf(lost);
        QCOMPARE(pay_.standin(lostSession, "pay", {}), QList<int>({200}));
        QCOMPARE(market_.balance("mona", "USD"), 500);
        for (int i = 0; i < 2; ++i)
            QCOMPARE(pay_.standin(lostSession, "deliver", {{"type", "charge.dispute.closed"}}),
                     QList<int>({200}));
        QCOMPARE(market_.balance("mona", "USD"), 0);
        QCOMPARE(pay_.depositStatus("mona", lost.json()["deposit"]["id"].toString()),
                 QString("disputed"));
        QCOMPARE(market_.sql("SELECT count(*) FROM ledger_transactions WHERE kind = 'dispute' "
                             "AND memo LIKE '%" +
                             market_.sql("SELECT reference FROM deposits WHERE public_id = '" +
                                         lost.json()["deposit"]["id"].toString() + "'") +
                             "'"),
                 QString("1"));
        const auto topUp = pay_.topUp("mona", "stripe", "2.00");
        QCOMPARE(pay_.standin(PaymentMarket::sessionOf(topUp), "pay", {}), QList<int>({200}));
        QCOMPARE(pay_.standin(PaymentMarket::sessionOf(topUp), "deliver",
                              {{"type", "charge.dispute.closed"},
                               {"overrides", QJsonObject{{"status", "warning_closed"}}}}),
                 QList<int>({200}));
        QCOMPARE(market_.balance("mona", "USD"), 200);
        pay_.verifyLedger();
    }

    // The admin's view of one deposit: its raw notifications; filters by status and provider;
    // nobody else reads it, and junk filters are refused.
    void adminDepositDetailsAndFilters() {
        QCOMPARE(pay_.topUp("carol", "bank", "1.00").status, 201);
        const auto created = pay_.topUp("carol", "stripe", "2.00");
        QCOMPARE(pay_.standin(PaymentMarket::sessionOf(created), "pay", {}), QList<int>({200}));
        const QString id = created.json()["deposit"]["id"].toString();
        auto* root = market_.client("root");
        const auto detail = root->get("/api/admin/deposits/" + id);
        QCOMPARE(detail.status, 200);
        const auto events = detail.json()["deposit"]["events"].toArray();
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0]["outcome"].toString(), QString("posted"));
        QVERIFY(events[0]["raw"].toString().contains("checkout.session.completed"));
        QCOMPARE(detail.json()["deposit"]["reversed"]["amount_minor"].toInteger(), 0);
        QCOMPARE(market_.client("carol")->get("/api/admin/deposits/" + id).status, 403);
        QCOMPARE(root->get("/api/admin/deposits/nosuchdeposit00").status, 404);
        for (const char* query : {"?filter=posted&provider=stripe", "?filter=posted"}) {
            bool found = false;
            for (const auto& d :
                 root->get(QString("/api/admin/deposits") + query).json()["deposits"].toArray()) {
                QCOMPARE(d.toObject()["status"].toString(), QString("posted"));
                found = found || d.toObject()["id"].toString() == id;
            }
            QVERIFY(found);
        }
        QCOMPARE(
            root->get("/api/admin/deposits?provider=bank").json()["deposits"].toArray().size() > 0,
            true);
        for (const auto& d :
             root->get("/api/admin/deposits?provider=bank").json()["deposits"].toArray())
            QCOMPARE(d.toObject()["provider"].toString(), QString("bank"));
        for (const char* bad :
             {"?filter=all", "?provider=Stripe", "?provider=%27%3B--", "?filter=%FF%FE"})
            QCOMPARE(root->get(QString("/api/admin/deposits") + bad).status, 400);
    }

    // A page that is open hears at once that a deposit settled (GET /api/me/events, through
    // the database's notification, so from whichever instance settled it): the buyer's return
    // page waiting on a bank transfer learns of the admin's approval without polling. Nobody
    // else's stream hears it.
    void aSettledDepositReachesTheBuyersOpenStreams() {
        const auto open = [&](const QString& user) {
            auto stream = std::make_unique<RawClient>(market_.server().baseUrl());
            stream->send("GET /api/me/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                         market_.token(user) + "\r\n\r\n");
            return stream;
        };
        auto carol = open("carol");
        auto bob = open("bob");
        const auto ready = [](const QByteArray& b) { return b.contains("event: ready\n"); };
        QVERIFY(carol->readUntil(ready).contains("event: ready"));
        QVERIFY(bob->readUntil(ready).contains("event: ready"));

        const auto created = pay_.topUp("carol", "bank", "3.00");
        QCOMPARE(created.status, 201);
        const QString id = created.json()["deposit"]["id"].toString();
        QCOMPARE(market_.client("root")
                     ->send("POST", "/api/admin/deposits/" + id + "/approve",
                            QByteArray(R"({"note":"seen on the statement"})"), "application/json")
                     .status,
                 200);
        const QByteArray expected =
            "event: deposit\ndata: {\"id\" : \"" + id.toUtf8() + "\", \"status\" : \"posted\"}\n\n";
        const QByteArray heard =
            carol->readUntil([&](const QByteArray& b) { return b.contains(expected); });
        QVERIFY2(heard.contains(expected), heard.constData());
        // Bob's stream is still open and heard nothing of it (a ping to him arrives alone).
        const auto pinged =
            ServerProcess::request("POST", market_.server().baseUrl() + "/api/me/events/ping", {},
                                   {{"Authorization", "Bearer " + market_.token("bob")}});
        QCOMPARE(pinged.json().object()["delivered"].toInt(), 1);
        const QByteArray bobHeard =
            bob->readUntil([](const QByteArray& b) { return b.contains("event: ping"); });
        QVERIFY(bobHeard.contains("event: ping"));
        QVERIFY(!bobHeard.contains("event: deposit"));
    }

    void failedProcessingIsRetriedAndCountsOnce() {
        // The first insert of a notification fails (as a crash or a lost database would).
        market_.sql("CREATE SEQUENCE test_fail_once; "
                    "CREATE FUNCTION test_fail_once() RETURNS trigger LANGUAGE plpgsql AS $$ "
                    "BEGIN IF nextval('test_fail_once') = 1 THEN RAISE EXCEPTION 'injected'; "
                    "END IF; RETURN NEW; END $$; "
                    "CREATE TRIGGER test_fail_once BEFORE INSERT ON payment_notifications "
                    "FOR EACH ROW EXECUTE FUNCTION test_fail_once();");
        const auto created = pay_.topUp("dave", "stripe", "3.00");
        QCOMPARE(pay_.standin(PaymentMarket::sessionOf(created), "pay", {}),
                 QList<int>({500, 200}));
        market_.sql("DROP TRIGGER test_fail_once ON payment_notifications");
        QCOMPARE(market_.balance("dave", "USD"), 300);
        pay_.verifyLedger();
    }

    void expiredSessionIsVoided() {
        const auto created = pay_.topUp("dave", "stripe", "8.00");
        QCOMPARE(pay_.standin(PaymentMarket::sessionOf(created), "deliver",
                              {{"type", "checkout.session.expired"},
                               {"overrides", QJsonObject{{"status", "expired"}}}}),
                 QList<int>({200}));
        QCOMPARE(pay_.depositStatus("dave", created.json()["deposit"]["id"].toString()),
                 QString("voided"));
        QCOMPARE(market_.balance("dave", "USD"), 300);
    }

    void aLostNotificationIsReconciled() {
        const auto created = pay_.topUp("dave", "stripe", "6.00");
        const qint64 before = market_.balance("dave", "USD");
        QCOMPARE(pay_.standin(PaymentMarket::sessionOf(created), "pay", {{"silent", true}}),
                 QList<int>());
        QCOMPARE(market_.balance("dave", "USD"), before);
        QCOMPARE(market_.client("dave")->postJson("/api/admin/payments/reconcile", {}).status, 403);
        const auto reconciled =
            market_.client("root")->postJson("/api/admin/payments/reconcile", {});
        QCOMPARE(reconciled.status, 200);
        QVERIFY(reconciled.json()["settled"].toInt() >= 1);
        QCOMPARE(market_.balance("dave", "USD") - before, 600);
        // The notification that arrives late changes nothing.
        QCOMPARE(pay_.standin(PaymentMarket::sessionOf(created), "deliver", {}), QList<int>({200}));
        QCOMPARE(market_.balance("dave", "USD") - before, 600);
        pay_.verifyLedger();
    }

    // kill -9 while a notification is being processed: nothing is half-done, and Stripe's
    // redelivery of the same event after the restart credits it exactly once.
    void aCrashMidNotificationIsCompletedByTheRetry() {
        QVERIFY(market_.signUp("ivy"));
        const auto created = pay_.topUp("ivy", "stripe", "7.00");
        QCOMPARE(created.status, 201);
        market_.sql("CREATE SEQUENCE test_stall_once; "
                    "CREATE FUNCTION test_stall_once() RETURNS trigger LANGUAGE plpgsql AS $$ "
                    "BEGIN IF nextval('test_stall_once') = 1 THEN PERFORM pg_sleep(600); END IF; "
                    "RETURN NEW; END $$; "
                    "CREATE TRIGGER test_stall_once BEFORE INSERT ON payment_notifications "
                    "FOR EACH ROW EXECUTE FUNCTION test_stall_once();");
        std::thread payer([&] {
            pay_.standin(PaymentMarket::sessionOf(created), "pay", {{"noRetry", true}});
        });
        // Wait until the server is inside the notification's transaction.
        QTRY_VERIFY_WITH_TIMEOUT(market_.sql("SELECT count(*) FROM pg_stat_activity WHERE "
                                             "query LIKE 'INSERT INTO payment_notifications%'") ==
                                     "1",
                                 60000);
        const QString port = QString::number(QUrl(market_.server().baseUrl()).port());
        market_.server().kill();
        payer.join();
        QVERIFY2(market_.server().start(market_.dataDir(),
                                        pay_.serverArgs() +
                                            QStringList{"--listen", "127.0.0.1:" + port}),
                 qPrintable(market_.server().log()));
        market_.sql("DROP TRIGGER test_stall_once ON payment_notifications");
        QCOMPARE(market_.balance("ivy", "USD"), 0); // the crashed transaction left nothing
        const auto redelivered =
            ServerProcess::request("POST", pay_.stripeUrl() + "/_standin/redeliver");
        QCOMPARE(redelivered.json()["statuses"].toArray().size(), 1);
        QCOMPARE(redelivered.json()["statuses"][0].toInt(), 200);
        QCOMPARE(market_.balance("ivy", "USD"), 700);
        QCOMPARE(ServerProcess::request("POST", pay_.stripeUrl() + "/_standin/redeliver")
                     .json()["statuses"]
                     .toArray()
                     .size(),
                 0);
        pay_.verifyLedger();
    }

    void pendingPaymentsAreCapped() {
        QVERIFY(market_.signUp("kim"));
        for (int i = 0; i < 20; ++i)
            QCOMPARE(pay_.topUp("kim", "bank", "1.00").status, 201);
        const auto refused = pay_.topUp("kim", "stripe", "1.00");
        QCOMPARE(refused.status, 429);
        QCOMPARE(errorCode(refused), QString("too_many_pending_payments"));
        QVERIFY(!refused.header("Retry-After").isEmpty());
        QCOMPARE(pay_.topUp("alice", "bank", "1.00").status, 201); // others are not affected
    }

    void twentyConcurrentDeliveriesCreditOnce() {
        const qint64 before = market_.balance("carol", "USD");
        const auto created = pay_.topUp("carol", "stripe", "5.00");
        QCOMPARE(created.status, 201);
        const QString session = PaymentMarket::sessionOf(created);
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
        const QByteArray signature = stripeHeader(body, PaymentMarket::kWebhookSecret.toUtf8(),
                                                  QDateTime::currentSecsSinceEpoch());
        // All twenty sent at the same moment, each on its own connection.
        const auto replies = sendConcurrently(market_.server().baseUrl(), 20, [&](int) {
            return RawRequest{
                "POST",
                "/api/payments/stripe/webhook",
                body,
                {{"Content-Type", "application/json"}, {"Stripe-Signature", signature}}};
        });
        int ok = 0, posted = 0;
        for (const auto& r : replies) {
            ok += r.status == 200;
            posted += r.json()["outcome"].toString() == "posted";
        }
        QCOMPARE(ok, 20);
        QCOMPARE(posted, 1);
        QCOMPARE(market_.balance("carol", "USD") - before, 500);
        QCOMPARE(market_.sql("SELECT count(*) FROM payment_notifications WHERE event_id = "
                             "'evt_concurrent_1'"),
                 QString("1"));
        pay_.verifyLedger();
    }
};

QTEST_GUILESS_MAIN(TestPayments)
#include "tst_payments.moc"
