// Money out through the real server and a real PostgreSQL: earnings on hold then available,
// deposited money never withdrawable, payout details sealed and masked, withdrawals held at
// once, 100 racing approve/reject pairs with exactly one winner, a failing payout provider that
// leaves the hold (then pays once when it recovers), payouts through the Xendit and PayPal
// STAND-IN (tests/standins/payouts-standin.mjs), transfers off by default, and the append-only
// audit log.

#include "ConcurrentRequests.h"
#include "LedgerInvariants.h"
#include "Marketplace.h"
#include "StandinProcess.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>
#include <QUuid>

using namespace reelgate::test;

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

QByteArray newKey() {
    return QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
}

QByteArray json(const QJsonObject& o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

HttpReply postKeyed(HttpClient& client, const QString& path, const QJsonObject& body,
                    const QByteArray& key) {
    return client.send("POST", path, json(body), "application/json", {{"Idempotency-Key", key}});
}

QJsonObject usd(qint64 minor) {
    return {{"amount_minor", minor}, {"currency", "USD"}};
}

const char* kAccountNumber = "9876543210123";

} // namespace

class TestWithdrawals : public QObject {
    Q_OBJECT

    Marketplace market_;
    StandinProcess payouts_;
    QString film_; // 10.00 USD by maker

    void payoutsFail(bool on) {
        HttpClient standin(payouts_.baseUrl());
        QCOMPARE(standin.postJson("/_standin/fail", {{"on", on}}).status, 200);
    }

    // The USD entry of /api/wallet "balances" for `user`.
    QJsonObject balances(const QString& user) {
        for (const auto& b : market_.client(user)->get("/api/wallet").json()["balances"].toArray())
            if (b.toObject()["currency"] == "USD")
                return b.toObject();
        return {};
    }
    qint64 part(const QString& user, const char* name) {
        return balances(user)[name].toObject()["amount_minor"].toInteger();
    }
    HttpReply admin(const QString& path, const QJsonObject& body) {
        return market_.client("boss")->postJson(path, body);
    }
    HttpReply withdraw(const QString& user, qint64 minor, const QByteArray& key = newKey()) {
        return postKeyed(*market_.client(user), "/api/wallet/withdrawals", usd(minor), key);
    }
    bool putDetails(const QString& user) {
        const QJsonObject body{{"method", "bank"},
                               {"password", "long password 123"},
                               {"details", QJsonObject{{"account_name", "Maker Person"},
                                                       {"bank_name", "BCA"},
                                                       {"account_number", kAccountNumber}}}};
        return market_.client(user)
                   ->send("PUT", "/api/me/payout-details", json(body), "application/json")
                   .status == 200;
    }

private slots:
    void initTestCase() {
        QVERIFY2(payouts_.start("payouts-standin.mjs", {"--secret-key", "xnd_test_payouts_secret",
                                                        "--client-id", "paypal-payouts-id"}),
                 qPrintable(payouts_.log()));
        QVERIFY2(market_.start({"--xendit-secret-key", "xnd_test_payouts_secret",
                                "--xendit-api-url", payouts_.baseUrl(), "--paypal-client-id",
                                "paypal-payouts-id", "--paypal-client-secret",
                                "paypal-payouts-secret", "--paypal-api-url", payouts_.baseUrl()}),
                 qPrintable(market_.server().log()));
        QVERIFY(market_.signUp("maker", true));
        for (const char* name : {"alice", "bob", "boss"})
            QVERIFY(market_.signUp(name));
        QCOMPARE(market_.cli({"admin", "grant", "boss"}).exitCode, 0);
        film_ = market_.publish("maker", "The film", "10.00", "USD", 0);
        QVERIFY(!film_.isEmpty());
        QVERIFY(market_.credit("alice", "50.00", "USD"));
        QVERIFY(market_.credit("bob", "50.00", "USD"));
        const QJsonObject settings{{"withdrawal_min_minor", QJsonObject{{"USD", 200}}},
                                   {"withdrawal_fee_minor", QJsonObject{{"USD", 100}}}};
        QCOMPARE(market_.client("boss")
                     ->send("PATCH", "/api/admin/settings", json(settings), "application/json")
                     .status,
                 200);
    }

