// The server keeps resolved sign-ins in memory (server/accounts/SessionCache, 15 s at most), so
// a busy client's requests cost no lookup each. What must take effect at once still does:
// a revoked token or signed-out browser, a suspended user and a demoted admin are refused on
// their very next request although that sign-in was just cached; a role granted on another
// process (the command line) or in the database reaches the cache through LISTEN/NOTIFY
// (sql/0012, 0013) long before its lifetime; a lost listening connection empties it. A change
// the database did not announce shows the cache is really used. Requests racing a revocation:
// none sent after the revocation answered is served. Waits are on conditions with 5 s limits,
// below the cache's lifetime, so a change that waited for it fails here.

#include "ConcurrentRequests.h"
#include "Eventually.h"
#include "Marketplace.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

using namespace reelgate::test;

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kNotifiedWithinMs = 5000; // SessionCache::kTtl is 15 s

struct Timed {
    Clock::time_point sent;
    int status = 0;
};

} // namespace

class TestSessionCache : public QObject {
    Q_OBJECT

    Marketplace market_;
    int serial_ = 0;

    QString newUser(bool admin = false) {
        const QString name = QString("cached%1").arg(++serial_);
        if (admin)
            return market_.createAdmin(name) ? name : QString();
        return market_.signUp(name) ? name : QString();
    }
    int status(const QByteArray& token, const QString& path = "/api/me",
               const QByteArray& verb = "GET", const QByteArray& body = {}) {
        return ServerProcess::request(
                   verb, market_.server().baseUrl() + path, body,
                   {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}})
            .status;
    }
    QJsonArray rolesOf(const QByteArray& token) {
        return ServerProcess::request("GET", market_.server().baseUrl() + "/api/me", {},
                                      {{"Authorization", "Bearer " + token}})
            .json()
            .object()["user"]
            .toObject()["roles"]
            .toArray();
    }
    QString idOf(const QString& name) {
        return market_.sql("SELECT id FROM users WHERE username = '" + name + "'").trimmed();
    }
    // Runs `sql` without firing any trigger: a change no notification announces.
    void silently(const QString& sql) {
        market_.sql("SET session_replication_role = replica; " + sql);
    }
    bool listening() {
        return market_
                   .sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                        "'reelgate-revocations' AND state = 'idle' AND query <> ''")
                   .trimmed() == "1";
    }
    // A signed-in `token`, cached: two requests answered.
    bool cached(const QByteArray& token, const QString& path = "/api/me") {
        return status(token, path) == 200 && status(token, path) == 200;
    }

    // Requests of `token` to `path` from 4 threads, before and after `change` runs (on this
    // thread); every one sent after `change` returned must be answered `refused`, and every
    // one before it 200 or `refused`.
    void race(const QByteArray& token, const QString& path, int refused,
              const std::function<void()>& change) {
        std::atomic<bool> stop{false};
        std::mutex mutex;
        QList<Timed> replies;
        const QString base = market_.server().baseUrl();
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&] {
                while (!stop) {
                    const auto sent = Clock::now();
                    const auto reply = sendRaw(
                        base, {"GET", path, {}, {{"Authorization", "Bearer " + token}}}, 20000);
                    std::lock_guard lock(mutex);
                    replies.append({sent, reply.status});
                }
            });
        const auto count = [&] {
            std::lock_guard lock(mutex);
            return replies.size();
        };
        const bool warm = eventually([&] { return count() >= 40; });
        change();
        const auto changed = Clock::now();
        const qsizetype before = count();
        const bool after = eventually([&] { return count() >= before + 40; });
        stop = true;
        for (auto& thread : threads)
            thread.join();
        QVERIFY(warm && after);
        int servedBefore = 0;
        int refusedAfter = 0;
        for (const Timed& reply : replies) {
            if (reply.sent > changed) {
                QCOMPARE(reply.status, refused);
                ++refusedAfter;
            } else {
                QVERIFY2(reply.status == 200 || reply.status == refused,
                         qPrintable(QString::number(reply.status)));
                servedBefore += reply.status == 200;
            }
        }
        QVERIFY(servedBefore > 0);
        QVERIFY(refusedAfter > 0);
    }

