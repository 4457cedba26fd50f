// Provider payouts that outlive their server (sql/0017, WithdrawalService_Payouts): the real
// server is killed (SIGKILL) while the payouts STAND-IN (tests/standins/payouts-standin.mjs)
// holds the answer of a payout it has already executed; after a restart the withdrawal is
// shown "in doubt", and the admin's retry or the recovery pass at start asks the provider under
// the same key: paid exactly once (the stand-in counts executions per key), the books balance.
// Then the providers' word after acceptance (POST /api/payouts/{xendit|paypal}/webhook): a
// forged callback is refused and changes nothing, the state is fetched from the provider, a
// returned payout gives the money back once, a replay changes nothing.

#include "ConcurrentRequests.h"
#include "Eventually.h"
#include "LedgerInvariants.h"
#include "Marketplace.h"
#include "RawClient.h"
#include "StandinProcess.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>
#include <QUuid>

using namespace reelgate::test;

namespace {

QByteArray json(const QJsonObject& o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

const char* kCallbackToken = "xnd_callback_token_for_payouts";

} // namespace

class TestPayoutRecovery : public QObject {
    Q_OBJECT

    Marketplace market_;
    StandinProcess payouts_;
    QStringList serverArgs_;
    std::unique_ptr<HttpClient> boss_;
    std::unique_ptr<HttpClient> maker_;

