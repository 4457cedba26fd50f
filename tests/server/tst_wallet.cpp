// Money through the real server and a real PostgreSQL: operator credits, wallet purchases split
// exactly between creator, platform and affiliate, idempotency keys, the refusals a buyer
// meets, display currencies, 100 concurrent purchase attempts on a wallet that affords one,
// and a randomized run that must keep the double-entry ledger balanced.

#include "ConcurrentRequests.h"
#include "LedgerInvariants.h"
#include "Marketplace.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTest>
#include <QUuid>

#include <atomic>
#include <map>
#include <set>
#include <thread>

using namespace reelgate::test;

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

QByteArray newKey() {
    return QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
}

HttpReply buy(HttpClient& client, const QString& video, const QByteArray& key,
              const QJsonObject& body = {}) {
    Headers headers;
    if (!key.isEmpty())
        headers.append({"Idempotency-Key", key});
    return client.send("POST", "/api/videos/" + video + "/purchase",
                       body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(),
                       body.isEmpty() ? QByteArray() : QByteArray("application/json"), headers);
}

} // namespace

class TestWallet : public QObject {
    Q_OBJECT

    Marketplace market_;
    QString film_;  // 4.99 USD by maker, 20 % to affiliates
    QString short_; // 4.99 USD by maker, no affiliate program

    void verifyLedger() { verifyLedgerInvariants(market_); }
    // How many deadlocks PostgreSQL has reported (its log, written as each one is detected).
    qsizetype deadlocksLogged() {
        QFile log(market_.dataDir() + "/log/postgres.log");
        return log.open(QIODevice::ReadOnly) ? log.readAll().count("deadlock detected") : -1;
    }

private slots:
    void initTestCase() {
        QVERIFY2(market_.start(), qPrintable(market_.server().log()));
        QVERIFY(market_.signUp("maker", true));
        for (const char* name : {"alice", "amy", "bob", "carol"})
            QVERIFY(market_.signUp(name));
        film_ = market_.publish("maker", "The film", "4.99", "USD", 2000);
        short_ = market_.publish("maker", "The short", "4.99", "USD", 0);
        QVERIFY(!film_.isEmpty() && !short_.isEmpty());
    }

