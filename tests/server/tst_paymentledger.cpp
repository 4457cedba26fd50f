// Money in, the ledger side, through the real server and the Stripe stand-in: pay-at-checkout
// buys the video with the referral split in one transaction (or credits the wallet when the
// video was bought meanwhile); bank transfers an admin approves or rejects; refunds and
// disputes as reversing transactions, also asked by an admin; and a randomized run that must
// leave the ledger balanced.

#include "PaymentMarket.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace reelgate::test;

class TestPaymentLedger : public QObject {
    Q_OBJECT

    PaymentMarket pay_;
    Marketplace& market_ = pay_.market();

private slots:
    void initTestCase() { QVERIFY(pay_.start()); }

    void payAtCheckoutBuysWithTheReferralSplit() {
        QVERIFY(market_.signUp("erin"));
        const auto created = pay_.checkout("erin", pay_.film(), {{"ref", "alice"}});
        QCOMPARE(created.status, 201);
        QCOMPARE(created.json()["deposit"]["amount"]["amount_minor"].toInteger(), 499);
        QCOMPARE(created.json()["deposit"]["video"]["id"].toString(), pay_.film());
        const qint64 makerBefore = market_.balance("maker", "USD");
        const qint64 aliceBefore = market_.balance("alice", "USD");
        QCOMPARE(pay_.standin(PaymentMarket::sessionOf(created), "pay", {}), QList<int>({200}));
        // Bought: in the library, the wallet untouched, the split paid (fee 10 %, 20 % referral).
        const auto library = market_.client("erin")->get("/api/me/purchases");
        QCOMPARE(library.json()["purchases"].toArray().size(), 1);
        QCOMPARE(library.json()["purchases"][0]["video"]["id"].toString(), pay_.film());
        QCOMPARE(market_.balance("erin", "USD"), 0);
        QCOMPARE(market_.balance("alice", "USD") - aliceBefore, 99);  // floor(4.99 * 20 %)
        QCOMPARE(market_.balance("maker", "USD") - makerBefore, 351); // 499 - 49 - 99
        QCOMPARE(market_.sql("SELECT count(DISTINCT t.id) FROM ledger_transactions t "
                             "JOIN deposits d ON d.transaction_id = t.id "
                             "JOIN purchases p ON p.transaction_id = t.id WHERE t.kind = "
                             "'checkout'"),
                 QString("1"));
        // Owned now: a second checkout is refused; a wallet purchase too.
        QCOMPARE(pay_.checkout("erin", pay_.film()).status, 409);
        pay_.verifyLedger();
    }

    void checkoutOfAVideoBoughtMeanwhileGoesToTheWallet() {
        QVERIFY(market_.signUp("fay"));
        const auto created = pay_.checkout("fay", pay_.film());
        QCOMPARE(created.status, 201);
        QVERIFY(market_.credit("fay", "4.99", "USD"));
        QCOMPARE(market_.client("fay")
                     ->send("POST", "/api/videos/" + pay_.film() + "/purchase", {}, {},
                            {{"Idempotency-Key", PaymentMarket::newKey()}})
                     .status,
                 201);
        QCOMPARE(pay_.standin(PaymentMarket::sessionOf(created), "pay", {}), QList<int>({200}));
        QCOMPARE(market_.balance("fay", "USD"), 499);
        const auto deposit = market_.client("fay")->get("/api/wallet/deposits/" +
                                                        created.json()["deposit"]["id"].toString());
        QCOMPARE(deposit.json()["deposit"]["status"].toString(), QString("posted"));
        QVERIFY(deposit.json()["deposit"]["status_reason"].toString().contains("wallet"));
        pay_.verifyLedger();
    }

    void bankTransferNeedsAnAdmin() {
        const auto created = pay_.topUp("bob", "bank", "25.00");
        QCOMPARE(created.status, 201);
        const auto deposit = created.json()["deposit"].toObject();
        const QString id = deposit["id"].toString();
        const QString reference = deposit["reference"].toString();
        QVERIFY(reference.startsWith("RG-"));
        QVERIFY(deposit["instructions"].toString().contains(PaymentMarket::kBankText));
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

        const auto other = pay_.topUp("bob", "bank", "9.00");
        const QString otherId = other.json()["deposit"]["id"].toString();
        QVERIFY(other.json()["deposit"]["reference"].toString() != reference);
        const auto rejected = market_.client("root")->postJson(
            "/api/admin/deposits/" + otherId + "/reject", {{"note", "never arrived"}});
        QCOMPARE(rejected.status, 200);
        QCOMPARE(rejected.json()["deposit"]["status"].toString(), QString("voided"));
        QCOMPARE(market_.balance("bob", "USD") - before, 2500);
        pay_.verifyLedger();
    }

