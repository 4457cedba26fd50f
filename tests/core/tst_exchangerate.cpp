// Unit tests for reelgate::core::ExchangeRate: exact decimal rates and integer conversion into
// the quote currency's minor units.

#include <reelgate/core/ExchangeRate.h>
#include <reelgate/core/InvalidInput.h>

#include <QtTest>

using reelgate::core::Currency;
using reelgate::core::ExchangeRate;
using reelgate::core::InvalidInput;
using reelgate::core::Money;

class TestExchangeRate : public QObject {
    Q_OBJECT
private slots:
    void convert_data() {
        QTest::addColumn<QString>("base");
        QTest::addColumn<QString>("quote");
        QTest::addColumn<QString>("rate");
        QTest::addColumn<qint64>("amountMinor");
        QTest::addColumn<qint64>("expectedMinor");
        // IDR has 2 minor digits in ISO 4217.
        QTest::newRow("usd->idr") << "USD"
                                  << "IDR"
                                  << "15800" << qint64(499) << qint64(7884200);
        QTest::newRow("usd->jpy rounds") << "USD"
                                         << "JPY"
                                         << "151.37" << qint64(499) << qint64(755); // 755.3363
        QTest::newRow("jpy->usd rounds up") << "JPY"
                                            << "USD"
                                            << "0.0066" << qint64(1500) << qint64(990);
        QTest::newRow("half away from zero") << "USD"
                                             << "EUR"
                                             << "0.5" << qint64(1) << qint64(1);
        QTest::newRow("negative") << "USD"
                                  << "EUR"
                                  << "0.5" << qint64(-1) << qint64(-1);
        QTest::newRow("usd->kwd") << "USD"
                                  << "KWD"
                                  << "0.3075" << qint64(1000) << qint64(3075);
        QTest::newRow("huge amount exact")
            << "USD"
            << "IDR"
            << "15800.123456789" << qint64(100000000000) << qint64(1580012345678900);
    }
    void convert() {
        QFETCH(QString, base);
        QFETCH(QString, quote);
        QFETCH(QString, rate);
        QFETCH(qint64, amountMinor);
        QFETCH(qint64, expectedMinor);
        const auto from = Currency::fromCode(base.toStdString());
        const auto to = Currency::fromCode(quote.toStdString());
        const auto r = ExchangeRate::parse(from, to, rate.toStdString());
        const Money out = r.convert(Money(amountMinor, from));
        QCOMPARE(out.amountMinor(), expectedMinor);
        QVERIFY(out.currency() == to);
    }

    void canonicalText() {
        const auto usd = Currency::fromCode("USD");
        const auto eur = Currency::fromCode("EUR");
        QCOMPARE(ExchangeRate::parse(usd, eur, "0.9200").toDecimalString(), std::string("0.92"));
        QCOMPARE(ExchangeRate::parse(usd, eur, "007").toDecimalString(), std::string("7"));
        QCOMPARE(ExchangeRate::parse(usd, eur, "0.000000001").toDecimalString(),
                 std::string("0.000000001"));
    }

    void refusesBadRates_data() {
        QTest::addColumn<QString>("rate");
        for (const char* bad : {"", "0", "0.000", "-1", "1e3", "1,5", " 1", "1.", ".5", "abc",
                                "1.0000000001", "1234567890123456789", "1.2.3"})
            QTest::newRow(bad) << QString(bad);
    }
    void refusesBadRates() {
        QFETCH(QString, rate);
        const auto usd = Currency::fromCode("USD");
        const auto eur = Currency::fromCode("EUR");
        QVERIFY_THROWS_EXCEPTION(InvalidInput, ExchangeRate::parse(usd, eur, rate.toStdString()));
    }

    void refusesWrongCurrency() {
        const auto usd = Currency::fromCode("USD");
        const auto eur = Currency::fromCode("EUR");
        QVERIFY_THROWS_EXCEPTION(InvalidInput, ExchangeRate::parse(usd, usd, "1"));
        const auto r = ExchangeRate::parse(usd, eur, "0.9");
        QVERIFY_THROWS_EXCEPTION(InvalidInput, r.convert(Money(100, eur)));
    }

    void overflowIsRefused() {
        const auto usd = Currency::fromCode("USD");
        const auto idr = Currency::fromCode("IDR");
        const auto r = ExchangeRate::parse(usd, idr, "999999999");
        QVERIFY_THROWS_EXCEPTION(std::overflow_error, r.convert(Money(INT64_MAX / 2, usd)));
    }
};

QTEST_APPLESS_MAIN(TestExchangeRate)
#include "tst_exchangerate.moc"
