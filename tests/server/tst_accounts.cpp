// Accounts against the real server and PostgreSQL: sign-up, sign-in, sessions, tokens, CSRF,
// rate limits, password change and reset, suspension, and the admin command line.

#include "ConcurrentRequests.h"
#include "Eventually.h"
#include "HttpClient.h"
#include "ServerProcess.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace reelgate::test;

namespace {

QString errorCode(const HttpReply& reply) {
    return reply.json().object().value("error").toObject().value("code").toString();
}

QJsonObject user(const HttpReply& reply) {
    return reply.json().object().value("user").toObject();
}

} // namespace

class TestAccounts : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString dataDir_;
    ServerProcess server_;
    int serial_ = 0;

    // A fresh, unique account; returns its username. The client ends up signed in.
    QString signUp(HttpClient& client, const QString& password = "correct horse battery") {
        const QString name =
            QString("user%1x%2").arg(++serial_).arg(QDateTime::currentMSecsSinceEpoch() % 100000);
        const auto reply = client.postJson(
            "/api/auth/register",
            {{"username", name}, {"email", name + "@example.com"}, {"password", password}});
        if (reply.status != 201)
            qWarning() << reply.body;
        return name;
    }

    // Makes admin `name` on the command line (as an operator does) and signs `client` in as it.
    bool signInNewAdmin(HttpClient& client, const QString& name) {
        const auto made =
            runServerCli({"admin", "create", name, name + "@example.com", "--data-dir", dataDir_},
                         60000, name.toUtf8() + " secret password\n");
        return made.exitCode == 0 &&
               client.postJson("/api/auth/login",
                               {{"login", name}, {"password", name + " secret password"}})
                       .status == 200;
    }

    QString latestResetToken(const QString& email) {
        const auto outbox = runServerCli({"outbox", "--data-dir", dataDir_});
        const QString body = outbox.out.section("To: " + email, -1);
        const auto match = QRegularExpression("/reset#token=([A-Za-z0-9_-]+)").match(body);
        return match.hasMatch() ? match.captured(1) : QString();
    }

