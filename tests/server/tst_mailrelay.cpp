// Mail through SMTP: the real server sends a password-reset mail to an SMTP peer.
// The peer is a stand-in for the operator's mail relay (a remote service this machine cannot
// reach): a minimal SMTP server run by this test with QTcpServer. It offers AUTH PLAIN but no
// STARTTLS (as when a man in the middle strips it): with credentials set, the server must then
// refuse to send rather than put the password on the wire in clear.

#include "HttpClient.h"
#include "ServerProcess.h"

#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace reelgate::test;

// Speaks enough ESMTP for one client at a time; records each message and the AUTH it got.
class SmtpStandIn : public QObject {
public:
    QStringList messages;
    QStringList recipients;
    QByteArray authPlain;
    QByteArrayList verbs; // every command received
    bool stall = false;   // accept connections but never greet
    int connections = 0;

    bool listen() {
        connect(&server_, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = server_.nextPendingConnection())
                serve(socket);
        });
        return server_.listen(QHostAddress::LocalHost, 0);
    }
    quint16 port() const { return server_.serverPort(); }

private:
    void serve(QTcpSocket* socket) {
        ++connections;
        if (stall)
            return; // the socket stays open, silent, until the test closes the server
        auto* buffer = new QByteArray;
        auto* inData = new bool(false);
        auto* inAuth = new bool(false);
        socket->write("220 stand-in ESMTP\r\n");
        connect(socket, &QTcpSocket::readyRead, socket, [=, this] {
            buffer->append(socket->readAll());
            while (true) {
                if (*inData) {
                    const int end = buffer->indexOf("\r\n.\r\n");
                    if (end < 0)
                        return;
                    messages.append(QString::fromUtf8(buffer->left(end)));
                    buffer->remove(0, end + 5);
                    *inData = false;
                    socket->write("250 queued\r\n");
                    continue;
                }
                const int eol = buffer->indexOf("\r\n");
                if (eol < 0)
                    return;
                const QByteArray line = buffer->left(eol);
                buffer->remove(0, eol + 2);
                const QByteArray verb = line.left(4).toUpper();
                verbs.append(verb);
                if (*inAuth) { // the credentials after "334"
                    authPlain = QByteArray::fromBase64(line);
                    *inAuth = false;
                    socket->write("235 ok\r\n");
                } else if (verb == "EHLO")
                    socket->write("250-stand-in\r\n250 AUTH PLAIN\r\n");
                else if (verb == "AUTH") {
                    const QByteArray initial = line.split(' ').value(2);
                    if (initial.isEmpty()) {
                        *inAuth = true;
                        socket->write("334 \r\n");
                    } else {
                        authPlain = QByteArray::fromBase64(initial);
                        socket->write("235 ok\r\n");
                    }
                } else if (verb == "RCPT") {
                    recipients.append(QString::fromLatin1(line));
                    socket->write("250 ok\r\n");
                } else if (verb == "DATA") {
                    *inData = true;
                    socket->write("354 go on\r\n");
                } else if (verb == "QUIT") {
                    socket->write("221 bye\r\n");
                    socket->disconnectFromHost();
                    return;
                } else
                    socket->write("250 ok\r\n");
            }
        });
        connect(socket, &QTcpSocket::disconnected, socket, [=] {
            delete buffer;
            delete inData;
            delete inAuth;
            socket->deleteLater();
        });
    }

public:
    void closeAll() {
        for (QTcpSocket* socket : server_.findChildren<QTcpSocket*>())
            socket->abort();
        server_.close();
    }

private:
    QTcpServer server_;
};

// Signs up `name` and asks for a password-reset mail for them (the mail the relay carries).
bool askForReset(ServerProcess& server, const QString& name) {
    HttpClient browser(server.baseUrl());
    const QString email = name + "@example.com";
    return browser.postJson(
                      "/api/auth/register",
                      {{"username", name}, {"email", email}, {"password", name + " password 1"}})
                   .status == 201 &&
           browser.postJson("/api/auth/forgot", {{"email", email}}).status == 202;
}