    HttpReply standin(const QString& path, const QJsonObject& body = {}) {
        HttpClient client(payouts_.baseUrl());
        return path.startsWith("GET ") ? client.get(path.mid(4)) : client.postJson(path, body);
    }
    // The stand-in's payouts whose key belongs to withdrawal `id`.
    QJsonArray executed(const QString& id) {
        QJsonArray mine;
        for (const auto& p : standin("GET /_standin/payouts").json()["payouts"].toArray())
            if (p.toObject()["key"].toString().startsWith("wd_" + id + "_"))
                mine.append(p);
        return mine;
    }
    void signInAgain() {
        boss_ = market_.signIn("boss");
        maker_ = market_.signIn("maker");
        QVERIFY(boss_ && maker_);
    }
    QString withdraw(qint64 minor) {
        const auto made = maker_->send(
            "POST", "/api/wallet/withdrawals", json({{"amount_minor", minor}, {"currency", "USD"}}),
            "application/json",
            {{"Idempotency-Key", QUuid::createUuid().toByteArray(QUuid::WithoutBraces)}});
        return made.status == 201 ? made.json()["id"].toString() : QString();
    }
    QJsonObject withdrawal(const QString& id) {
        for (const auto& w : boss_->get("/api/admin/withdrawals").json()["withdrawals"].toArray())
            if (w.toObject()["id"].toString() == id)
                return w.toObject();
        return {};
    }
    qint64 sumOf(const QString& kind) {
        return market_
            .sql("SELECT coalesce(sum(e.amount_minor), 0) FROM ledger_entries e JOIN "
                 "ledger_accounts a ON a.id = e.account_id WHERE a.kind = '" +
                 kind + "'")
            .toLongLong();
    }
    // Sends the approval on a raw connection and returns once the stand-in executed the
    // payout (its answer held back): the server is now inside the provider call.
    std::unique_ptr<RawClient> approveAndHang(const QString& id) {
        standin("/_standin/hold", {{"on", true}});
        const QByteArray body = json({{"via", "xendit"}, {"note", "weekly payouts"}});
        auto raw = std::make_unique<RawClient>(market_.server().baseUrl());
        raw->send("POST /api/admin/withdrawals/" + id.toUtf8() +
                  "/approve HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                  market_.token("boss") + "\r\nContent-Type: application/json\r\nContent-Length: " +
                  QByteArray::number(body.size()) + "\r\n\r\n" + body);
        if (!eventually([&] { return executed(id).size() == 1; }))
            qWarning() << "the payout never reached the stand-in";
        return raw;
    }
    // A Xendit disbursement callback as Xendit sends it (token in x-callback-token).
    HttpReply xenditCallback(const QJsonObject& payout, const QString& status,
                             const QByteArray& token = kCallbackToken) {
        const QJsonObject answer = payout["answer"].toObject();
        const QJsonObject body{{"id", answer["id"]},
                               {"external_id", answer["external_id"]},
                               {"amount", answer["amount"]},
                               {"status", status}};
        return ServerProcess::request(
            "POST", market_.server().baseUrl() + "/api/payouts/xendit/webhook", json(body),
            {{"Content-Type", "application/json"}, {"x-callback-token", token}});
    }
    // A PayPal payout-item webhook event, signed by the stand-in unless `forged`.
    HttpReply paypalWebhook(const QJsonObject& event, bool forged = false) {
        QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", "application/json"}};
        const QJsonObject sig = standin("/_standin/sign", {{"event", event}}).json().object();
        for (auto it = sig.begin(); it != sig.end(); ++it)
            headers.append({it.key().toUtf8(), forged && it.key() == "PAYPAL-TRANSMISSION-SIG"
                                                   ? QByteArray("0badc0de")
                                                   : it.value().toString().toUtf8()});
        return ServerProcess::request("POST",
                                      market_.server().baseUrl() + "/api/payouts/paypal/webhook",
                                      json(event), headers);
    }
    qint64 available() {
        for (const auto& b : maker_->get("/api/wallet").json()["balances"].toArray())
            if (b.toObject()["currency"] == "USD")
                return b.toObject()["available"].toObject()["amount_minor"].toInteger();
        return -1;
    }
    // Withdraws and approves through `via`; the withdrawal id once it is sent.
    QString sentThrough(const QString& via, qint64 minor) {
        const QString id = withdraw(minor);
        const auto approved = boss_->postJson("/api/admin/withdrawals/" + id + "/approve",
                                              {{"via", via}, {"note", "payout run"}});
        if (approved.json()["withdrawal"]["status"] != "sent")
            qWarning() << "approval through" << via << "answered" << approved.body;
        return approved.json()["withdrawal"]["status"] == "sent" ? id : QString();
    }
    bool crashAndRestart() {
        market_.server().kill();
        const bool started = market_.server().start(market_.dataDir(), serverArgs_);
        if (started)
            signInAgain();
        return started;
    }

private slots:
    void initTestCase() {
        QVERIFY2(payouts_.start("payouts-standin.mjs",
                                {"--secret-key", "xnd_recovery_secret", "--client-id",
                                 "paypal-recovery-id", "--webhook-id", "payouts-webhook"}),
                 qPrintable(payouts_.log()));
        serverArgs_ = {
            "--xendit-secret-key",    "xnd_recovery_secret",     "--xendit-api-url",
            payouts_.baseUrl(),       "--xendit-callback-token", kCallbackToken,
            "--paypal-client-id",     "paypal-recovery-id",      "--paypal-client-secret",
            "paypal-recovery-secret", "--paypal-api-url",        payouts_.baseUrl(),
            "--paypal-webhook-id",    "payouts-webhook"};
        QVERIFY2(market_.start(serverArgs_), qPrintable(market_.server().log()));
        QVERIFY(market_.signUp("maker", true));
        for (const char* name : {"alice", "bob", "boss"})
            QVERIFY(market_.signUp(name));
        QCOMPARE(market_.cli({"admin", "grant", "boss"}).exitCode, 0);
        signInAgain();
        // Four sales of 10.00: 36.00 earned (10 % platform fee).
        for (const char* title : {"The film", "The sequel"}) {
            const QString film = market_.publish("maker", title, "10.00", "USD", 0);
            QVERIFY(!film.isEmpty());
            for (const char* buyer : {"alice", "bob"}) {
                QVERIFY(market_.credit(buyer, "10.00", "USD"));
                QCOMPARE(market_.client(buyer)
                             ->send("POST", "/api/videos/" + film + "/purchase", "{}",
                                    "application/json",
                                    {{"Idempotency-Key", QByteArray(buyer) + title}})
                             .status,
                         201);
            }
        }
        market_.sql("UPDATE earnings_holds SET release_at = now() - interval '1 second'");
        QCOMPARE(boss_
                     ->send("PATCH", "/api/admin/settings",
                            json({{"withdrawal_min_minor", QJsonObject{{"USD", 200}}},
                                  {"withdrawal_fee_minor", QJsonObject{{"USD", 100}}}}),
                            "application/json")
                     .status,
                 200);
        const QJsonObject details{{"method", "bank"},
                                  {"password", "long password 123"},
                                  {"details", QJsonObject{{"account_name", "Maker Person"},
                                                          {"bank_name", "BCA"},
                                                          {"account_number", "1234567890"}}}};
        QCOMPARE(
            maker_->send("PUT", "/api/me/payout-details", json(details), "application/json").status,
            200);
    }