    void earningsWaitForTheirHold() {
        for (const char* buyer : {"alice", "bob"})
            QCOMPARE(postKeyed(*market_.client(buyer), "/api/videos/" + film_ + "/purchase", {},
                               newKey())
                         .status,
                     201);
        // 10 % platform fee: 9.00 per sale, pending for 7 days.
        QCOMPARE(part("maker", "pending"), 1800);
        QCOMPARE(part("maker", "available"), 0);
        QCOMPARE(balances("maker")["amount_minor"].toInteger(), 1800);
        QVERIFY(!balances("maker")["pending_until"].toString().isEmpty());
        QVERIFY(putDetails("maker"));
        QCOMPARE(withdraw("maker", 500).status, 402);
        // A week later (the holds' dates moved back): available, nothing moved twice.
        market_.sql("UPDATE earnings_holds SET release_at = now() - interval '1 second'");
        QCOMPARE(part("maker", "available"), 1800);
        QCOMPARE(part("maker", "pending"), 0);
        QCOMPARE(part("maker", "available"), 1800);
        verifyLedgerInvariants(market_);
    }

    void depositedMoneyCannotLeave() {
        QCOMPARE(part("alice", "spendable"), 4000);
        QCOMPARE(errorCode(withdraw("alice", 500)), QString("payout_details_required"));
        QVERIFY(putDetails("alice"));
        const auto refused = withdraw("alice", 500);
        QCOMPARE(refused.status, 402);
        QCOMPARE(errorCode(refused), QString("insufficient_funds"));
        QCOMPARE(part("alice", "held"), 0);
    }

    void payoutDetailsAreSealedAndMasked() {
        const QJsonObject wrong{{"method", "paypal"},
                                {"password", "not the password"},
                                {"details", QJsonObject{{"email", "maker@example.com"}}}};
        const auto refused = market_.client("maker")->send("PUT", "/api/me/payout-details",
                                                           json(wrong), "application/json");
        QCOMPARE(refused.status, 403);
        const auto mine = market_.client("maker")->get("/api/me/payout-details");
        QCOMPARE(mine.json()["method"].toString(), QString("bank"));
        QCOMPARE(mine.json()["masked"]["account_number"].toString(), QString("*********0123"));
        QVERIFY(!mine.body.contains(kAccountNumber));
        QVERIFY(!market_.sql("SELECT sealed || masked::text FROM payout_details")
                     .contains(kAccountNumber));
        QCOMPARE(market_.sql("SELECT count(*) FROM mail_outbox WHERE subject LIKE "
                             "'%payout details changed%'"),
                 QString("2"));
        // Malformed details are refused, naming the field.
        const QJsonObject bad{
            {"method", "bank"},
            {"password", "long password 123"},
            {"details",
             QJsonObject{{"account_name", "X"}, {"bank_name", "BCA"}, {"account_number", "=1+2"}}}};
        QCOMPARE(market_.client("maker")
                     ->send("PUT", "/api/me/payout-details", json(bad), "application/json")
                     .status,
                 400);
    }

