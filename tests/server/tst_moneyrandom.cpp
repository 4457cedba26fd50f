// Every money operation of money in and money out, mixed at random on the real server: card
// top-ups and checkouts through the Stripe STAND-IN, wallet purchases, disputes, admin refunds
// (whole and partial, wallet and card), withdrawals (paid by hand, rejected, paid through the
// payouts STAND-IN, failed there, returned by its callback) and transfers. After it: every
// transaction sums to zero, every balance equals its entries, no wallet is negative, every
// receivable is an amount owed (never a credit), pending earnings equal their open holds, and
// the trial balance sums to zero. The seed is printed; REELGATE_RANDOM_SEED replays a run.
// First, deterministically: a card purchase refunded in two parts through Stripe (access stays
// after the first, ends with the second; the deposit reversed exactly once in full).

#include "LedgerInvariants.h"
#include "PaymentMarket.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace reelgate::test;

namespace {

QByteArray json(const QJsonObject& o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

const char* kCallbackToken = "xnd_random_callback";

} // namespace

class TestMoneyRandom : public QObject {
    Q_OBJECT

    PaymentMarket pay_;
    StandinProcess payouts_;
    QStringList videos_;
    QStringList sessions_; // paid Stripe sessions (top-ups and checkouts)

    Marketplace& market() { return pay_.market(); }
    HttpClient& root() { return *market().client("root"); }

    void withdrawAndDecide(QRandomGenerator& rng) {
        const auto w = market().client("maker")->send(
            "POST", "/api/wallet/withdrawals",
            json({{"amount_minor", 100 * (2 + int(rng.bounded(5)))}, {"currency", "USD"}}),
            "application/json", {{"Idempotency-Key", PaymentMarket::newKey()}});
        if (w.status != 201)
            return;
        const QString path = "/api/admin/withdrawals/" + w.json()["id"].toString();
        switch (rng.bounded(4)) {
        case 0:
            root().postJson(path + "/approve",
                            {{"via", "manual"}, {"reference", "TRF"}, {"note", "by hand"}});
            break;
        case 1:
            root().postJson(path + "/reject", {{"reason", "not now"}});
            break;
        default: {
            // Through Xendit; sometimes refused, sometimes returned later by its callback.
            const bool refuse = rng.bounded(3) == 0;
            HttpClient(payouts_.baseUrl()).postJson("/_standin/fail", {{"on", refuse}});
            const auto sent =
                root().postJson(path + "/approve", {{"via", "xendit"}, {"note", "run"}});
            HttpClient(payouts_.baseUrl()).postJson("/_standin/fail", {{"on", false}});
            if (refuse) {
                root().postJson(path + "/reject", {{"reason", "account closed"}});
                break;
            }
            const QString key = "wd_" + w.json()["id"].toString() + "_1";
            const QString status = rng.bounded(2) ? "COMPLETED" : "FAILED";
            HttpClient(payouts_.baseUrl())
                .postJson("/_standin/settle", {{"key", key}, {"status", status}});
            const QJsonObject body{{"id", sent.json()["withdrawal"]["reference"]},
                                   {"external_id", key},
                                   {"status", status}};
            QCOMPARE(
                ServerProcess::request(
                    "POST", market().server().baseUrl() + "/api/payouts/xendit/webhook", json(body),
                    {{"Content-Type", "application/json"}, {"x-callback-token", kCallbackToken}})
                    .status,
                200);
        }
        }
    }

