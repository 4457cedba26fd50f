// Server configuration: flags, REELGATE_* environment variables, and their errors.

#include "app/Config.h"

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

    void badEnvironmentIsNamed() {
        auto parsed = parseConfig({}, envOf({{"REELGATE_LOG_LEVEL", "chatty"}}));
        QVERIFY(std::holds_alternative<CliOutcome>(parsed));
        QVERIFY(std::get<CliOutcome>(parsed).text.find("REELGATE_LOG_LEVEL") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestServerConfig)
#include "tst_serverconfig.moc"