    void aPayoutWhoseServerDiedIsPaidOnceOnRetry() {
        const QString id = withdraw(500);
        QVERIFY(!id.isEmpty());
        auto hanging = approveAndHang(id);
        QCOMPARE(executed(id).size(), 1);
        QVERIFY(crashAndRestart());
        hanging.reset();
        // After the restart: still approved, shown in doubt with the time of the attempt.
        const QJsonObject doubt = withdrawal(id);
        QCOMPARE(doubt["status"].toString(), QString("approved"));
        QVERIFY(doubt["in_doubt"].toBool());
        QVERIFY(!doubt["last_attempt_at"].toString().isEmpty());
        QCOMPARE(sumOf("withdrawal_held"), 500);
        // The stand-in's held answer goes to a dead connection; nobody reads it.
        standin("/_standin/hold", {{"on", false}});
        const auto retried =
            boss_->postJson("/api/admin/withdrawals/" + id + "/retry", {{"note", "after crash"}});
        if (retried.status != 200)
            qWarning().noquote() << market_.server().log().right(3000);
        QCOMPARE(retried.status, 200);
        QCOMPARE(retried.json()["withdrawal"]["status"].toString(), QString("sent"));
        QCOMPARE(retried.json()["withdrawal"]["reference"].toString(),
                 executed(id)[0].toObject()["answer"].toObject()["id"].toString());
        QCOMPARE(executed(id).size(), 1);
        QCOMPARE(executed(id)[0].toObject()["executions"].toInt(), 1);
        QCOMPARE(sumOf("clearing_xendit"), 400); // 5.00 less the 1.00 fee, once
        QCOMPARE(market_.sql("SELECT balance_minor FROM ledger_accounts a JOIN users u ON "
                             "u.id = a.user_id WHERE u.username = 'maker' AND a.kind = "
                             "'withdrawal_held'"),
                 QString("0"));
        // Asked again: nothing moves twice; a sent payout cannot be rejected.
        QCOMPARE(boss_->postJson("/api/admin/withdrawals/" + id + "/retry", {}).status, 200);
        QCOMPARE(sumOf("clearing_xendit"), 400);
        QCOMPARE(
            boss_->postJson("/api/admin/withdrawals/" + id + "/reject", {{"reason", "x"}}).status,
            409);
        QCOMPARE(market_.sql("SELECT count(*) FROM admin_audit WHERE subject = 'withdrawal:" + id +
                             "' AND action = 'withdrawal.retry'"),
                 QString("2"));
        verifyLedgerInvariants(market_);
    }

    void theRecoveryPassAtStartResolvesWhatWasLeft() {
        const QString id = withdraw(300);
        QVERIFY(!id.isEmpty());
        auto hanging = approveAndHang(id);
        // The attempt began long ago (no server waits two minutes in a test).
        market_.sql("UPDATE withdrawals SET payout_attempted_at = now() - interval '1 hour' "
                    "WHERE public_id = '" +
                    id + "'");
        const qint64 before = sumOf("clearing_xendit");
        QVERIFY(crashAndRestart());
        hanging.reset();
        standin("/_standin/hold", {{"on", false}});
        QVERIFY2(eventually([&] { return withdrawal(id)["status"].toString() == "sent"; }, 30000),
                 qPrintable(market_.server().log()));
        QCOMPARE(executed(id).size(), 1);
        QCOMPARE(executed(id)[0].toObject()["executions"].toInt(), 1);
        QCOMPARE(sumOf("clearing_xendit") - before, 200);
        verifyLedgerInvariants(market_);
    }