    void aWithdrawalIsHeldAtOnce() {
        // The wallet says the minimum and the fee before anyone sends a withdrawal.
        QCOMPARE(part("maker", "withdrawal_min"), 200);
        QCOMPARE(part("maker", "withdrawal_fee"), 100);
        QCOMPARE(errorCode(withdraw("maker", 150)), QString("below_minimum"));
        QCOMPARE(withdraw("maker", -5).status, 400);
        const QByteArray key = newKey();
        const auto made = withdraw("maker", 600, key);
        QCOMPARE(made.status, 201);
        QCOMPARE(made.json()["status"].toString(), QString("requested"));
        QCOMPARE(made.json()["fee"]["amount_minor"].toInteger(), 100);
        QCOMPARE(made.json()["net"]["amount_minor"].toInteger(), 500);
        const auto again = withdraw("maker", 600, key);
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json()["id"], made.json()["id"]);
        QCOMPARE(part("maker", "available"), 1200);
        QCOMPARE(part("maker", "held"), 600);
        const auto listed = market_.client("maker")->get("/api/wallet/withdrawals");
        QCOMPARE(listed.json()["withdrawals"].toArray().size(), 1);
        QCOMPARE(market_.client("maker")->get("/api/admin/withdrawals").status, 403);
    }

    void racingApproveAndRejectOneWins() {
        const QString id = market_.client("maker")
                               ->get("/api/wallet/withdrawals")
                               .json()["withdrawals"][0]["id"]
                               .toString();
        const QByteArray token = market_.token("boss");
        const auto replies = sendConcurrently(market_.server().baseUrl(), 200, [&](int i) {
            const bool approve = i % 2 == 0;
            const QJsonObject body =
                approve ? QJsonObject{{"via", "manual"},
                                      {"reference", "BANK-REF-" + QString::number(i)},
                                      {"note", "paid by hand"}}
                        : QJsonObject{{"reason", "looks wrong"}};
            return RawRequest{
                "POST",
                "/api/admin/withdrawals/" + id + (approve ? "/approve" : "/reject"),
                json(body),
                {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}}};
        });
        int won = 0, lost = 0;
        for (const auto& r : replies) {
            won += r.status == 200;
            lost += r.status == 409;
        }
        QCOMPARE(won, 1);
        QCOMPARE(lost, 199);
        const auto w =
            market_.client("maker")->get("/api/wallet/withdrawals").json()["withdrawals"][0];
        QCOMPARE(part("maker", "held"), 0);
        if (w["status"] == "paid") {
            QCOMPARE(part("maker", "available"), 1200);
            QVERIFY(w["reference"].toString().startsWith("BANK-REF-"));
            QCOMPARE(
                market_.sql("SELECT sum(e.amount_minor) FROM ledger_entries e JOIN ledger_accounts "
                            "a ON a.id = e.account_id WHERE a.kind = 'clearing_bank'"),
                QString("500"));
        } else {
            QCOMPARE(w["status"].toString(), QString("rejected"));
            QCOMPARE(part("maker", "available"), 1800);
        }
        QCOMPARE(
            market_.sql("SELECT count(*) FROM admin_audit WHERE subject = 'withdrawal:" + id + "'"),
            QString("1"));
        verifyLedgerInvariants(market_);
    }

    void aFailedPayoutKeepsTheHold() {
        const qint64 available = part("maker", "available");
        const auto made = withdraw("maker", 300);
        QCOMPARE(made.status, 201);
        const QString id = made.json()["id"].toString();
        payoutsFail(true);
        const auto failed = admin("/api/admin/withdrawals/" + id + "/approve",
                                  {{"via", "xendit"}, {"note", "weekly payouts"}});
        QCOMPARE(failed.status, 409);
        QCOMPARE(errorCode(failed), QString("payout_failed"));
        QCOMPARE(part("maker", "held"), 300);
        QCOMPARE(part("maker", "available"), available - 300);
        const auto queue =
            market_.client("boss")->get("/api/admin/withdrawals?status=failed").json();
        QCOMPARE(queue["withdrawals"][0]["id"].toString(), id);
        QVERIFY(!queue["withdrawals"][0]["reason"].toString().isEmpty());
        QVERIFY(!market_.server().log().contains(kAccountNumber));
        QVERIFY(!market_.server().log().contains("xnd_test_payouts_secret"));
        // Without a note nothing happens; once the provider recovers it pays, once.
        QCOMPARE(admin("/api/admin/withdrawals/" + id + "/approve", {{"via", "xendit"}}).status,
                 400);
        payoutsFail(false);
        const auto paid = admin("/api/admin/withdrawals/" + id + "/approve",
                                {{"via", "xendit"}, {"note", "retry"}});
        QCOMPARE(paid.status, 200);
        // Accepted by Xendit: sent (paid once its callback or a status query says so).
        QCOMPARE(paid.json()["withdrawal"]["status"].toString(), QString("sent"));
        QVERIFY(paid.json()["withdrawal"]["reference"].toString().startsWith("disb_"));
        QCOMPARE(part("maker", "held"), 0);
        QCOMPARE(
            market_.sql("SELECT sum(e.amount_minor) FROM ledger_entries e JOIN ledger_accounts a "
                        "ON a.id = e.account_id WHERE a.kind = 'clearing_xendit'"),
            QString("200")); // 3.00 - 1.00 fee
        const auto sent = HttpClient(payouts_.baseUrl()).get("/_standin/payouts");
        QCOMPARE(sent.json()["payouts"].toArray().size(), 1);
        // The refused attempt paid nothing; the new approval went under the next key.
        QVERIFY(sent.json()["payouts"][0]["key"].toString().endsWith("_2"));
        QCOMPARE(sent.json()["payouts"][0]["body"]["account_number"].toString(),
                 QString(kAccountNumber));
        QCOMPARE(admin("/api/admin/withdrawals/" + id + "/reject", {{"reason", "late"}}).status,
                 409);
        verifyLedgerInvariants(market_);
    }

    void paypalPaysAPayPalAccount() {
        const QJsonObject details{{"method", "paypal"},
                                  {"password", "long password 123"},
                                  {"details", QJsonObject{{"email", "maker@example.com"}}}};
        QCOMPARE(market_.client("maker")
                     ->send("PUT", "/api/me/payout-details", json(details), "application/json")
                     .status,
                 200);
        const auto made = withdraw("maker", 250);
        QCOMPARE(made.status, 201);
        const QString id = made.json()["id"].toString();
        QCOMPARE(errorCode(admin("/api/admin/withdrawals/" + id + "/approve",
                                 {{"via", "xendit"}, {"note", "wrong rail"}})),
                 QString("payout_unavailable"));
        const auto paid = admin("/api/admin/withdrawals/" + id + "/approve",
                                {{"via", "paypal"}, {"note", "paypal run"}});
        QCOMPARE(paid.status, 200);
        QVERIFY(paid.json()["withdrawal"]["reference"].toString().startsWith("PB"));
        QVERIFY(!market_.client("maker")
                     ->get("/api/me/payout-details")
                     .body.contains("maker@example.com"));
        verifyLedgerInvariants(market_);
    }

    void transfersAreOffByDefault() {
        const QJsonObject body{{"to", "maker"}, {"amount_minor", 100}, {"currency", "USD"}};
        const auto off =
            postKeyed(*market_.client("alice"), "/api/wallet/transfers", body, newKey());
        QCOMPARE(off.status, 403);
        QCOMPARE(errorCode(off), QString("transfers_disabled"));
        QCOMPARE(market_.client("boss")
                     ->send("PATCH", "/api/admin/settings",
                            json({{"transfers_enabled", true},
                                  {"transfer_daily_limit_minor", QJsonObject{{"USD", 1000}}}}),
                            "application/json")
                     .status,
                 200);
        const qint64 makerBefore = part("maker", "deposited");
        const QByteArray key = newKey();
        QCOMPARE(postKeyed(*market_.client("alice"), "/api/wallet/transfers", body, key).status,
                 201);
        QCOMPARE(postKeyed(*market_.client("alice"), "/api/wallet/transfers", body, key).status,
                 200);
        QCOMPARE(part("maker", "deposited") - makerBefore, 100);
        QCOMPARE(part("alice", "spendable"), 3900);
        const QJsonObject big{{"to", "maker"}, {"amount_minor", 901}, {"currency", "USD"}};
        QCOMPARE(
            errorCode(postKeyed(*market_.client("alice"), "/api/wallet/transfers", big, newKey())),
            QString("transfer_limit"));
        const QJsonObject self{{"to", "alice"}, {"amount_minor", 1}, {"currency", "USD"}};
        QCOMPARE(
            postKeyed(*market_.client("alice"), "/api/wallet/transfers", self, newKey()).status,
            400);
        verifyLedgerInvariants(market_);
    }

    void theBooksAndTheAuditLog() {
        const auto trial = market_.client("boss")->get("/api/admin/trial-balance").json();
        for (const auto& t : trial["totals"].toArray())
            QCOMPARE(t.toObject()["sum"].toObject()["amount_minor"].toInteger(), 0);
        const auto audit = market_.client("boss")->get("/api/admin/audit").json()["entries"];
        QVERIFY(audit.toArray().size() >= 3);
        QCOMPARE(market_.sql("SELECT count(*) > 0 FROM admin_audit WHERE action = "
                             "'settings.change' AND details ? 'transfers_enabled'"),
                 QString("t"));
        const QString before = market_.sql("SELECT count(*) FROM admin_audit");
        QVERIFY(market_.sql("DELETE FROM admin_audit").startsWith("psql failed"));
        QVERIFY(market_.sql("UPDATE admin_audit SET note = 'x'").startsWith("psql failed"));
        QCOMPARE(market_.sql("SELECT count(*) FROM admin_audit"), before);
        const auto csv = market_.client("boss")->get("/api/admin/withdrawals?format=csv");
        QCOMPARE(csv.status, 200);
        QVERIFY(csv.body.startsWith("id,user,status,amount"));
        const auto statement = market_.client("maker")->get(
            "/api/me/statement?month=" + QDate::currentDate().toString("yyyy-MM"));
        QCOMPARE(statement.status, 200);
        QVERIFY(statement.body.startsWith("date,kind,description,amount,currency,balance"));
        QCOMPARE(market_.client("maker")->get("/api/me/statement?month=2026-13").status, 400);
    }
};

QTEST_GUILESS_MAIN(TestWithdrawals)
#include "tst_withdrawals.moc"