    void operatorCredit() {
        const auto r = market_.cli({"credit", "alice", "10.00", "USD", "--memo", "cash at desk"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("credited 10.00 USD to alice"), qPrintable(r.out));
        QCOMPARE(market_.balance("alice", "USD"), 1000);
        const auto history = market_.client("alice")->get("/api/wallet/history").json().object();
        QCOMPARE(history["total"].toInt(), 1);
        const auto entry = history["entries"].toArray()[0].toObject();
        QCOMPARE(entry["kind"].toString(), QString("credit"));
        QCOMPARE(entry["memo"].toString(), QString("cash at desk"));
        QCOMPARE(entry["amount"].toObject()["amount_minor"].toInt(), 1000);
        verifyLedger();
    }

    void badCreditsChangeNothing_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("negative") << QStringList{"credit", "alice", "-5.00", "USD"} << "";
        QTest::newRow("zero") << QStringList{"credit", "alice", "0", "USD"} << "more than zero";
        QTest::newRow("too precise") << QStringList{"credit", "alice", "1.234", "USD"} << "";
        QTest::newRow("unknown currency")
            << QStringList{"credit", "alice", "1", "XYZ"} << "currency";
        QTest::newRow("unknown user") << QStringList{"credit", "nobody", "1", "USD"} << "no user";
    }
    void badCreditsChangeNothing() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const auto r = market_.cli(args);
        QVERIFY2(r.exitCode != 0, qPrintable(r.out));
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QCOMPARE(market_.balance("alice", "USD"), 1000);
    }

    void purchaseSplitsExactly() {
        HttpClient& alice = *market_.client("alice");
        const QByteArray key = newKey();
        const auto reply = buy(alice, film_, key, {{"ref", "amy"}});
        QCOMPARE(reply.status, 201);
        const auto purchase = reply.json().object()["purchase"].toObject();
        QCOMPARE(purchase["affiliate"].toString(), QString("amy"));
        QCOMPARE(reply.json().object()["balance"].toObject()["amount_minor"].toInt(), 501);
        // 4.99: fee floor(10 %) = 0.49, commission floor(20 %) = 0.99, creator the rest 3.51.
        QCOMPARE(market_.balance("alice", "USD"), 501);
        QCOMPARE(market_.balance("amy", "USD"), 99);
        QCOMPARE(market_.balance("maker", "USD"), 351);
        QCOMPARE(
            market_.sql("SELECT sum(e.amount_minor) FROM ledger_entries e JOIN ledger_accounts a "
                        "ON a.id = e.account_id WHERE a.kind = 'platform_revenue' AND "
                        "a.currency = 'USD'"),
            QString("49"));

        // The same key replays the answer and moves nothing.
        const auto again = buy(alice, film_, key, {{"ref", "amy"}});
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json(), reply.json());
        QCOMPARE(market_.balance("alice", "USD"), 501);
        // The key used for another request is refused.
        QCOMPARE(errorCode(buy(alice, short_, key)), QString("idempotency_key_reused"));
        // A new key for the same video: already owned.
        const auto twice = buy(alice, film_, newKey());
        QCOMPARE(twice.status, 409);
        QCOMPARE(errorCode(twice), QString("already_owned"));
        QCOMPARE(market_.balance("alice", "USD"), 501);

        const auto owned = alice.get("/api/videos/" + film_).json().object()["video"].toObject();
        QCOMPARE(owned["viewer"].toObject()["owned"].toBool(), true);
        const auto mine = alice.get("/api/me/purchases").json().object()["purchases"].toArray();
        QCOMPARE(mine.size(), 1);
        QCOMPARE(mine[0].toObject()["video"].toObject()["id"].toString(), film_);

        const auto earnings = market_.client("amy")->get("/api/me/affiliate").json().object();
        QCOMPARE(earnings["earnings"].toArray()[0].toObject()["amount_minor"].toInt(), 99);
        QCOMPARE(earnings["commissions"].toArray().size(), 1);
        bool linked = false;
        for (const auto& link : earnings["links"].toArray())
            linked |= link.toObject()["url"].toString() == "/v/" + film_ + "?ref=amy";
        QVERIFY(linked);

        const auto sales = market_.client("maker")->get("/api/me/sales").json().object();
        const auto totals = sales["totals"].toArray()[0].toObject();
        QCOMPARE(totals["sales"].toInt(), 1);
        QCOMPARE(totals["gross"].toObject()["amount_minor"].toInt(), 499);
        QCOMPARE(totals["net"].toObject()["amount_minor"].toInt(), 351);
        verifyLedger();
    }

    void refusals() {
        HttpClient& alice = *market_.client("alice");
        QCOMPARE(buy(alice, short_, {}).status, 400);
        QCOMPARE(errorCode(buy(alice, short_, {})), QString("idempotency_key_required"));
        QCOMPARE(errorCode(buy(*market_.client("maker"), short_, newKey())), QString("own_video"));
        QCOMPARE(buy(alice, "nosuchvideo00", newKey()).status, 404);
        HttpClient stranger(market_.server().baseUrl());
        QCOMPARE(buy(stranger, short_, newKey()).status, 401);
        // A buyer without the money: 402, nothing moves.
        const auto poor = buy(*market_.client("carol"), short_, newKey());
        QCOMPARE(poor.status, 402);
        QCOMPARE(errorCode(poor), QString("insufficient_funds"));
        QCOMPARE(market_.balance("carol", "USD"), 0);
        // Referring yourself, or a video without a program, earns nothing.
        QCOMPARE(buy(alice, short_, newKey(), {{"ref", "amy"}}).status, 201);
        QCOMPARE(market_.balance("amy", "USD"), 99);
        QVERIFY(market_.credit("amy", "5", "USD"));
        const auto self = buy(*market_.client("amy"), film_, newKey(), {{"ref", "amy"}});
        QCOMPARE(self.status, 201);
        QVERIFY(self.json().object()["purchase"].toObject()["affiliate"].isNull());
        QCOMPARE(market_.balance("amy", "USD"), 99 + 500 - 499);
        verifyLedger();
    }

    void displayCurrencies() {
        auto admin = market_.createAdmin("root");
        QVERIFY(admin);
        const QJsonObject settings{
            {"display_currencies", QJsonArray{"USD", "IDR"}},
            {"rates",
             QJsonArray{QJsonObject{{"base", "USD"}, {"quote", "IDR"}, {"rate", "15800"}}}}};
        QCOMPARE(market_.client("alice")
                     ->send("PUT", "/api/admin/settings", QJsonDocument(settings).toJson(),
                            "application/json")
                     .status,
                 403);
        QCOMPARE(admin
                     ->send("PUT", "/api/admin/settings", QJsonDocument(settings).toJson(),
                            "application/json")
                     .status,
                 200);
        const QJsonObject bad{
            {"rates", QJsonArray{QJsonObject{{"base", "USD"}, {"quote", "IDR"}, {"rate", "-1"}}}}};
        const auto refused = admin->send("PUT", "/api/admin/settings", QJsonDocument(bad).toJson(),
                                         "application/json");
        QCOMPARE(refused.status, 400);
        const auto video =
            market_.client("bob")->get("/api/videos/" + film_).json().object()["video"].toObject();
        const auto shown = video["display_prices"].toArray();
        QCOMPARE(shown.size(), 1);
        QCOMPARE(shown[0].toObject()["currency"].toString(), QString("IDR"));
        QCOMPARE(shown[0].toObject()["amount_minor"].toInteger(), 7884200); // 4.99 x 15800
        const auto platform = market_.server().get("/api/platform").json().object();
        QCOMPARE(platform["display_currencies"]
                     .toArray()[1]
                     .toObject()["rates"]
                     .toObject()["USD"]
                     .toString(),
                 QString("15800"));
    }

    // One buyer with money for exactly one video fires 100 purchases at once (50 at each of two
    // videos, every one with its own key): exactly one succeeds.
    void concurrentPurchasesSpendOnce() {
        QVERIFY(market_.credit("bob", "4.99", "USD"));
        const QByteArray token = market_.token("bob");
        QVERIFY(!token.isEmpty());
        const QString base = market_.server().baseUrl();
        std::atomic<int> created{0}, refused{0}, other{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < 100; ++i) {
            threads.emplace_back([&, i] {
                const QString video = i % 2 ? film_ : short_;
                const auto r = ServerProcess::request(
                    "POST", base + "/api/videos/" + video + "/purchase", {},
                    {{"Authorization", "Bearer " + token}, {"Idempotency-Key", newKey()}}, 120000);
                if (r.status == 201)
                    ++created;
                else if (r.status == 402 || r.status == 409)
                    ++refused;
                else
                    ++other;
            });
        }
        for (auto& t : threads)
            t.join();
        QCOMPARE(other.load(), 0);
        QCOMPARE(created.load(), 1);
        QCOMPARE(refused.load(), 99);
        QCOMPARE(market_.balance("bob", "USD"), 0);
        QCOMPARE(market_.sql("SELECT count(*) FROM purchases p JOIN users u ON u.id = p.buyer_id "
                             "WHERE u.username = 'bob'"),
                 QString("1"));
        verifyLedger();
    }

    // One key sent by 16 racing requests (a client retrying on a timeout): the answer is stored
    // with the sale in one statement, so the requests that lose the race on the key replay the
    // first answer (id, created_at, balance) and the wallet pays once.
    void racingRetriesOfOneKeyPayOnce() {
        QVERIFY(market_.signUp("fern"));
        QVERIFY(market_.credit("fern", "20.00", "USD"));
        const QByteArray token = market_.token("fern");
        const QString url = market_.server().baseUrl() + "/api/videos/" + film_ + "/purchase";
        const QByteArray key = newKey();
        std::vector<HttpReply> replies(16);
        std::vector<std::thread> threads;
        for (auto& reply : replies)
            threads.emplace_back([&] {
                reply = ServerProcess::request(
                    "POST", url, {},
                    {{"Authorization", "Bearer " + token}, {"Idempotency-Key", key}}, 120000);
            });
        for (auto& t : threads)
            t.join();
        int created = 0;
        for (const auto& reply : replies) {
            QVERIFY2(reply.status == 201 || reply.status == 200, reply.body.constData());
            created += reply.status == 201;
            QCOMPARE(reply.json(), replies.front().json());
        }
        QCOMPARE(created, 1);
        QVERIFY(!replies.front().json()["purchase"]["created_at"].toString().isEmpty());
        QCOMPARE(replies.front().json()["balance"]["amount_minor"].toInt(), 2000 - 499);
        QCOMPARE(market_.balance("fern", "USD"), 2000 - 499);
        verifyLedger();
    }

    // One key raced for two different videos (a client reusing a key): one purchase is made,
    // the requests for it replay its answer, the others are refused as a reused key, and
    // nothing is bought or paid twice.
    void oneKeyRacedForTwoVideosBuysOne() {
        QVERIFY(market_.signUp("gail"));
        QVERIFY(market_.credit("gail", "20.00", "USD"));
        const QByteArray token = market_.token("gail");
        const QByteArray key = newKey();
        std::vector<HttpReply> replies(12);
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < replies.size(); ++i)
            threads.emplace_back([&, i] {
                replies[i] = ServerProcess::request(
                    "POST",
                    market_.server().baseUrl() + "/api/videos/" + (i % 2 ? film_ : short_) +
                        "/purchase",
                    {}, {{"Authorization", "Bearer " + token}, {"Idempotency-Key", key}}, 120000);
            });
        for (auto& t : threads)
            t.join();
        std::map<int, int> statuses;
        for (const auto& reply : replies)
            ++statuses[reply.status];
        QCOMPARE(statuses[201], 1);
        QCOMPARE(statuses[200] + statuses[422], 11);
        QCOMPARE(statuses[200], 5); // the same video as the purchase made
        QCOMPARE(market_.balance("gail", "USD"), 2000 - 499);
        QCOMPARE(market_.sql("SELECT count(*) FROM purchases p JOIN users u ON u.id = p.buyer_id "
                             "WHERE u.username = 'gail'"),
                 QString("1"));
        verifyLedger();
    }

    // Random credits and purchases among several buyers, creators and affiliates; the test
    // keeps its own books with the published split rule and compares every wallet.
    void randomizedRunKeepsBooks() {
        auto* rng = QRandomGenerator::global();
        const QStringList creators{"cre1", "cre2"};
        const QStringList buyers{"buy1", "buy2", "buy3", "buy4"};
        for (const auto& c : creators)
            QVERIFY(market_.signUp(c, true));
        for (const auto& b : buyers)
            QVERIFY(market_.signUp(b));
        struct Listing {
            QString id;
            QString creator;
            qint64 priceMinor;
            int affiliateBps;
        };
        QList<Listing> listings;
        for (int i = 0; i < 6; ++i) {
            const qint64 price = 1 + rng->bounded(2000);
            const int bps = i % 3 == 0 ? 0 : static_cast<int>(rng->bounded(9001));
            const QString creator = creators[i % 2];
            const QString id = market_.publish(
                creator, QString("Random %1").arg(i),
                QString("%1.%2").arg(price / 100).arg(price % 100, 2, 10, QChar('0')), "USD",
                std::min(bps, 9000));
            QVERIFY(!id.isEmpty());
            listings.append({id, creator, price, std::min(bps, 9000)});
        }
        std::map<QString, qint64> expected;
        for (const auto& name : creators + buyers)
            expected[name] = market_.balance(name, "USD");
        // What a buyer may spend: credits less purchases. A commission counts in the balance
        // but stays pending (the earnings hold) and buys nothing until it matures.
        std::map<QString, qint64> spendable;
        for (const auto& name : buyers)
            spendable[name] = expected[name];
        std::set<std::pair<QString, QString>> owned;
        for (int step = 0; step < 60; ++step) {
            const QString buyer = buyers[rng->bounded(buyers.size())];
            if (rng->bounded(4) == 0) {
                const qint64 amount = 1 + rng->bounded(3000);
                QVERIFY(market_.credit(
                    buyer, QString("%1.%2").arg(amount / 100).arg(amount % 100, 2, 10, QChar('0')),
                    "USD"));
                expected[buyer] += amount;
                spendable[buyer] += amount;
                continue;
            }
            const Listing& l = listings[rng->bounded(listings.size())];
            const QString referrer = buyers[rng->bounded(buyers.size())];
            const auto r = buy(*market_.client(buyer), l.id, newKey(), {{"ref", referrer}});
            const bool mayBuy = !owned.count({buyer, l.id}) && spendable[buyer] >= l.priceMinor;
            QCOMPARE(r.status, mayBuy ? 201 : owned.count({buyer, l.id}) ? 409 : 402);
            if (!mayBuy)
                continue;
            owned.insert({buyer, l.id});
            const qint64 fee = l.priceMinor * 1000 / 10000;
            const bool affiliate = referrer != buyer && l.affiliateBps > 0;
            const qint64 commission =
                affiliate ? l.priceMinor * std::min(l.affiliateBps, 9000) / 10000 : 0;
            expected[buyer] -= l.priceMinor;
            spendable[buyer] -= l.priceMinor;
            expected[l.creator] += l.priceMinor - fee - commission;
            if (affiliate)
                expected[referrer] += commission;
        }
        for (const auto& [name, minor] : expected)
            QCOMPARE(market_.balance(name, "USD"), minor);
        verifyLedger();
        // The ledger is append-only even for someone with database access.
        const QString edited = market_.sql("UPDATE ledger_entries SET amount_minor = 1");
        QVERIFY2(edited.contains("append-only"), qPrintable(edited));
        // Nor can it take entries that sum to zero but name an account that does not exist,
        // nor lose an account.
        const QString orphan = market_.sql(
            "INSERT INTO ledger_entries (transaction_id, account_id, role, amount_minor) SELECT "
            "max(transaction_id), max(account_id), 'credit', 5 FROM ledger_entries UNION ALL "
            "SELECT max(transaction_id), 999999999, 'credit', -5 FROM ledger_entries");
        QVERIFY2(orphan.contains("does not balance"), qPrintable(orphan));
        const QString dropped = market_.sql("DELETE FROM ledger_accounts");
        QVERIFY2(dropped.contains("append-only"), qPrintable(dropped));
    }
    // Two creators buy each other's videos at the same moment: every purchase locks both
    // wallets, so without one lock order half of them would fail with "deadlock detected".
    void crossingPurchasesAllSucceedOnce() {
        QVERIFY(market_.signUp("north", true));
        QVERIFY(market_.signUp("south", true));
        const QString northFilm = market_.publish("north", "North film", "1.00", "USD", 0);
        const QString southFilm = market_.publish("south", "South film", "1.00", "USD", 0);
        QVERIFY(!northFilm.isEmpty() && !southFilm.isEmpty());
        // 24 more published copies of each (arranged in the database: the same package).
        QVERIFY(!market_
                     .sql("INSERT INTO videos (public_id, creator_id, title, price_minor, currency,"
                          " visibility, state, package_dir, duration_ms, published_at)"
                          " SELECT v.public_id || 'c' || g, v.creator_id, v.title || ' ' || g,"
                          " v.price_minor, v.currency, v.visibility, 'published', v.package_dir,"
                          " v.duration_ms, now() FROM videos v, generate_series(1, 24) g"
                          " WHERE v.public_id IN ('" +
                          northFilm + "', '" + southFilm + "')")
                     .startsWith("psql failed"));
        const auto filmsOf = [&](const QString& creator) {
            return market_
                .sql("SELECT v.public_id FROM videos v JOIN users u ON u.id = v.creator_id"
                     " WHERE u.username = '" +
                     creator + "' ORDER BY v.id")
                .split('\n');
        };
        const QStringList north = filmsOf("north");
        const QStringList south = filmsOf("south");
        QCOMPARE(north.size(), 25);
        QCOMPARE(south.size(), 25);
        QVERIFY(market_.credit("north", "25.00", "USD"));
        QVERIFY(market_.credit("south", "25.00", "USD"));
        const QByteArray northToken = market_.token("north");
        const QByteArray southToken = market_.token("south");

        const auto deadlocksBefore = deadlocksLogged();
        const auto replies = sendConcurrently(market_.server().baseUrl(), 50, [&](int i) {
            const bool fromNorth = i % 2 == 0;
            const QString video = (fromNorth ? south : north)[i / 2];
            return RawRequest{"POST",
                              "/api/videos/" + video + "/purchase",
                              {},
                              {{"Authorization", "Bearer " + (fromNorth ? northToken : southToken)},
                               {"Idempotency-Key", newKey()}}};
        });
        QStringList failures;
        for (const auto& reply : replies)
            if (reply.status != 201)
                failures << QString::number(reply.status) + " " + QString::fromUtf8(reply.body);
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join('\n')));
        // Each first purchase creates both sides' earnings accounts: in one order everywhere,
        // so none waited in a cycle (a deadlock costs a second and a retry, five in a row a 500).
        QCOMPARE(deadlocksLogged(), deadlocksBefore);

        const qint64 feeBps =
            market_.sql("SELECT value::text FROM platform_settings WHERE key = 'platform_fee_bps'")
                .toLongLong();
        const qint64 net = 100 - 100 * feeBps / 10000; // per sale of 1.00
        for (const char* creator : {"north", "south"}) {
            QCOMPARE(market_.balance(creator, "USD"), 2500 - 2500 + 25 * net);
            QCOMPARE(market_.sql(QString("SELECT count(DISTINCT video_id) FROM purchases p JOIN "
                                         "users u ON u.id = p.buyer_id WHERE u.username = '%1'")
                                     .arg(creator)),
                     QString("25"));
        }
        verifyLedger();
    }

    // Earnings past their hold are spendable: a purchase the deposited money does not cover is
    // paid from them (released only then), and the answer's balance is what is left of it all.
    // A replay of that purchase answers the first result even after the video is withdrawn.
    void maturedEarningsPayWhenTheWalletFallsShort() {
        QVERIFY(market_.signUp("erin", true));
        QVERIFY(market_.signUp("fred"));
        const QString cut = market_.publish("erin", "Erin's cut", "9.99", "USD", 0);
        QVERIFY(!cut.isEmpty());
        QVERIFY(market_.credit("fred", "9.99", "USD"));
        QCOMPARE(buy(*market_.client("fred"), cut, newKey()).status, 201);
        QVERIFY(market_.credit("erin", "1.00", "USD"));
        // 9.99 less the 10 % fee (0.99): 9.00 pending, so 1.00 is all erin can spend.
        HttpClient& erin = *market_.client("erin");
        const QByteArray key = newKey();
        QCOMPARE(errorCode(buy(erin, film_, key)), QString("insufficient_funds"));
        market_.sql("UPDATE earnings_holds SET release_at = now() - interval '1 second' "
                    "WHERE released_at IS NULL AND user_id = (SELECT id FROM users WHERE "
                    "username = 'erin')");
        const auto bought = buy(erin, film_, key);
        QCOMPARE(bought.status, 201);
        QCOMPARE(bought.json()["balance"]["amount_minor"].toInt(), 100 + 900 - 499);
        QCOMPARE(market_.balance("erin", "USD"), 501);
        const auto wallet = erin.get("/api/wallet").json().object();
        for (const auto& b : wallet["balances"].toArray())
            if (b.toObject()["currency"].toString() == "USD") {
                QCOMPARE(b.toObject()["deposited"].toObject()["amount_minor"].toInt(), 0);
                QCOMPARE(b.toObject()["available"].toObject()["amount_minor"].toInt(), 501);
            }
        market_.sql("UPDATE videos SET state = 'unpublished' WHERE public_id = '" + film_ + "'");
        const auto replay = buy(erin, film_, key);
        market_.sql("UPDATE videos SET state = 'published' WHERE public_id = '" + film_ + "'");
        QCOMPARE(replay.status, 200);
        QCOMPARE(replay.json(), bought.json());
        QCOMPARE(market_.balance("erin", "USD"), 501);
        verifyLedger();
    }

    // Purchases share no row: a session that updated the platform revenue account and has not
    // committed (what every purchase did before sql/0015) does not hold up a purchase. Before, this
    // purchase waited for the holder (a minute) and the client gave up.
    void aPurchaseNeverWaitsForThePlatformAccount() {
        QVERIFY(market_.signUp("dana"));
        QVERIFY(market_.credit("dana", "10.00", "USD"));
        QCOMPARE(buy(*market_.client("dana"), film_, newKey()).status, 201); // the account exists
        const QString sleeper = "pg_sleep(60.5)";
        QProcess holder;
        holder.start(
            "psql", {"-X", "-q", "-c",
                     "BEGIN; UPDATE ledger_accounts SET balance_minor = balance_minor WHERE "
                     "kind = 'platform_revenue'; SELECT " +
                         sleeper + ";",
                     "host=" + market_.dataDir() + "/run port=5432 user=reelgate dbname=reelgate"});
        const QString waiting = "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                                "AND pid <> pg_backend_pid() AND query LIKE '%" +
                                sleeper + "%'";
        QTRY_COMPARE_WITH_TIMEOUT(market_.sql(waiting), QString("1"), 20000);
        const auto bought = buy(*market_.client("dana"), short_, newKey());
        market_.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> "
                    "pg_backend_pid() AND query LIKE '%" +
                    sleeper + "%'");
        holder.waitForFinished(10000);
        QCOMPARE(bought.status, 201);
        QCOMPARE(market_.balance("dana", "USD"), 2);
        verifyLedger();
    }
};

QTEST_MAIN(TestWallet)
#include "tst_wallet.moc"