    void aPayoutThatNeverReachedTheProviderIsSentUnderItsKey() {
        // The server died right after claiming (the row says approved, the provider never
        // heard of it): the retry finds nothing under the key and sends it under that key.
        const QString id = withdraw(300);
        QVERIFY(!id.isEmpty());
        market_.sql("UPDATE withdrawals SET status = 'approved', via = 'xendit', "
                    "payout_attempt = 1, payout_key = 'wd_" +
                    id +
                    "_1', payout_attempted_at = now(), resolved_by = (SELECT id FROM users "
                    "WHERE username = 'boss') WHERE public_id = '" +
                    id + "'");
        QVERIFY(withdrawal(id)["in_doubt"].toBool());
        QCOMPARE(executed(id).size(), 0);
        // Twenty retries at once (two admins, a double click, a recovery pass): one payout,
        // one ledger posting.
        const qint64 before = sumOf("clearing_xendit");
        const QByteArray token = market_.token("boss");
        const auto replies = sendConcurrently(market_.server().baseUrl(), 20, [&](int) {
            return RawRequest{
                "POST",
                "/api/admin/withdrawals/" + id + "/retry",
                "{}",
                {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}}};
        });
        for (const auto& r : replies)
            QVERIFY2(r.status == 200, r.body);
        QCOMPARE(withdrawal(id)["status"].toString(), QString("sent"));
        QCOMPARE(sumOf("clearing_xendit") - before, 200);
        QCOMPARE(executed(id).size(), 1);
        QCOMPARE(executed(id)[0].toObject()["executions"].toInt(), 1);
        QCOMPARE(executed(id)[0].toObject()["key"].toString(), "wd_" + id + "_1");
        // Only an in-doubt or sent payout can be asked about.
        const QString fresh = withdraw(200);
        const auto refused = boss_->postJson("/api/admin/withdrawals/" + fresh + "/retry", {});
        QCOMPARE(refused.status, 409);
        QCOMPARE(errorCode(refused), QString("not_in_doubt"));
        QCOMPARE(boss_->postJson("/api/admin/withdrawals/nosuchwithdrawal/retry", {}).status, 404);
        QCOMPARE(maker_->postJson("/api/admin/withdrawals/" + fresh + "/retry", {}).status, 403);
        verifyLedgerInvariants(market_);
    }