private slots:
    void initTestCase() {
        QVERIFY2(market_.start(), qPrintable(market_.server().log()));
        QVERIFY(eventually([&] { return listening(); },
                           30000)); // the cache is trusted only while listening
    }

    void aChangeNobodyAnnouncedIsServedFromTheCache() {
        const QString name = newUser();
        const QByteArray token = market_.token(name);
        QVERIFY(cached(token));
        silently("UPDATE auth_sessions SET revoked_at = now() WHERE user_id = " + idOf(name));
        QCOMPARE(status(token), 200); // the database was not asked
        // The notification another instance's revocation would send ends it.
        market_.sql("SELECT pg_notify('reelgate_revocations', 'user:" + idOf(name) + "')");
        QVERIFY(eventually([&] { return status(token) == 401; }, kNotifiedWithinMs));
    }

    void aRevokedSignInIsRefusedAtItsNextRequest() {
        const QString name = newUser();
        const QByteArray token = market_.token(name);
        const auto browser = market_.signIn(name);
        QVERIFY(browser);
        QVERIFY(cached(token));
        const auto tokens = browser->get("/api/auth/tokens").json().object()["tokens"].toArray();
        QCOMPARE(tokens.size(), 1);
        const QString tokenId = QString::number(tokens[0].toObject()["id"].toInteger());
        QCOMPARE(browser->del("/api/auth/tokens/" + tokenId).status, 204);
        QCOMPARE(status(token), 401);

        // A signed-out browser's cookie, replayed.
        QCOMPARE(browser->get("/api/me").status, 200);
        QCOMPARE(browser->get("/api/me").status, 200);
        const QByteArray cookie = "rg_session=" + browser->cookie("rg_session");
        QCOMPARE(browser->postJson("/api/auth/logout", {}).status, 204);
        QCOMPARE(ServerProcess::request("GET", market_.server().baseUrl() + "/api/me", {},
                                        {{"Cookie", cookie}})
                     .status,
                 401);
    }

    void aSuspendedUserIsRefusedAtTheNextRequest() {
        const QString admin = newUser(true);
        const QString name = newUser();
        const QByteArray adminToken = market_.token(admin);
        const QByteArray token = market_.token(name);
        QVERIFY(cached(token));
        QCOMPARE(status(adminToken, "/api/admin/users/" + idOf(name) + "/suspend", "POST"), 200);
        QCOMPARE(status(token), 401);

        // Suspended in the database by someone else (sessions kept): refused as suspended.
        QCOMPARE(status(adminToken, "/api/admin/users/" + idOf(name) + "/reinstate", "POST"), 200);
        const QByteArray again = market_.token(name);
        QVERIFY(cached(again));
        market_.sql("UPDATE users SET status = 'suspended' WHERE username = '" + name + "'");
        QVERIFY(eventually([&] { return status(again) == 403; }, kNotifiedWithinMs));
    }

    void aDemotedAdminIsRefusedAtTheNextRequest() {
        const QString chief = newUser(true);
        const QString deputy = newUser(true);
        const QByteArray chiefToken = market_.token(chief);
        const QByteArray deputyToken = market_.token(deputy);
        QVERIFY(cached(deputyToken, "/api/admin/users"));
        QCOMPARE(status(chiefToken, "/api/admin/users/" + idOf(deputy) + "/roles", "POST",
                        R"({"admin":false})"),
                 200);
        QCOMPARE(status(deputyToken, "/api/admin/users"), 403);

        // Granted again by an operator on the command line (another process): heard.
        QCOMPARE(market_.cli({"admin", "grant", deputy}).exitCode, 0);
        QVERIFY(eventually([&] { return status(deputyToken, "/api/admin/users") == 200; },
                           kNotifiedWithinMs));
        // Demoted in the database (sql/0013's trigger): heard.
        QVERIFY(cached(deputyToken, "/api/admin/users"));
        market_.sql("UPDATE users SET is_admin = false WHERE username = '" + deputy + "'");
        QVERIFY(eventually([&] { return status(deputyToken, "/api/admin/users") == 403; },
                           kNotifiedWithinMs));
    }

    void aRoleTakenOnShowsAtOnce() {
        const QString name = newUser();
        const QByteArray token = market_.token(name);
        QVERIFY(cached(token));
        QVERIFY(!rolesOf(token).contains("creator"));
        QCOMPARE(status(token, "/api/me/creator", "POST", "{}"), 200);
        QVERIFY(rolesOf(token).contains("creator"));
    }

    void aDeletedUserOrSignInIsHeard() {
        const QString name = newUser();
        const QByteArray token = market_.token(name);
        QVERIFY(cached(token));
        market_.sql("DELETE FROM auth_sessions WHERE user_id = " + idOf(name));
        QVERIFY(eventually([&] { return status(token) == 401; }, kNotifiedWithinMs));
    }

    void aLostListenerEmptiesTheCache() {
        const QString name = newUser();
        const QByteArray token = market_.token(name);
        QVERIFY(cached(token));
        silently("UPDATE auth_sessions SET revoked_at = now() WHERE user_id = " + idOf(name));
        QCOMPARE(status(token), 200);
        // Whatever was announced while it was away is lost: nothing cached before is trusted.
        market_.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                    "application_name = 'reelgate-revocations'");
        QVERIFY(eventually([&] { return status(token) == 401; }, kNotifiedWithinMs));
        QVERIFY(eventually([&] { return listening(); }, 30000));
        // Listening again, the cache works again.
        const QByteArray again = market_.token(name);
        QVERIFY(eventually([&] { return cached(again); }));
    }

    void requestsRacingARevocation() {
        const QString name = newUser();
        const QByteArray token = market_.token(name);
        const auto browser = market_.signIn(name);
        QVERIFY(browser);
        const auto tokens = browser->get("/api/auth/tokens").json().object()["tokens"].toArray();
        const QString tokenId = QString::number(tokens[0].toObject()["id"].toInteger());
        race(token, "/api/me", 401,
             [&] { QCOMPARE(browser->del("/api/auth/tokens/" + tokenId).status, 204); });
    }

    void requestsRacingADemotion() {
        const QString chief = newUser(true);
        const QString deputy = newUser(true);
        const QByteArray chiefToken = market_.token(chief);
        const QByteArray deputyToken = market_.token(deputy);
        race(deputyToken, "/api/admin/users", 403, [&] {
            QCOMPARE(status(chiefToken, "/api/admin/users/" + idOf(deputy) + "/roles", "POST",
                            R"({"admin":false})"),
                     200);
        });
    }

    void cleanupTestCase() { QCOMPARE(market_.server().stop(), 0); }
};

QTEST_GUILESS_MAIN(TestSessionCache)
#include "tst_sessioncache.moc"
