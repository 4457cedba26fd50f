// Mail through SMTP: the real server sends a password-reset mail to an SMTP peer.
// The peer is a stand-in for the operator's mail relay (a remote service this machine cannot
// reach): a minimal SMTP server run by this test with QTcpServer, requiring AUTH PLAIN.

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

    QTcpServer server_;
};

class TestMailRelay : public QObject {
    Q_OBJECT

private slots:
    void resetMailGoesOutThroughSmtp() {
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

        HttpClient browser(server.baseUrl());
        QCOMPARE(browser
                     .postJson("/api/auth/register", {{"username", "mailee"},
                                                      {"email", "mailee@example.com"},
                                                      {"password", "mailee password 1"}})
                     .status,
                 201);
        QCOMPARE(browser.postJson("/api/auth/forgot", {{"email", "mailee@example.com"}}).status,
                 202);

        QVERIFY2(QTest::qWaitFor([&] { return !smtp.messages.isEmpty(); }, 20000),
                 qPrintable(server.log()));
        const QString message = smtp.messages.first();
        QVERIFY(message.contains("To: mailee@example.com"));
        QVERIFY(message.contains("From: Reelgate <no-reply@reelgate.example>"));
        QVERIFY(message.contains("Subject: Reset your Reelgate password"));
        QCOMPARE(smtp.recipients, QStringList{"RCPT TO:<mailee@example.com>"});
        QCOMPARE(smtp.authPlain, QByteArray("\0reelgate\0relay-secret", 22));
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
        QVERIFY(!server.log().contains("relay-secret"));
        QVERIFY(!server.log().contains(link.captured(1)));
        QCOMPARE(runServerCli({"outbox", "--data-dir", dataDir}).out.trimmed(),
                 QString("no mail waiting"));
        QCOMPARE(server.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(TestMailRelay)
#include "tst_mailrelay.moc"