class TestMailRelay : public QObject {
    Q_OBJECT

private slots:
    void resetMailGoesOutThroughSmtp() {
        SmtpStandIn smtp;
        QVERIFY(smtp.listen());
        QTemporaryDir tmp;
        const QString dataDir = serverReachable(tmp) + "/data";
        ServerProcess server;
        // No credentials: a relay that trusts this host may take mail without TLS.
        const bool started =
            server.start(dataDir, {"--smtp-url", QString("smtp://127.0.0.1:%1").arg(smtp.port()),
                                   "--mail-from", "Reelgate <no-reply@reelgate.example>"});
        QVERIFY2(started, qPrintable(server.log()));

        QVERIFY(askForReset(server, "mailee"));

        QVERIFY2(QTest::qWaitFor([&] { return !smtp.messages.isEmpty(); }, 20000),
                 qPrintable(server.log()));
        const QString message = smtp.messages.first();
        QVERIFY(message.contains("To: mailee@example.com"));
        QVERIFY(message.contains("From: Reelgate <no-reply@reelgate.example>"));
        QVERIFY(message.contains("Subject: Reset your Reelgate password"));
        QCOMPARE(smtp.recipients, QStringList{"RCPT TO:<mailee@example.com>"});
        QVERIFY(!smtp.verbs.contains("AUTH"));
        const auto link = QRegularExpression("/reset#token=([A-Za-z0-9_-]+)").match(message);
        QVERIFY(link.hasMatch());

        HttpClient stranger(server.baseUrl());
        QCOMPARE(stranger
                     .postJson("/api/auth/reset",
                               {{"token", link.captured(1)}, {"new_password", "mailee password 2"}})
                     .status,
                 200);
        QVERIFY(QTest::qWaitFor([&] { return server.log().contains("sent to m***@example.com"); },
                                5000));
        QVERIFY(!server.log().contains(link.captured(1)));
        QCOMPARE(runServerCli({"outbox", "--data-dir", dataDir}).out.trimmed(),
                 QString("no mail waiting"));
        QCOMPARE(server.stop(), 0);
    }

    void credentialsNeverTravelInClear() {
        SmtpStandIn smtp;
        QVERIFY(smtp.listen());
        QTemporaryDir tmp;
        const QString dataDir = serverReachable(tmp) + "/data";
        ServerProcess server;
        qputenv("REELGATE_SMTP_PASSWORD", "relay-secret");
        const bool started = server.start(
            dataDir, {"--smtp-url", QString("smtp://127.0.0.1:%1").arg(smtp.port()), "--smtp-user",
                      "reelgate", "--mail-from", "Reelgate <no-reply@reelgate.example>"});
        qunsetenv("REELGATE_SMTP_PASSWORD");
        QVERIFY2(started, qPrintable(server.log()));
        QVERIFY(askForReset(server, "plainly"));
        QVERIFY2(QTest::qWaitFor([&] { return server.log().contains("not sent"); }, 30000),
                 qPrintable(server.log()));
        QVERIFY2(server.log().contains("offers no TLS"), qPrintable(server.log()));
        QVERIFY2(!smtp.verbs.contains("AUTH"), smtp.verbs.join(' ').constData());
        QVERIFY(smtp.authPlain.isEmpty());
        QVERIFY(smtp.messages.isEmpty());
        QVERIFY(!server.log().contains("relay-secret"));
        QCOMPARE(server.stop(), 0);
    }

    void noTransactionStaysOpenWhileTalkingSmtp() {
        SmtpStandIn smtp;
        smtp.stall = true;
        QVERIFY(smtp.listen());
        QTemporaryDir tmp;
        const QString dataDir = serverReachable(tmp) + "/data";
        ServerProcess server;
        QVERIFY2(
            server.start(dataDir, {"--smtp-url", QString("smtp://127.0.0.1:%1").arg(smtp.port())}),
            qPrintable(server.log()));
        QVERIFY(askForReset(server, "waiter"));
        QVERIFY(QTest::qWaitFor([&] { return smtp.connections > 0; }, 20000));
        // The relay now waits for a greeting that never comes; the database must not wait
        // with it (no open transaction, no locked outbox rows).
        QCOMPARE(psql(dataDir, "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                               "'reelgate' AND state LIKE 'idle in transaction%'"),
                 QString("0"));
        smtp.closeAll();
        QCOMPARE(server.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(TestMailRelay)
#include "tst_mailrelay.moc"