    QString anyPurchase(QRandomGenerator& rng) {
        const auto list = root().get("/api/admin/purchases").json()["purchases"].toArray();
        return list.isEmpty() ? QString()
                              : list[int(rng.bounded(list.size()))].toObject()["id"].toString();
    }

private slots:
    void initTestCase() {
        QVERIFY2(payouts_.start("payouts-standin.mjs", {"--secret-key", "xnd_random_payouts"}),
                 qPrintable(payouts_.log()));
        QVERIFY(pay_.start({"--xendit-secret-key", "xnd_random_payouts", "--xendit-api-url",
                            payouts_.baseUrl(), "--xendit-callback-token", kCallbackToken}));
        videos_ << pay_.film();
        for (int i = 0; i < 3; ++i)
            videos_ << market().publish("maker", "Film " + QString::number(i),
                                        QString::number(1 + i) + ".33", "USD", 1500 * i);
        QCOMPARE(root()
                     .send("PATCH", "/api/admin/settings",
                           json({{"withdrawal_min_minor", QJsonObject{{"USD", 100}}},
                                 {"withdrawal_fee_minor", QJsonObject{{"USD", 100}}},
                                 {"transfers_enabled", true}}),
                           "application/json")
                     .status,
                 200);
        const QJsonObject details{{"method", "bank"},
                                  {"password", "long password 123"},
                                  {"details", QJsonObject{{"account_name", "Maker"},
                                                          {"bank_name", "BCA"},
                                                          {"account_number", "1234567890"}}}};
        QCOMPARE(market()
                     .client("maker")
                     ->send("PUT", "/api/me/payout-details", json(details), "application/json")
                     .status,
                 200);
    }

    void aCardPurchaseIsRefundedInParts() {
        const QString film = market().publish("maker", "Card film", "4.99", "USD", 0);
        const auto bought = pay_.checkout("carol", film);
        QCOMPARE(pay_.standin(PaymentMarket::sessionOf(bought), "pay", {}), QList<int>({200}));
        const QString deposit = bought.json()["deposit"]["id"].toString();
        const auto owns = [&] {
            return market().client("carol")->get("/api/me/purchases").body.contains(film.toUtf8());
        };
        QVERIFY(owns());
        const QString purchase =
            root().get("/api/admin/purchases?q=" + film).json()["purchases"][0]["id"].toString();
        const auto part =
            root().postJson("/api/admin/purchases/" + purchase + "/refund",
                            {{"reason", "one scene was missing"}, {"amount_minor", 100}});
        QCOMPARE(part.status, 200);
        QCOMPARE(part.json()["refund"]["via"].toString(), QString("stripe"));
        QVERIFY(!part.json()["refund"]["whole"].toBool());
        QVERIFY(owns());
        QCOMPARE(pay_.depositStatus("carol", deposit), QString("posted"));
        // The rest (Stripe refuses more than is left: the part went through as asked).
        const auto rest =
            root().postJson("/api/admin/purchases/" + purchase + "/refund", {{"reason", "rest"}});
        QCOMPARE(rest.status, 200);
        QVERIFY(rest.json()["refund"]["whole"].toBool());
        QCOMPARE(rest.json()["refund"]["amount"]["amount_minor"].toInteger(), 399);
        QVERIFY(QTest::qWaitFor([&] { return pay_.depositStatus("carol", deposit) == "refunded"; },
                                10000));
        QVERIFY(!owns());
        QCOMPARE(
            market().sql("SELECT reversed_minor FROM deposits WHERE public_id = '" + deposit + "'"),
            QString("499"));
        pay_.verifyLedger();
    }