private slots:
    void initTestCase() {
        dataDir_ = serverReachable(tmp_) + "/data";
        QVERIFY2(server_.start(dataDir_), qPrintable(server_.log()));
    }

    void cleanupTestCase() { QCOMPARE(server_.stop(), 0); }

    void registerMeLogoutLogin() {
        HttpClient browser(server_.baseUrl());
        const auto reply =
            browser.postJson("/api/auth/register", {{"username", "Ana.Lima"},
                                                    {"email", " Ana@Example.COM "},
                                                    {"password", "a long passphrase"}});
        QCOMPARE(reply.status, 201);
        QCOMPARE(user(reply).value("username").toString(), QString("Ana.Lima"));
        QCOMPARE(user(reply).value("email").toString(), QString("ana@example.com"));
        QCOMPARE(user(reply).value("roles").toArray(), QJsonArray{"buyer"});
        const QByteArray setCookie = reply.header("Set-Cookie");
        QVERIFY2(setCookie.contains("rg_session=rgs_") && setCookie.contains("HttpOnly") &&
                     setCookie.contains("SameSite=Lax"),
                 setCookie.constData());
        QVERIFY(!setCookie.contains("Secure")); // plain http here

        const auto me = browser.get("/api/me");
        QCOMPARE(me.status, 200);
        QCOMPARE(user(me).value("username").toString(), QString("Ana.Lima"));
        QCOMPARE(me.json().object().value("csrf_token").toString().toUtf8(),
                 browser.cookie("rg_csrf"));

        QCOMPARE(browser.postJson("/api/auth/logout", {}).status, 204);
        QCOMPARE(browser.get("/api/me").status, 401);

        // Sign in by username in another case, and by email.
        for (const QString login : {"ana.lima", "ANA@example.com"}) {
            HttpClient again(server_.baseUrl());
            const auto in = again.postJson("/api/auth/login",
                                           {{"login", login}, {"password", "a long passphrase"}});
            QCOMPARE(in.status, 200);
            QCOMPARE(again.get("/api/me").status, 200);
        }
        // The password is stored as Argon2id with its parameters, never in clear.
        const QString stored =
            psql(dataDir_, "SELECT password_hash FROM users WHERE username_norm = 'ana.lima'");
        QVERIFY2(stored.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), qPrintable(stored));
        QCOMPARE(psql(dataDir_, "SELECT count(*) FROM auth_sessions WHERE token_hash LIKE 'rgs_%'"),
                 QString("0"));
    }

    void wrongPasswordSaysTheSameForUnknownUsers() {
        HttpClient browser(server_.baseUrl());
        const QString name = signUp(browser);
        HttpClient other(server_.baseUrl());
        const auto wrong =
            other.postJson("/api/auth/login", {{"login", name}, {"password", "not it at all"}});
        const auto nobody = other.postJson(
            "/api/auth/login", {{"login", "nobody-here"}, {"password", "not it at all"}});
        QCOMPARE(wrong.status, 401);
        QCOMPARE(nobody.status, 401);
        QCOMPARE(wrong.body, nobody.body);
        QCOMPARE(errorCode(wrong), QString("invalid_credentials"));
    }

    void refusesBadOrDuplicateSignUps_data() {
        QTest::addColumn<QString>("username");
        QTest::addColumn<QString>("email");
        QTest::addColumn<QString>("password");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("same name, other case") << "ANA.LIMA"
                                               << "new1@example.com"
                                               << "long enough pw" << 409 << "username_taken";
        QTest::newRow("same email, other case") << "someone.else"
                                                << "ANA@EXAMPLE.com"
                                                << "long enough pw" << 409 << "email_taken";
        QTest::newRow("short password") << "shorty"
                                        << "shorty@example.com"
                                        << "123456789" << 400 << "weak_password";
        QTest::newRow("bad username") << "no spaces please"
                                      << "x@example.com"
                                      << "long enough pw" << 400 << "invalid_username";
        QTest::newRow("too short name") << "ab"
                                        << "ab@example.com"
                                        << "long enough pw" << 400 << "invalid_username";
        QTest::newRow("bad email") << "mailless"
                                   << "not-an-email"
                                   << "long enough pw" << 400 << "invalid_email";
    }
    void refusesBadOrDuplicateSignUps() {
        QFETCH(QString, username);
        QFETCH(QString, email);
        QFETCH(QString, password);
        QFETCH(int, status);
        QFETCH(QString, code);
        HttpClient browser(server_.baseUrl());
        const auto reply =
            browser.postJson("/api/auth/register",
                             {{"username", username}, {"email", email}, {"password", password}});
        QCOMPARE(reply.status, status);
        QCOMPARE(errorCode(reply), code);
        QVERIFY(browser.cookie("rg_session").isEmpty());
    }

    void refusesMalformedBodies() {
        HttpClient browser(server_.baseUrl());
        const auto notJson = browser.send("POST", "/api/auth/login", "login=a&password=b",
                                          "application/x-www-form-urlencoded");
        QCOMPARE(notJson.status, 415);
        const auto broken =
            browser.send("POST", "/api/auth/login", "{\"login\":", "application/json");
        QCOMPARE(broken.status, 400);
        const auto missing = browser.postJson("/api/auth/login", {{"login", "x"}});
        QCOMPARE(missing.status, 400);
        QVERIFY(
            missing.json().object().value("error").toObject().value("message").toString().contains(
                "password"));
        const auto wrongType =
            browser.postJson("/api/auth/login", {{"login", 5}, {"password", "x"}});
        QCOMPARE(wrongType.status, 400);
    }

    void rateLimitsFailedSignInsPerAccount() {
        HttpClient owner(server_.baseUrl());
        const QString name = signUp(owner);
        HttpClient attacker(server_.baseUrl());
        for (int i = 0; i < 10; ++i)
            QCOMPARE(
                attacker
                    .postJson("/api/auth/login",
                              {{"login", name}, {"password", "guess guess " + QString::number(i)}})
                    .status,
                401);
        const auto limited = attacker.postJson(
            "/api/auth/login", {{"login", name}, {"password", "correct horse battery"}});
        QCOMPARE(limited.status, 429);
        QCOMPARE(errorCode(limited), QString("rate_limited"));
        QVERIFY(limited.header("Retry-After").toInt() > 0);
        // Other accounts are unaffected.
        HttpClient other(server_.baseUrl());
        const QString otherName = signUp(other);
        QCOMPARE(other
                     .postJson("/api/auth/login",
                               {{"login", otherName}, {"password", "correct horse battery"}})
                     .status,
                 200);
    }

    void controlCharactersInNamesAreRefused() {
        HttpClient owner(server_.baseUrl());
        const QString name = signUp(owner);
        HttpClient attacker(server_.baseUrl());
        // libpq would stop at the NUL and sign in as `name` under a fresh rate-limit key.
        for (const QByteArray& login :
             {name.toUtf8() + "\\u0000n", name.toUtf8() + "\\n", name.toUtf8() + "\\u007f"}) {
            const auto reply = attacker.send("POST", "/api/auth/login",
                                             "{\"login\":\"" + login +
                                                 "\",\"password\":\"correct horse battery\"}",
                                             "application/json");
            QCOMPARE(reply.status, 400);
            QVERIFY(attacker.cookie("rg_session").isEmpty());
        }
        const QString mailsBefore = runServerCli({"outbox", "--data-dir", dataDir_}).out;
        const auto forgot = attacker.send(
            "POST", "/api/auth/forgot", "{\"email\":\"" + name.toUtf8() + "@example.com\\u0000x\"}",
            "application/json");
        QCOMPARE(forgot.status, 400);
        QCOMPARE(runServerCli({"outbox", "--data-dir", dataDir_}).out, mailsBefore);
    }

    void signInLimitIsPerAccountWhateverNameIsUsed() {
        HttpClient owner(server_.baseUrl());
        const QString name = signUp(owner);
        HttpClient attacker(server_.baseUrl());
        const QStringList aliases = {name, name.toUpper(), name + "@example.com",
                                     " " + name.toUpper() + "@EXAMPLE.COM "};
        for (int i = 0; i < 10; ++i)
            QCOMPARE(attacker
                         .postJson("/api/auth/login",
                                   {{"login", aliases[i % aliases.size()]},
                                    {"password", "guess guess " + QString::number(i)}})
                         .status,
                     401);
        for (const QString& alias : aliases)
            QCOMPARE(attacker
                         .postJson("/api/auth/login",
                                   {{"login", alias}, {"password", "correct horse battery"}})
                         .status,
                     429);
    }

    void concurrentGuessesGetAtMostTheLimitOfPasswordChecks() {
        HttpClient owner(server_.baseUrl());
        const QString name = signUp(owner);
        // 40 guesses at once, each from its own address (through the trusted local proxy), so
        // only the per-account limit (10) stands between them and the password check.
        const auto replies = sendConcurrently(server_.baseUrl(), 40, [&](int i) {
            return RawRequest{"POST",
                              "/api/auth/login",
                              "{\"login\":\"" + name.toUtf8() + "\",\"password\":\"guess " +
                                  QByteArray::number(i) + " of forty\"}",
                              {{"Content-Type", "application/json"},
                               {"X-Forwarded-For", "198.51.100." + QByteArray::number(i + 1)}}};
        });
        int checked = 0;
        int limited = 0;
        for (const auto& reply : replies) {
            checked += reply.status == 401;
            limited += reply.status == 429;
        }
        QCOMPARE(checked, 10);
        QCOMPARE(limited, 30);
    }

    // 50 identical sign-ups at the same moment (each from its own address, so the per-address
    // limit does not stand between them): one account, one session; every other one is told
    // the account exists (409), none meets a server error.
    void concurrentIdenticalSignUpsMakeOneAccount() {
        const auto replies = sendConcurrently(server_.baseUrl(), 50, [](int i) {
            return RawRequest{"POST",
                              "/api/auth/register",
                              R"({"username":"twintom","email":"twin@example.com",)"
                              R"("password":"the same long password"})",
                              {{"Content-Type", "application/json"},
                               {"X-Forwarded-For", "203.0.113." + QByteArray::number(i + 1)}}};
        });
        int created = 0;
        int taken = 0;
        for (const auto& reply : replies) {
            created += reply.status == 201;
            // Whichever unique index the database checks first names what is taken.
            taken += reply.status == 409 &&
                     (errorCode(reply) == "username_taken" || errorCode(reply) == "email_taken");
        }
        QCOMPARE(created, 1);
        QCOMPARE(taken, 49);
        QCOMPARE(psql(dataDir_, "SELECT count(*) FROM users WHERE username_norm = 'twintom'"),
                 QString("1"));
        QCOMPARE(psql(dataDir_, "SELECT count(*) FROM auth_sessions s JOIN users u ON u.id = "
                                "s.user_id WHERE u.username_norm = 'twintom'"),
                 QString("1"));
    }

    void concurrentResetRequestsQueueAtMostTheLimitOfMails() {
        HttpClient owner(server_.baseUrl());
        const QString name = signUp(owner);
        const QByteArray email = name.toUtf8() + "@example.com";
        const QList<QByteArray> aliases = {email, email.toUpper(), " " + email + " "};
        const auto replies = sendConcurrently(server_.baseUrl(), 12, [&](int i) {
            return RawRequest{"POST",
                              "/api/auth/forgot",
                              "{\"email\":\"" + aliases[i % aliases.size()] + "\"}",
                              {{"Content-Type", "application/json"},
                               {"X-Forwarded-For", "203.0.113." + QByteArray::number(i + 1)}}};
        });
        int accepted = 0;
        for (const auto& reply : replies)
            accepted += reply.status == 202;
        QCOMPARE(accepted, 3); // forgotPerAccount: 3 an hour, whatever spelling of the address
        const QString outbox = runServerCli({"outbox", "--data-dir", dataDir_}).out;
        QCOMPARE(outbox.count("To: " + QString::fromUtf8(email)), 3);
    }

    void suspendedSignInDoesNotTellRightFromWrongPassword() {
        HttpClient admin(server_.baseUrl());
        QVERIFY(signInNewAdmin(admin, "warden"));
        HttpClient member(server_.baseUrl());
        const QString name = signUp(member);
        const QString id = QString::number(user(member.get("/api/me")).value("id").toInteger());
        QCOMPARE(admin.postJson("/api/admin/users/" + id + "/suspend", {}).status, 200);
        HttpClient guesser(server_.baseUrl());
        const auto right = guesser.postJson(
            "/api/auth/login", {{"login", name}, {"password", "correct horse battery"}});
        const auto wrong =
            guesser.postJson("/api/auth/login", {{"login", name}, {"password", "wrong password"}});
        QCOMPARE(right.status, wrong.status);
        QCOMPARE(right.body, wrong.body);
        QCOMPARE(errorCode(wrong), QString("account_suspended"));
    }

    void adminSearchTreatsWildcardsAsText() {
        HttpClient admin(server_.baseUrl());
        QVERIFY(signInNewAdmin(admin, "searcher"));
        HttpClient someone(server_.baseUrl());
        QCOMPARE(someone
                     .postJson("/api/auth/register", {{"username", "wild_card"},
                                                      {"email", "wild_card@example.com"},
                                                      {"password", "correct horse battery"}})
                     .status,
                 201);
        const auto names = [&](const QString& search) {
            QStringList out;
            const auto reply = admin.get("/api/admin/users?search=" + search);
            for (const auto& u : reply.json().object().value("users").toArray())
                out << u.toObject().value("username").toString();
            return out;
        };
        QCOMPARE(names("_"), QStringList{"wild_card"}); // not everyone with one character
        QCOMPARE(names("%25"), QStringList{});
        QCOMPARE(names("%5C"), QStringList{});
        QCOMPARE(names("d_c"), QStringList{"wild_card"});
        QCOMPARE(names("dxc"), QStringList{});
        QCOMPARE(admin.get("/api/admin/users?search=wild%00").status, 400);
    }

    void rateLimitsSignInsPerAddress() {
        QTemporaryDir tmp;
        ServerProcess server;
        QVERIFY2(server.start(serverReachable(tmp) + "/data"), qPrintable(server.log()));
        HttpClient client(server.baseUrl());
        int first429 = -1;
        for (int i = 0; i < 70 && first429 < 0; ++i) {
            const auto reply =
                client.postJson("/api/auth/login", {{"login", QString("ghost%1").arg(i)},
                                                    {"password", "whatever123"}});
            if (reply.status == 429)
                first429 = i;
            else
                QCOMPARE(reply.status, 401);
        }
        QCOMPARE(first429, 60);
        // Behind nginx on this host (a trusted proxy by default) each client has its own
        // budget: the address comes from X-Forwarded-For, and the log shows it.
        const QList<QPair<QByteArray, QByteArray>> viaProxy{{"X-Forwarded-For", "203.0.113.7"}};
        const QByteArray login = "{\"login\":\"ghost\",\"password\":\"whatever123\"}";
        QCOMPARE(client.send("POST", "/api/auth/login", login, "application/json", viaProxy).status,
                 401);
        // The request's log line is written after its response has gone out.
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         return server.log().contains("/api/auth/login 401") &&
                                server.log().contains("203.0.113.7");
                     },
                     10000),
                 qPrintable(server.log().right(500)));
        QCOMPARE(server.stop(), 0);

        // With no trusted proxy the header is the client's own claim and changes nothing.
        ServerProcess strict;
        QVERIFY2(strict.start(tmp.path() + "/data", {"--trusted-proxies", "none"}),
                 qPrintable(strict.log()));
        HttpClient spoofer(strict.baseUrl());
        int strict429 = -1;
        for (int i = 0; i < 70 && strict429 < 0; ++i) {
            const QList<QPair<QByteArray, QByteArray>> spoofed{
                {"X-Forwarded-For", QByteArray("198.51.100.") + QByteArray::number(i)}};
            const QByteArray attempt =
                "{\"login\":\"ghost" + QByteArray::number(i) + "\",\"password\":\"whatever123\"}";
            if (spoofer.send("POST", "/api/auth/login", attempt, "application/json", spoofed)
                    .status == 429)
                strict429 = i;
        }
        QCOMPARE(strict429, 60);
        QCOMPARE(strict.stop(), 0);
    }

    void passwordResetIsSingleUseAndExpires() {
        HttpClient browser(server_.baseUrl());
        const QString name = signUp(browser);
        const QString email = name + "@example.com";
        HttpClient stranger(server_.baseUrl());
        const auto unknown =
            stranger.postJson("/api/auth/forgot", {{"email", "nobody@example.com"}});
        const auto asked = stranger.postJson("/api/auth/forgot", {{"email", email.toUpper()}});
        QCOMPARE(unknown.status, 202);
        QCOMPARE(asked.status, 202);
        QCOMPARE(unknown.body, asked.body); // does not tell whether the address has an account
        QVERIFY(
            server_.log().contains("queued for u***@example.com")); // masked, no link in the log
        QVERIFY(!server_.log().contains("token="));

        const QString token = latestResetToken(email);
        QVERIFY2(!token.isEmpty(), "no reset mail in the outbox");
        const auto reset = stranger.postJson(
            "/api/auth/reset", {{"token", token}, {"new_password", "a brand new password"}});
        QCOMPARE(reset.status, 200);
        QCOMPARE(browser.get("/api/me").status, 401); // reset signs out everywhere
        QCOMPARE(stranger
                     .postJson("/api/auth/login",
                               {{"login", name}, {"password", "correct horse battery"}})
                     .status,
                 401);
        QCOMPARE(stranger
                     .postJson("/api/auth/login",
                               {{"login", name}, {"password", "a brand new password"}})
                     .status,
                 200);
        const auto again = stranger.postJson(
            "/api/auth/reset", {{"token", token}, {"new_password", "yet another password"}});
        QCOMPARE(again.status, 400);
        QCOMPARE(errorCode(again), QString("invalid_reset_token"));

        // A link older than an hour no longer works.
        QCOMPARE(stranger.postJson("/api/auth/forgot", {{"email", email}}).status, 202);
        const QString late = latestResetToken(email);
        QVERIFY(!late.isEmpty() && late != token);
        psql(dataDir_, "UPDATE password_resets SET expires_at = now() - interval '1 minute' "
                       "WHERE used_at IS NULL");
        const auto expired = stranger.postJson(
            "/api/auth/reset", {{"token", late}, {"new_password", "too late password"}});
        QCOMPARE(expired.status, 400);
        QCOMPARE(errorCode(expired), QString("invalid_reset_token"));
        QCOMPARE(psql(dataDir_,
                      "SELECT count(*) FROM password_resets WHERE token_hash = '" + late + "'"),
                 QString("0"));
    }

    void passwordChangeRevokesOtherSessions() {
        HttpClient laptop(server_.baseUrl());
        const QString name = signUp(laptop);
        HttpClient phone(server_.baseUrl());
        QCOMPARE(phone
                     .postJson("/api/auth/login",
                               {{"login", name}, {"password", "correct horse battery"}})
                     .status,
                 200);
        HttpClient studio(server_.baseUrl());
        const auto token = studio.postJson(
            "/api/auth/tokens", {{"login", name}, {"password", "correct horse battery"}});
        QCOMPARE(token.status, 201);
        studio.setBearer(token.json().object().value("token").toString().toUtf8());
        QCOMPARE(studio.get("/api/me").status, 200);

        const auto wrong =
            laptop.postJson("/api/auth/password", {{"current_password", "not my password"},
                                                   {"new_password", "changed password 1"}});
        QCOMPARE(wrong.status, 403);
        const auto changed =
            laptop.postJson("/api/auth/password", {{"current_password", "correct horse battery"},
                                                   {"new_password", "changed password 1"}});
        QCOMPARE(changed.status, 200);
        QCOMPARE(laptop.get("/api/me").status, 200);
        QCOMPARE(phone.get("/api/me").status, 401);
        QCOMPARE(studio.get("/api/me").status, 401);
    }

    void csrfProtectsCookieRequests() {
        HttpClient browser(server_.baseUrl());
        signUp(browser);
        browser.setSendCsrf(false);
        browser.setOrigin("https://evil.example");
        const auto foreign = browser.postJson("/api/me/creator", {});
        QCOMPARE(foreign.status, 403);
        QCOMPARE(errorCode(foreign), QString("csrf_failed"));
        browser.setOrigin({});
        QCOMPARE(browser.postJson("/api/me/creator", {}).status, 403); // neither token nor Origin
        browser.setOrigin(server_.baseUrl().toUtf8());
        QCOMPARE(browser.postJson("/api/me/creator", {}).status, 200); // same-origin Origin
        browser.setOrigin({});
        browser.setSendCsrf(true);
        const auto withToken = browser.postJson("/api/me/creator", {});
        QCOMPARE(withToken.status, 200);
        QVERIFY(user(withToken).value("roles").toArray().contains("creator"));
        // Signing in from a foreign page is refused too (login CSRF).
        HttpClient lured(server_.baseUrl());
        lured.setOrigin("https://evil.example");
        QCOMPARE(lured.postJson("/api/auth/login", {{"login", "x"}, {"password", "y"}}).status,
                 403);
    }

    void bearerTokensAreListedAndRevocable() {
        HttpClient browser(server_.baseUrl());
        const QString name = signUp(browser);
        HttpClient studio(server_.baseUrl());
        const auto created =
            studio.postJson("/api/auth/tokens", {{"login", name},
                                                 {"password", "correct horse battery"},
                                                 {"label", "Studio on my laptop"}});
        QCOMPARE(created.status, 201);
        const QString token = created.json().object().value("token").toString();
        QVERIFY(token.startsWith("rgt_"));
        studio.setBearer(token.toUtf8());
        const auto me = studio.get("/api/me");
        QCOMPARE(me.status, 200);
        QCOMPARE(me.json().object().value("session").toObject().value("kind").toString(),
                 QString("token"));
        QVERIFY(!me.json().object().contains("csrf_token"));
        QCOMPARE(studio.postJson("/api/me/creator", {}).status, 200); // bearer: no CSRF needed

        const auto list = browser.get("/api/auth/tokens");
        QCOMPARE(list.status, 200);
        const QJsonArray tokens = list.json().object().value("tokens").toArray();
        QCOMPARE(tokens.size(), 1);
        QCOMPARE(tokens[0].toObject().value("label").toString(), QString("Studio on my laptop"));
        const QString id = QString::number(tokens[0].toObject().value("id").toInteger());

        HttpClient someoneElse(server_.baseUrl());
        signUp(someoneElse);
        QCOMPARE(someoneElse.del("/api/auth/tokens/" + id).status, 404); // not theirs
        QCOMPARE(browser.del("/api/auth/tokens/" + id).status, 204);
        const auto revoked = studio.get("/api/me");
        QCOMPARE(revoked.status, 401);
        QCOMPARE(errorCode(revoked), QString("invalid_token"));
        studio.setBearer("rgt_made_up_token_made_up_token_made_up");
        QCOMPARE(studio.get("/api/me").status, 401);
    }

    void signOutRevokesTheStudioToken() {
        HttpClient browser(server_.baseUrl());
        const QString name = signUp(browser);
        HttpClient studio(server_.baseUrl());
        const auto created = studio.postJson(
            "/api/auth/tokens", {{"login", name}, {"password", "correct horse battery"}});
        studio.setBearer(created.json().object().value("token").toString().toUtf8());
        QCOMPARE(studio.postJson("/api/auth/logout", {}).status, 204);
        QCOMPARE(studio.get("/api/me").status, 401);
    }

    void sessionsEndAfterIdleAndAbsoluteExpiry() {
        HttpClient idle(server_.baseUrl());
        const QString idleName = signUp(idle);
        HttpClient old(server_.baseUrl());
        const QString oldName = signUp(old);
        QCOMPARE(idle.get("/api/me").status, 200);
        // Eight days without use (browser idle limit: 7 days) ...
        psql(dataDir_, "UPDATE auth_sessions SET last_seen_at = now() - interval '8 days' WHERE "
                       "user_id = (SELECT id FROM users WHERE username = '" +
                           idleName + "')");
        // (The database change reaches the server's sign-in cache as a notification.)
        QVERIFY(eventually([&] { return idle.get("/api/me").status == 401; }));
        // ... or past the absolute expiry, however recently used.
        psql(dataDir_, "UPDATE auth_sessions SET expires_at = now() - interval '1 second' WHERE "
                       "user_id = (SELECT id FROM users WHERE username = '" +
                           oldName + "')");
        QVERIFY(eventually([&] { return old.get("/api/me").status == 401; }));
    }

    void httpsPublicUrlMakesCookiesSecureAndLinksPublic() {
        QTemporaryDir tmp;
        const QString dataDir = serverReachable(tmp) + "/data";
        ServerProcess server;
        QVERIFY2(server.start(dataDir, {"--public-url", "https://videos.example.org/"}),
                 qPrintable(server.log()));
        HttpClient browser(server.baseUrl());
        const auto reply =
            browser.postJson("/api/auth/register", {{"username", "secure1"},
                                                    {"email", "s1@example.com"},
                                                    {"password", "secure password"}});
        QCOMPARE(reply.status, 201);
        for (const auto& [name, value] : reply.headers) {
            if (name.compare("Set-Cookie", Qt::CaseInsensitive) == 0)
                QVERIFY2(value.contains("; Secure"), value.constData());
        }
        // The same-origin check accepts the public origin (requests arrive through a proxy).
        HttpClient proxied(server.baseUrl());
        proxied.setOrigin("https://videos.example.org");
        QCOMPARE(proxied
                     .postJson("/api/auth/login",
                               {{"login", "secure1"}, {"password", "secure password"}})
                     .status,
                 200);
        QCOMPARE(browser.postJson("/api/auth/forgot", {{"email", "s1@example.com"}}).status, 202);
        const auto outbox = runServerCli({"outbox", "--data-dir", dataDir});
        QVERIFY2(outbox.out.contains("https://videos.example.org/reset#token="),
                 qPrintable(outbox.out));
        QCOMPARE(server.stop(), 0);
    }

    void httpTwinOfAnHttpsSiteIsAnotherOrigin() {
        QTemporaryDir tmp;
        ServerProcess server;
        QVERIFY2(server.start(serverReachable(tmp) + "/data",
                              {"--public-url", "https://videos.example.org/"}),
                 qPrintable(server.log()));
        const QByteArray host = QUrl(server.baseUrl()).authority().toLatin1();
        const QByteArray account = "{\"username\":\"twin\",\"email\":\"twin@example.com\","
                                   "\"password\":\"correct horse battery\"}";
        HttpClient fromHttp(server.baseUrl());
        const auto refused = fromHttp.send("POST", "/api/auth/register", account,
                                           "application/json", {{"Origin", "http://" + host}});
        QCOMPARE(refused.status, 403);
        QCOMPARE(errorCode(refused), QString("csrf_failed"));
        HttpClient fromHttps(server.baseUrl());
        QCOMPARE(fromHttps
                     .send("POST", "/api/auth/register", account, "application/json",
                           {{"Origin", "https://" + host}})
                     .status,
                 201);
        QCOMPARE(server.stop(), 0);
    }

    void adminsAreMadeOnTheCommandLineAndCanSuspend() {
        // The first admin: only on the server's command line (while the server runs).
        const auto weak =
            runServerCli({"admin", "create", "chief", "chief@example.com", "--data-dir", dataDir_},
                         60000, "short\n");
        QCOMPARE(weak.exitCode, 1);
        QVERIFY2(weak.err.contains("at least 10 characters"), qPrintable(weak.err));
        const auto made =
            runServerCli({"admin", "create", "chief", "chief@example.com", "--data-dir", dataDir_},
                         60000, "chief secret password\n");
        QCOMPARE(made.exitCode, 0);
        QVERIFY2(made.out.contains("admin account 'chief' created"),
                 qPrintable(made.out + made.err));

        HttpClient admin(server_.baseUrl());
        QCOMPARE(admin
                     .postJson("/api/auth/login",
                               {{"login", "chief"}, {"password", "chief secret password"}})
                     .status,
                 200);
        QVERIFY(user(admin.get("/api/me")).value("roles").toArray().contains("admin"));

        HttpClient member(server_.baseUrl());
        const QString name = signUp(member);
        QCOMPARE(member.get("/api/admin/users").status, 403); // not an admin
        const auto listed = admin.get("/api/admin/users?search=" + name);
        QCOMPARE(listed.status, 200);
        const QJsonArray users = listed.json().object().value("users").toArray();
        QCOMPARE(users.size(), 1);
        const QString id = QString::number(users[0].toObject().value("id").toInteger());

        const auto suspended = admin.postJson("/api/admin/users/" + id + "/suspend", {});
        QCOMPARE(suspended.status, 200);
        QCOMPARE(user(suspended).value("status").toString(), QString("suspended"));
        QCOMPARE(member.get("/api/me").status, 401); // its session stopped working
        HttpClient retry(server_.baseUrl());
        const auto refused = retry.postJson(
            "/api/auth/login", {{"login", name}, {"password", "correct horse battery"}});
        QCOMPARE(refused.status, 403);
        QCOMPARE(errorCode(refused), QString("account_suspended"));

        QCOMPARE(admin.postJson("/api/admin/users/" + id + "/reinstate", {}).status, 200);
        QCOMPARE(retry
                     .postJson("/api/auth/login",
                               {{"login", name}, {"password", "correct horse battery"}})
                     .status,
                 200);

        const auto granted =
            admin.postJson("/api/admin/users/" + id + "/roles", {{"creator", true}});
        QCOMPARE(granted.status, 200);
        QVERIFY(user(granted).value("roles").toArray().contains("creator"));
        QCOMPARE(admin.postJson("/api/admin/users/" + id + "/roles", {{"admin", "yes"}}).status,
                 400);
        const QString self = QString::number(user(admin.get("/api/me")).value("id").toInteger());
        QCOMPARE(admin.postJson("/api/admin/users/" + self + "/suspend", {}).status, 409);
        QCOMPARE(admin.postJson("/api/admin/users/999999/suspend", {}).status, 404);
    }
};

QTEST_GUILESS_MAIN(TestAccounts)
#include "tst_accounts.moc"
