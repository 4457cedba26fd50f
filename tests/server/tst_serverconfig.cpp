// Server configuration: flags, REELGATE_* environment variables, and their errors.

#include "app/Config.h"
#include "http/TrustedProxies.h"

#include <QTest>

#include <map>

using namespace reelgate::server;

namespace {

EnvLookup envOf(std::map<std::string, std::string> vars) {
    return [vars](const std::string& name) -> std::optional<std::string> {
        auto it = vars.find(name);
        if (it == vars.end())
            return std::nullopt;
        return it->second;
    };
}

} // namespace

class TestServerConfig : public QObject {
    Q_OBJECT

private slots:
    void defaults() {
        auto parsed = parseConfig({}, envOf({{"HOME", "/home/ana"}}));
        QVERIFY(std::holds_alternative<Config>(parsed));
        const auto& config = std::get<Config>(parsed);
        QCOMPARE(config.listen.host, std::string("127.0.0.1"));
        QCOMPARE(config.listen.port, 8080);
        QVERIFY(config.databaseUrl.empty());
        QVERIFY(!config.dataDir.empty());
    }

    void flagsBeatEnvironment() {
        auto parsed = parseConfig({"--listen", "0.0.0.0:9000", "--log-level=debug"},
                                  envOf({{"REELGATE_LISTEN", "127.0.0.1:7000"},
                                         {"REELGATE_DATABASE_URL", "postgresql://db/x"},
                                         {"REELGATE_DATA_DIR", "/srv/reelgate"}}));
        QVERIFY(std::holds_alternative<Config>(parsed));
        const auto& config = std::get<Config>(parsed);
        QCOMPARE(config.listen.host, std::string("0.0.0.0"));
        QCOMPARE(config.listen.port, 9000);
        QCOMPARE(config.databaseUrl, std::string("postgresql://db/x"));
        QCOMPARE(config.dataDir.string(), std::string("/srv/reelgate"));
        QVERIFY(config.logLevel == LogLevel::Debug);
    }