    void aRandomizedRunKeepsTheBooks() {
        const quint32 seed = qEnvironmentVariableIsSet("REELGATE_RANDOM_SEED")
                                 ? quint32(qEnvironmentVariableIntValue("REELGATE_RANDOM_SEED"))
                                 : QRandomGenerator::global()->generate();
        qInfo() << "seed" << seed;
        QRandomGenerator rng(seed);
        const QStringList people{"alice", "bob", "carol", "dave"};
        for (int step = 0; step < 150; ++step) {
            const QString who = people[int(rng.bounded(people.size()))];
            const QString video = videos_[int(rng.bounded(videos_.size()))];
            switch (rng.bounded(9)) {
            case 0: { // a card top-up
                const auto r = pay_.topUp(who, "stripe", QString::number(2 + rng.bounded(8)));
                if (r.status == 201 &&
                    pay_.standin(PaymentMarket::sessionOf(r), "pay", {}) == QList<int>({200}))
                    sessions_ << PaymentMarket::sessionOf(r);
                break;
            }
            case 1: { // a card checkout
                const auto r = pay_.checkout(who, video, {{"ref", people[0]}});
                if (r.status == 201 &&
                    pay_.standin(PaymentMarket::sessionOf(r), "pay", {}) == QList<int>({200}))
                    sessions_ << PaymentMarket::sessionOf(r);
                break;
            }
            case 2: // a wallet purchase
                market().client(who)->send("POST", "/api/videos/" + video + "/purchase",
                                           json({{"ref", people[1]}}), "application/json",
                                           {{"Idempotency-Key", PaymentMarket::newKey()}});
                break;
            case 3: // a dispute of a card payment
                if (!sessions_.isEmpty())
                    pay_.standin(sessions_.takeAt(int(rng.bounded(sessions_.size()))), "deliver",
                                 {{"type", "charge.dispute.created"}});
                break;
            case 4:
            case 5: { // an admin refund, whole or a part
                const QString p = anyPurchase(rng);
                if (p.isEmpty())
                    break;
                QJsonObject body{{"reason", "support"}};
                if (rng.bounded(2))
                    body["amount_minor"] = qint64(1 + rng.bounded(250));
                const auto r = root().postJson("/api/admin/purchases/" + p + "/refund", body);
                QVERIFY2(r.status == 200 || r.status == 409 || r.status == 422, r.body);
                break;
            }
            case 6:
                withdrawAndDecide(rng);
                break;
            case 7:
                market().client(who)->send("POST", "/api/wallet/transfers",
                                           json({{"to", people[int(rng.bounded(people.size()))]},
                                                 {"amount_minor", qint64(1 + rng.bounded(300))},
                                                 {"currency", "USD"}}),
                                           "application/json",
                                           {{"Idempotency-Key", PaymentMarket::newKey()}});
                break;
            default:
                market().sql("UPDATE earnings_holds SET release_at = now() - interval '1 second' "
                             "WHERE released_at IS NULL");
            }
            if (QTest::currentTestFailed())
                return;
        }
        qInfo().noquote() << "deposits by status:"
                          << market().sql("SELECT string_agg(status || ' ' || n, ', ') FROM "
                                          "(SELECT status, count(*) n FROM deposits GROUP BY 1) t")
                          << "| withdrawals:"
                          << market().sql(
                                 "SELECT string_agg(status || ' ' || n, ', ') FROM "
                                 "(SELECT status, count(*) n FROM withdrawals GROUP BY 1) t")
                          << "| refunds:" << market().sql("SELECT count(*) FROM refunds")
                          << "| purchases:" << market().sql("SELECT count(*) FROM purchases")
                          << "| transfers:" << market().sql("SELECT count(*) FROM transfers");
        pay_.verifyLedger();
        QCOMPARE(market().sql("SELECT count(*) FROM ledger_accounts WHERE (kind <> 'receivable' "
                              "AND user_id IS NOT NULL AND balance_minor < 0) OR (kind = "
                              "'receivable' AND balance_minor > 0)"),
                 QString("0"));
        QCOMPARE(market().sql("SELECT count(*) FROM ledger_accounts a WHERE kind = "
                              "'earnings_pending' AND balance_minor <> (SELECT "
                              "coalesce(sum(remaining_minor), 0) FROM earnings_holds h WHERE "
                              "h.user_id = a.user_id AND h.currency = a.currency AND "
                              "h.released_at IS NULL)"),
                 QString("0"));
        // Nothing is left in a withdrawal's hold but what open withdrawals hold.
        QCOMPARE(market().sql("SELECT coalesce(sum(balance_minor), 0) FROM ledger_accounts WHERE "
                              "kind = 'withdrawal_held'"),
                 market().sql("SELECT coalesce(sum(amount_minor), 0) FROM withdrawals WHERE "
                              "status IN ('requested', 'approved', 'failed')"));
        const auto trial = root().get("/api/admin/trial-balance").json();
        for (const auto& t : trial["totals"].toArray())
            QCOMPARE(t.toObject()["sum"].toObject()["amount_minor"].toInteger(), 0);
    }
};

QTEST_GUILESS_MAIN(TestMoneyRandom)
#include "tst_moneyrandom.moc"