    void xenditCallbacksAreCheckedAndFetched() {
        const QString id = sentThrough("xendit", 400);
        QVERIFY(!id.isEmpty());
        const QJsonObject payout = executed(id)[0].toObject();
        const QString key = payout["key"].toString();
        const qint64 before = available();
        const QString auditBefore = market_.sql("SELECT count(*) FROM admin_audit");
        // Forged: wrong token, no token, a token one character short. Nothing changes.
        for (const QByteArray& token :
             {QByteArray("xnd_callback_token_for_payout"), QByteArray(), QByteArray("guess")})
            QCOMPARE(xenditCallback(payout, "FAILED", token).status, 401);
        // With the right token but ids that are not text (a NUL, a control character): refused
        // at the edge, never a server error.
        for (const char* bad : {"disb\\u0000x", "disb\\u0007x"}) {
            const QByteArray body = "{\"id\":\"" + QByteArray(bad) + "\",\"external_id\":\"" +
                                    key.toUtf8() + "\",\"status\":\"FAILED\"}";
            QCOMPARE(
                ServerProcess::request(
                    "POST", market_.server().baseUrl() + "/api/payouts/xendit/webhook", body,
                    {{"Content-Type", "application/json"}, {"x-callback-token", kCallbackToken}})
                    .status,
                401);
        }
        QCOMPARE(withdrawal(id)["status"].toString(), QString("sent"));
        QCOMPARE(market_.sql("SELECT count(*) FROM payout_events"), QString("0"));
        // The callback says COMPLETED but Xendit (asked) says it failed: the fetched word wins.
        standin("/_standin/settle", {{"key", key}, {"status", "FAILED"}});
        const auto returned = xenditCallback(payout, "COMPLETED");
        QCOMPARE(returned.status, 200);
        QCOMPARE(returned.json()["outcome"].toString(), QString("returned"));
        QCOMPARE(withdrawal(id)["status"].toString(), QString("returned"));
        QCOMPARE(available() - before, 400); // the whole amount, the fee too
        // Replays and later words change nothing: the money came back once.
        QCOMPARE(xenditCallback(payout, "COMPLETED").json()["outcome"].toString(),
                 QString("duplicate"));
        QCOMPARE(xenditCallback(payout, "FAILED").json()["outcome"].toString(),
                 QString("unchanged"));
        QCOMPARE(available() - before, 400);
        QVERIFY(market_.sql("SELECT count(*) FROM admin_audit").toInt() > auditBefore.toInt());
        // A completed one becomes paid, and only that.
        const QString paid = sentThrough("xendit", 300);
        const QJsonObject second = executed(paid)[0].toObject();
        standin("/_standin/settle", {{"key", second["key"]}, {"status", "COMPLETED"}});
        QCOMPARE(xenditCallback(second, "COMPLETED").json()["outcome"].toString(), QString("paid"));
        QCOMPARE(withdrawal(paid)["status"].toString(), QString("paid"));
        QCOMPARE(available() - before, 100);
        verifyLedgerInvariants(market_);
    }

    void paypalPayoutWebhooksAreVerifiedByPayPal() {
        const QJsonObject details{{"method", "paypal"},
                                  {"password", "long password 123"},
                                  {"details", QJsonObject{{"email", "maker@example.com"}}}};
        QCOMPARE(
            maker_->send("PUT", "/api/me/payout-details", json(details), "application/json").status,
            200);
        const QString id = sentThrough("paypal", 500);
        QVERIFY(!id.isEmpty());
        const QJsonObject payout = executed(id)[0].toObject();
        const QString batch =
            payout["answer"].toObject()["batch_header"].toObject()["payout_batch_id"].toString();
        QCOMPARE(withdrawal(id)["reference"].toString(), batch);
        const QJsonObject event{
            {"id", "WH-" + id},
            {"event_type", "PAYMENT.PAYOUTS-ITEM.RETURNED"},
            {"resource",
             QJsonObject{{"payout_batch_id", batch},
                         {"transaction_status", "RETURNED"},
                         {"payout_item", QJsonObject{{"sender_item_id", payout["key"]}}}}}};
        const qint64 before = available();
        const QString returns = "SELECT count(*) FROM ledger_transactions WHERE memo LIKE "
                                "'Withdrawal payout returned%'";
        const int returnsBefore = market_.sql(returns).toInt();
        QCOMPARE(paypalWebhook(event, true).status, 401);
        QCOMPARE(withdrawal(id)["status"].toString(), QString("sent"));
        standin("/_standin/settle", {{"key", payout["key"]}, {"status", "RETURNED"}});
        const auto returned = paypalWebhook(event);
        QCOMPARE(returned.status, 200);
        QCOMPARE(returned.json()["outcome"].toString(), QString("returned"));
        QCOMPARE(paypalWebhook(event).json()["outcome"].toString(), QString("duplicate"));
        QCOMPARE(available() - before, 500);
        QCOMPARE(market_.sql(returns).toInt() - returnsBefore, 1);
        // One OAuth token served the payout, the verifications and the lookups.
        QCOMPARE(standin("GET /_standin/payouts").json()["tokens"].toInt(), 1);
        verifyLedgerInvariants(market_);
    }
};

QTEST_GUILESS_MAIN(TestPayoutRecovery)
#include "tst_payoutrecovery.moc"