    void listenAddresses_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::newRow("ipv4") << "127.0.0.1:8080" << true << "127.0.0.1" << 8080;
        QTest::newRow("any port") << "127.0.0.1:0" << true << "127.0.0.1" << 0;
        QTest::newRow("ipv6") << "[::1]:443" << true << "::1" << 443;
        QTest::newRow("name") << "localhost:80" << true << "localhost" << 80;
        QTest::newRow("no port") << "127.0.0.1" << false << "" << 0;
        QTest::newRow("port too big") << "127.0.0.1:70000" << false << "" << 0;
        QTest::newRow("no host") << ":8080" << false << "" << 0;
        QTest::newRow("junk port") << "127.0.0.1:80x" << false << "" << 0;
    }
    void listenAddresses() {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        auto address = parseListenAddress(text.toStdString());
        QCOMPARE(address.has_value(), valid);
        if (valid) {
            QFETCH(QString, host);
            QFETCH(int, port);
            QCOMPARE(QString::fromStdString(address->host), host);
            QCOMPARE(address->port, port);
        }
    }

    void errors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown flag") << QStringList{"--frobnicate"} << "unknown option";
        QTest::newRow("missing value") << QStringList{"--data-dir"} << "needs a value";
        QTest::newRow("bad level") << QStringList{"--log-level", "loud"} << "unknown log level";
        QTest::newRow("bad threads") << QStringList{"--http-threads", "0"} << "thread count";
        QTest::newRow("tiny body") << QStringList{"--max-body-bytes", "10"} << "byte count";
        QTest::newRow("proxy not an address")
            << QStringList{"--trusted-proxies", "10.0.0.0/8,nginx"} << "'nginx' is not an IP";
        QTest::newRow("proxy prefix too long")
            << QStringList{"--trusted-proxies", "10.0.0.0/33"} << "prefix length outside 0-32";
    }
    void errors() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        std::vector<std::string> argv;
        for (const auto& a : args)
            argv.push_back(a.toStdString());
        auto parsed = parseConfig(argv, envOf({}));
        QVERIFY(std::holds_alternative<CliOutcome>(parsed));
        const auto& outcome = std::get<CliOutcome>(parsed);
        QCOMPARE(outcome.exitCode, 2);
        QVERIFY2(QString::fromStdString(outcome.text).contains(message), outcome.text.c_str());
    }

    // Behind a proxy the client is the right-most X-Forwarded-For hop that is not a trusted
    // proxy; a peer that is not trusted cannot choose its address with the header.
    void clientAddressBehindProxies_data() {
        QTest::addColumn<QString>("trusted");
        QTest::addColumn<QString>("peer");
        QTest::addColumn<QStringList>("forwardedFor");
        QTest::addColumn<QString>("client");
        QTest::newRow("nginx on this host")
            << "loopback"
            << "127.0.0.1" << QStringList{"203.0.113.7"} << "203.0.113.7";
        QTest::newRow("ipv6 loopback") << "loopback"
                                       << "::1" << QStringList{"2001:db8::5"} << "2001:db8::5";
        QTest::newRow("no header") << "loopback"
                                   << "127.0.0.1" << QStringList{} << "127.0.0.1";
        QTest::newRow("untrusted peer cannot spoof")
            << "loopback"
            << "198.51.100.9" << QStringList{"203.0.113.7"} << "198.51.100.9";
        QTest::newRow("client's own header is not believed")
            << "loopback"
            << "127.0.0.1" << QStringList{"6.6.6.6, 203.0.113.7"} << "203.0.113.7";
        QTest::newRow("chain of trusted proxies")
            << "127.0.0.1, 10.0.0.0/8"
            << "127.0.0.1" << QStringList{"203.0.113.7, 10.1.2.3"} << "203.0.113.7";
        QTest::newRow("several headers in order")
            << "loopback,10.0.0.0/8"
            << "127.0.0.1" << QStringList{"203.0.113.7", "10.0.0.2"} << "203.0.113.7";
        QTest::newRow("malformed hop stops the walk")
            << "loopback,10.0.0.0/8"
            << "127.0.0.1" << QStringList{"unknown, 10.0.0.2"} << "10.0.0.2";
        QTest::newRow("all trusted") << "loopback"
                                     << "127.0.0.1" << QStringList{"127.0.0.2"} << "127.0.0.2";
        QTest::newRow("none") << "none"
                              << "127.0.0.1" << QStringList{"203.0.113.7"} << "127.0.0.1";
        QTest::newRow("prefix boundary")
            << "192.168.4.0/22"
            << "192.168.8.1" << QStringList{"203.0.113.7"} << "192.168.8.1";
        QTest::newRow("inside prefix")
            << "192.168.4.0/22"
            << "192.168.7.255" << QStringList{"203.0.113.7"} << "203.0.113.7";
    }
    void clientAddressBehindProxies() {
        QFETCH(QString, trusted);
        QFETCH(QString, peer);
        QFETCH(QStringList, forwardedFor);
        QFETCH(QString, client);
        std::string error;
        const auto proxies = http::TrustedProxies::parse(trusted.toStdString(), &error);
        QVERIFY2(proxies.has_value(), error.c_str());
        std::vector<std::string> headers;
        for (const QString& h : forwardedFor)
            headers.push_back(h.toStdString());
        QCOMPARE(QString::fromStdString(proxies->clientAddress(peer.toStdString(), headers)),
                 client);
    }

    void badEnvironmentIsNamed() {
        auto parsed = parseConfig({}, envOf({{"REELGATE_LOG_LEVEL", "chatty"}}));
        QVERIFY(std::holds_alternative<CliOutcome>(parsed));
        QVERIFY(std::get<CliOutcome>(parsed).text.find("REELGATE_LOG_LEVEL") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestServerConfig)
#include "tst_serverconfig.moc"