    void refundsAndDisputesAreReversingTransactions() {
        QVERIFY(market_.signUp("gus"));
        const auto topped = pay_.topUp("gus", "stripe", "10.00");
        const QString session = PaymentMarket::sessionOf(topped);
        QCOMPARE(pay_.standin(session, "pay", {}), QList<int>({200}));
        QCOMPARE(market_.client("gus")
                     ->send("POST", "/api/videos/" + pay_.film() + "/purchase", {}, {},
                            {{"Idempotency-Key", PaymentMarket::newKey()}})
                     .status,
                 201);
        QCOMPARE(market_.balance("gus", "USD"), 501);
        // A partial refund (cumulative 3.00), delivered twice: reversed once.
        const QJsonObject partial{{"type", "charge.refunded"},
                                  {"copies", 2},
                                  {"overrides", QJsonObject{{"amount_refunded", 300}}}};
        QCOMPARE(pay_.standin(session, "deliver", partial), QList<int>({200, 200}));
        QCOMPARE(market_.balance("gus", "USD"), 201);
        const QString id = topped.json()["deposit"]["id"].toString();
        QCOMPARE(pay_.depositStatus("gus", id), QString("posted"));
        // Then the rest (cumulative 10.00): the wallet gives what it has, gus owes 4.99.
        QCOMPARE(pay_.standin(session, "deliver", {{"type", "charge.refunded"}}),
                 QList<int>({200}));
        QCOMPARE(market_.balance("gus", "USD"), 0);
        QCOMPARE(pay_.depositStatus("gus", id), QString("refunded"));
        QCOMPARE(market_.sql("SELECT count(*) FROM ledger_transactions WHERE kind = 'refund'"),
                 QString("2"));
        // What gus spent of the refunded money (4.99) is owed, recorded, never a negative wallet.
        QCOMPARE(market_.sql("SELECT -balance_minor FROM ledger_accounts a JOIN users u ON "
                             "u.id = a.user_id WHERE a.kind = 'receivable' AND u.username = 'gus'"),
                 QString("499"));

        // A checkout disputed in full: the sale is reversed and the access it bought revoked.
        QVERIFY(market_.signUp("hal"));
        const auto bought = pay_.checkout("hal", pay_.film());
        QCOMPARE(pay_.standin(PaymentMarket::sessionOf(bought), "pay", {}), QList<int>({200}));
        QCOMPARE(
            market_.client("hal")->get("/api/me/purchases").json()["purchases"].toArray().size(),
            1);
        const qint64 makerBefore = market_.balance("maker", "USD");
        QCOMPARE(pay_.standin(PaymentMarket::sessionOf(bought), "deliver",
                              {{"type", "charge.dispute.created"}}),
                 QList<int>({200}));
        QCOMPARE(
            market_.client("hal")->get("/api/me/purchases").json()["purchases"].toArray().size(),
            0);
        QCOMPARE(makerBefore - market_.balance("maker", "USD"), 450); // 4.99 - 0.49 fee
        const auto deposit = market_.client("hal")->get("/api/wallet/deposits/" +
                                                        bought.json()["deposit"]["id"].toString());
        QCOMPARE(deposit.json()["deposit"]["status"].toString(), QString("disputed"));
        QCOMPARE(deposit.json()["deposit"]["flagged"].toBool(), true);
        pay_.verifyLedger();
    }

    void anAdminRefundsThroughTheProvider() {
        QVERIFY(market_.signUp("jay"));
        const auto created = pay_.topUp("jay", "stripe", "5.00");
        QCOMPARE(pay_.standin(PaymentMarket::sessionOf(created), "pay", {}), QList<int>({200}));
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
        QCOMPARE(pay_.depositStatus("jay", created.json()["deposit"]["id"].toString()),
                 QString("refunded"));
        QCOMPARE(market_.client("root")->postJson(path, {}).status, 409);
        pay_.verifyLedger();
    }

    // Step 5 of the issue: a randomized run of top-ups, duplicate and forged deliveries,
    // checkouts, wallet purchases, refunds and disputes keeps the ledger balanced.
    void randomizedRunKeepsTheLedgerBalanced() {
        auto* rng = QRandomGenerator::global();
        QStringList videos{pay_.film()};
        for (int i = 0; i < 3; ++i)
            videos << market_.publish("maker", QString("Extra %1").arg(i),
                                      QString("%1.%2").arg(1 + i).arg(25 * i), "USD", 1000 * i);
        const QStringList buyers{"alice", "bob", "carol", "dave"};
        QStringList paid; // stand-in sessions that were paid
        for (int step = 0; step < 40; ++step) {
            const QString user = buyers[rng->bounded(buyers.size())];
            const int action = rng->bounded(5);
            if (action == 0) {
                const auto r =
                    pay_.topUp(user, "stripe", QString("%1.00").arg(1 + rng->bounded(9)));
                QCOMPARE(r.status, 201);
                QJsonObject faults{{"copies", 1 + rng->bounded(3)}};
                if (rng->bounded(4) == 0)
                    faults["wrongSecret"] = true, faults["noRetry"] = true;
                else
                    paid << PaymentMarket::sessionOf(r);
                pay_.standin(PaymentMarket::sessionOf(r), "pay", faults);
            } else if (action == 1) {
                const auto r = pay_.checkout(user, videos[rng->bounded(videos.size())]);
                QVERIFY2(r.status == 201 || r.status == 409, r.body.constData());
                if (r.status == 201 && rng->bounded(3) != 0) {
                    pay_.standin(PaymentMarket::sessionOf(r), "pay",
                                 {{"copies", 1 + rng->bounded(2)}});
                    paid << PaymentMarket::sessionOf(r);
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
                QCOMPARE(pay_.standin(session, "deliver", options), QList<int>({200}));
            } else {
                const auto r = market_.client(user)->send(
                    "POST", "/api/videos/" + videos[rng->bounded(videos.size())] + "/purchase", {},
                    {}, {{"Idempotency-Key", PaymentMarket::newKey()}});
                QVERIFY2(r.status == 201 || r.status == 402 || r.status == 409, r.body.constData());
            }
        }
        QCOMPARE(market_.client("root")->postJson("/api/admin/payments/reconcile", {}).status, 200);
        pay_.verifyLedger();
    }
};

QTEST_GUILESS_MAIN(TestPaymentLedger)
#include "tst_paymentledger.moc"
