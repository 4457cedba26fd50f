// Admin refunds and receivables through the real server and a real PostgreSQL: a wallet
// purchase refunded to the buyer with every share reversed and access ended; a refund after the
// creator withdrew leaves a recorded receivable (never a negative balance) that the creator's
// next earnings settle first; partial refunds that add up to the price exactly (shares reversed
// by cumulative floors: no cent made or lost; access ends with the last part); and a
// randomized run mixing credits, purchases, whole and partial refunds,
// maturing, withdrawals and transfers after which the books still balance.

#include "LedgerInvariants.h"
#include "Marketplace.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>
#include <QUuid>

using namespace reelgate::test;

namespace {

QByteArray newKey() {
    return QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
}

QByteArray json(const QJsonObject& o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

class TestRefunds : public QObject {
    Q_OBJECT

    Marketplace market_;
    QString film_; // 10.00 USD by maker, 20 % to affiliates

    qint64 part(const QString& user, const char* name) {
        for (const auto& b : market_.client(user)->get("/api/wallet").json()["balances"].toArray())
            if (b.toObject()["currency"] == "USD")
                return b.toObject()[name].toObject()["amount_minor"].toInteger();
        return 0;
    }
    HttpReply buy(const QString& user, const QString& video, const QString& ref = {}) {
        QJsonObject body;
        if (!ref.isEmpty())
            body["ref"] = ref;
        return market_.client(user)->send("POST", "/api/videos/" + video + "/purchase",
                                          body.isEmpty() ? QByteArray() : json(body),
                                          body.isEmpty() ? QByteArray() : "application/json",
                                          {{"Idempotency-Key", newKey()}});
    }
    QString purchaseOf(const QString& user, const QString& video) {
        const auto list = market_.client("boss")->get("/api/admin/purchases?q=" + user).json();
        for (const auto& p : list["purchases"].toArray())
            if (p.toObject()["video"].toObject()["id"] == video)
                return p.toObject()["id"].toString();
        return {};
    }
    HttpReply refund(const QString& purchase) {
        return market_.client("boss")->postJson("/api/admin/purchases/" + purchase + "/refund",
                                                {{"reason", "buyer asked"}});
    }
    HttpReply refundPart(const QString& purchase, const QJsonValue& amountMinor) {
        return market_.client("boss")->postJson(
            "/api/admin/purchases/" + purchase + "/refund",
            {{"reason", "part of it"}, {"amount_minor", amountMinor}});
    }
    qint64 platformRevenue() {
        return market_
            .sql("SELECT coalesce(sum(e.amount_minor), 0) FROM ledger_entries e JOIN "
                 "ledger_accounts a ON a.id = e.account_id WHERE a.kind = 'platform_revenue'")
            .toLongLong();
    }
    void matureAll() {
        market_.sql("UPDATE earnings_holds SET release_at = now() - interval '1 second' "
                    "WHERE released_at IS NULL");
    }
    void verifyBooks() {
        verifyLedgerInvariants(market_);
        QCOMPARE(market_.sql("SELECT count(*) FROM ledger_accounts WHERE "
                             "(kind <> 'receivable' AND user_id IS NOT NULL AND balance_minor < 0) "
                             "OR (kind = 'receivable' AND balance_minor > 0)"),
                 QString("0"));
        // Pending earnings are exactly what the open holds still say.
        QCOMPARE(market_.sql("SELECT count(*) FROM ledger_accounts a WHERE kind = "
                             "'earnings_pending' AND balance_minor <> (SELECT "
                             "coalesce(sum(remaining_minor), 0) FROM earnings_holds h WHERE "
                             "h.user_id = a.user_id AND h.currency = a.currency AND "
                             "h.released_at IS NULL)"),
                 QString("0"));
    }

private slots:
    void initTestCase() {
        QVERIFY2(market_.start(), qPrintable(market_.server().log()));
        QVERIFY(market_.signUp("maker", true));
        for (const char* name : {"amy", "alice", "bob", "boss"})
            QVERIFY(market_.signUp(name));
        QCOMPARE(market_.cli({"admin", "grant", "boss"}).exitCode, 0);
        film_ = market_.publish("maker", "The film", "10.00", "USD", 2000);
        QVERIFY(!film_.isEmpty());
        QVERIFY(market_.credit("alice", "30.00", "USD"));
        QVERIFY(market_.credit("bob", "30.00", "USD"));
        QCOMPARE(market_.client("boss")
                     ->send("PATCH", "/api/admin/settings",
                            json({{"withdrawal_min_minor", QJsonObject{{"USD", 100}}}}),
                            "application/json")
                     .status,
                 200);
    }

    void aWalletPurchaseIsRefundedWhole() {
        QCOMPARE(buy("alice", film_, "amy").status, 201);
        QCOMPARE(part("maker", "pending"), 700); // 10.00 - 1.00 fee - 2.00 commission
        QCOMPARE(part("amy", "pending"), 200);
        const QString purchase = purchaseOf("alice", film_);
        QVERIFY(!purchase.isEmpty());
        QCOMPARE(
            market_.client("alice")
                ->postJson("/api/admin/purchases/" + purchase + "/refund", {{"reason", "mine"}})
                .status,
            403);
        QCOMPARE(market_.client("boss")
                     ->postJson("/api/admin/purchases/" + purchase + "/refund", {})
                     .status,
                 400);
        const auto done = refund(purchase);
        QCOMPARE(done.status, 200);
        QCOMPARE(done.json()["refund"]["via"].toString(), QString("wallet"));
        QVERIFY(done.json()["reversal"].toArray().size() >= 3);
        QCOMPARE(part("alice", "spendable"), 3000);
        QCOMPARE(part("maker", "pending"), 0);
        QCOMPARE(part("amy", "pending"), 0);
        QVERIFY(!market_.client("alice")->get("/api/me/purchases").body.contains(film_.toUtf8()));
        QCOMPARE(errorCode(refund(purchase)), QString("already_refunded"));
        QCOMPARE(market_.sql("SELECT count(*) FROM admin_audit WHERE action = 'purchase.refund'"),
                 QString("1"));
        verifyBooks();
    }

    void aRefundAfterTheCreatorWithdrewLeavesAReceivable() {
        QCOMPARE(buy("alice", film_, "amy").status, 201);
        matureAll();
        QCOMPARE(part("maker", "available"), 700);
        const QJsonObject details{
            {"method", "ewallet"},
            {"password", "long password 123"},
            {"details", QJsonObject{{"provider", "OVO"}, {"phone", "+6281234567"}}}};
        QCOMPARE(market_.client("maker")
                     ->send("PUT", "/api/me/payout-details", json(details), "application/json")
                     .status,
                 200);
        const auto w = market_.client("maker")->send(
            "POST", "/api/wallet/withdrawals", json({{"amount_minor", 700}, {"currency", "USD"}}),
            "application/json", {{"Idempotency-Key", newKey()}});
        QCOMPARE(w.status, 201);
        QCOMPARE(market_.client("boss")
                     ->postJson("/api/admin/withdrawals/" + w.json()["id"].toString() + "/approve",
                                {{"via", "manual"}, {"reference", "TRF-1"}, {"note", "weekly"}})
                     .status,
                 200);
        QCOMPARE(refund(purchaseOf("alice", film_)).status, 200);
        QCOMPARE(part("alice", "spendable"), 3000);
        QCOMPARE(part("maker", "available"), 0);
        QCOMPARE(part("maker", "owed"), 700);
        QCOMPARE(part("amy", "spendable"), 0);
        verifyBooks();
    }

    void laterEarningsSettleTheReceivableFirst() {
        QCOMPARE(buy("bob", film_).status, 201); // 9.00 for the creator
        QCOMPARE(part("maker", "owed"), 0);
        QCOMPARE(part("maker", "pending"), 200);
        verifyBooks();
    }

    void partialRefundsAddUpToThePriceExactly() {
        // 3.33 with a 10 % fee and 15 % to the referrer: 33, 49 and 251 for the creator; parts
        // of 100 cannot each be split exactly, and together they must take back exactly that.
        const QString odd = market_.publish("maker", "Odd price", "3.33", "USD", 1500);
        QVERIFY(!odd.isEmpty());
        QVERIFY(market_.credit("bob", "3.33", "USD"));
        const qint64 bobBefore = part("bob", "spendable");
        const qint64 makerBefore = part("maker", "pending") + part("maker", "available");
        const qint64 amyBefore = part("amy", "pending") + part("amy", "available");
        const qint64 platformBefore = platformRevenue();
        QCOMPARE(buy("bob", odd, "amy").status, 201);
        QCOMPARE(part("amy", "pending") + part("amy", "available") - amyBefore, 49);
        const QString purchase = purchaseOf("bob", odd);
        // Refused: nothing, less than nothing, not a whole number, more than the price.
        for (const QJsonValue& bad :
             {QJsonValue(0), QJsonValue(-5), QJsonValue("12"), QJsonValue(1.5), QJsonValue(1e30)})
            QCOMPARE(refundPart(purchase, bad).status, 400);
        QCOMPARE(errorCode(refundPart(purchase, 334)), QString("refund_too_large"));
        for (int i = 0; i < 3; ++i) {
            const auto r = refundPart(purchase, 100);
            QCOMPARE(r.status, 200);
            QVERIFY(!r.json()["refund"]["whole"].toBool());
            // Access stays until the whole is refunded.
            QVERIFY(market_.client("bob")->get("/api/me/purchases").body.contains(odd.toUtf8()));
        }
        QCOMPARE(errorCode(refundPart(purchase, 34)), QString("refund_too_large"));
        QCOMPARE(part("bob", "spendable"), bobBefore - 33);
        const auto last = refundPart(purchase, 33);
        QCOMPARE(last.status, 200);
        QVERIFY(last.json()["refund"]["whole"].toBool());
        QVERIFY(!market_.client("bob")->get("/api/me/purchases").body.contains(odd.toUtf8()));
        // Every share came back exactly: not a cent made or lost on the way.
        QCOMPARE(part("bob", "spendable"), bobBefore);
        QCOMPARE(part("maker", "pending") + part("maker", "available") - part("maker", "owed"),
                 makerBefore);
        QCOMPARE(part("amy", "pending") + part("amy", "available") - part("amy", "owed"),
                 amyBefore);
        QCOMPARE(platformRevenue(), platformBefore);
        QCOMPARE(errorCode(refundPart(purchase, 1)), QString("already_refunded"));
        QCOMPARE(market_.sql("SELECT count(*) FROM refunds WHERE purchase_public_id = '" +
                             purchase + "' AND completed_at IS NOT NULL"),
                 QString("4"));
        verifyBooks();
    }

    void aRandomizedRunKeepsTheBooks() {
        QStringList videos{film_};
        for (int i = 0; i < 3; ++i)
            videos << market_.publish("maker", "Film " + QString::number(i),
                                      QString::number(1 + i) + ".99", "USD", 1000 * i);
        const QStringList buyers{"alice", "bob", "amy"};
        auto* rng = QRandomGenerator::global();
        for (int step = 0; step < 60; ++step) {
            const QString who = buyers[rng->bounded(buyers.size())];
            const QString video = videos[rng->bounded(videos.size())];
            switch (rng->bounded(6)) {
            case 0:
                market_.credit(who, "5.00", "USD");
                break;
            case 1:
                buy(who, video, buyers[rng->bounded(buyers.size())]);
                break;
            case 2:
                if (const QString p = purchaseOf(who, video); !p.isEmpty()) {
                    // Whole, or a part that may be more than is left.
                    const auto r =
                        rng->bounded(2) ? refund(p) : refundPart(p, 1 + rng->bounded(300));
                    QVERIFY2(r.status == 200 || errorCode(r) == "refund_too_large", r.body);
                }
                break;
            case 3:
                matureAll();
                break;
            case 4: {
                const auto w = market_.client("maker")->send(
                    "POST", "/api/wallet/withdrawals",
                    json({{"amount_minor", 100 + rng->bounded(400)}, {"currency", "USD"}}),
                    "application/json", {{"Idempotency-Key", newKey()}});
                if (w.status == 201)
                    market_.client("boss")->postJson(
                        "/api/admin/withdrawals/" + w.json()["id"].toString() +
                            (rng->bounded(2) ? "/approve" : "/reject"),
                        {{"via", "manual"}, {"reference", "R"}, {"note", "n"}, {"reason", "r"}});
                break;
            }
            default:
                market_.client("boss")->send("PATCH", "/api/admin/settings",
                                             json({{"transfers_enabled", true}}),
                                             "application/json");
                market_.client(who)->send("POST", "/api/wallet/transfers",
                                          json({{"to", "maker"},
                                                {"amount_minor", 1 + rng->bounded(300)},
                                                {"currency", "USD"}}),
                                          "application/json", {{"Idempotency-Key", newKey()}});
            }
        }
        verifyBooks();
        const auto trial = market_.client("boss")->get("/api/admin/trial-balance").json();
        for (const auto& t : trial["totals"].toArray())
            QCOMPARE(t.toObject()["sum"].toObject()["amount_minor"].toInteger(), 0);
    }
};

QTEST_GUILESS_MAIN(TestRefunds)
#include "tst_refunds.moc"
