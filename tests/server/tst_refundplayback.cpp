// A refund ends what it paid for, also for a player that is already running: the buyer's live
// playback session stops at its next request (sql/0016 revokes it, sql/0012 tells the cache),
// on this server instance, while the creator's own session of the same video plays on.

#include "Marketplace.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>
#include <QUuid>

using namespace reelgate::test;

class TestRefundPlayback : public QObject {
    Q_OBJECT

    Marketplace market_;
    QString film_;

    QString startSession(const QString& user) {
        const auto r = market_.client(user)->send("POST", "/api/videos/" + film_ + "/play", {}, {});
        if (r.status != 201)
            return {};
        return r.json()["session"].toObject()["master_url"].toString();
    }
    int fetch(const QString& user, const QString& url) {
        return market_.client(user)->get(url).status;
    }

private slots:
    void initTestCase() {
        QVERIFY2(market_.start(), qPrintable(market_.server().log()));
        QVERIFY(market_.signUp("maker", true));
        for (const char* name : {"alice", "boss"})
            QVERIFY(market_.signUp(name));
        QCOMPARE(market_.cli({"admin", "grant", "boss"}).exitCode, 0);
        film_ = market_.publish("maker", "The film", "10.00", "USD", 0);
        QVERIFY(!film_.isEmpty());
        QVERIFY(market_.credit("alice", "30.00", "USD"));
    }

    void aRefundStopsTheRunningPlayer() {
        const auto bought = market_.client("alice")->send(
            "POST", "/api/videos/" + film_ + "/purchase", {}, {},
            {{"Idempotency-Key", QUuid::createUuid().toByteArray(QUuid::WithoutBraces)}});
        QCOMPARE(bought.status, 201);
        const QString buyer = startSession("alice");
        const QString creator = startSession("maker");
        QVERIFY(!buyer.isEmpty() && !creator.isEmpty());
        QCOMPARE(fetch("alice", buyer), 200); // cached from here on
        QCOMPARE(fetch("maker", creator), 200);

        QString purchase;
        const auto list = market_.client("boss")->get("/api/admin/purchases?q=alice").json();
        for (const auto& p : list["purchases"].toArray())
            if (p.toObject()["video"].toObject()["id"] == film_)
                purchase = p.toObject()["id"].toString();
        QVERIFY(!purchase.isEmpty());
        QCOMPARE(market_.client("boss")
                     ->postJson("/api/admin/purchases/" + purchase + "/refund",
                                {{"reason", "buyer asked"}})
                     .status,
                 200);

        // The notification arrives asynchronously; the player is refused well before its
        // session would have expired (hours).
        QVERIFY(QTest::qWaitFor([&] { return fetch("alice", buyer) == 403; }, 10000));
        QCOMPARE(fetch("maker", creator), 200);
        QCOMPARE(market_.sql("SELECT count(*) FROM playback_sessions s JOIN users u ON "
                             "u.id = s.user_id WHERE u.username = 'alice' AND revoked_at IS NULL"),
                 QString("0"));
    }
};

QTEST_GUILESS_MAIN(TestRefundPlayback)
#include "tst_refundplayback.moc"
