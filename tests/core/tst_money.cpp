// Unit tests for reelgate::core::Currency and reelgate::core::Money.

#include <reelgate/core/Currency.h>
#include <reelgate/core/InvalidInput.h>
#include <reelgate/core/Money.h>

#include <QtTest>

#include <algorithm>
#include <limits>
#include <set>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

using reelgate::core::Currency;
using reelgate::core::InvalidInput;
using reelgate::core::Money;

namespace reelgate::core {
// Lets QCOMPARE print Money values on failure.
char* toString(const Money& money) {
    return qstrdup(money.format().c_str());
}
} // namespace reelgate::core

namespace {

constexpr qint64 kMax = std::numeric_limits<qint64>::max();
constexpr qint64 kMin = std::numeric_limits<qint64>::min();

Currency cur(const QString& code) {
    return Currency::fromCode(code.toStdString());
}

Money usd(qint64 minor) {
    return Money(minor, Currency::fromCode("USD"));
}

} // namespace

class TestMoney : public QObject {
    Q_OBJECT

private slots:
    void currencyFromCode_data();
    void currencyFromCode();
    void currencyRejectsUnknownCodes_data();
    void currencyRejectsUnknownCodes();
    void currencyTableIsConsistent();

    void parse_data();
    void parse();
    void parseRejects_data();
    void parseRejects();
    void parseErrorsExplainTheProblem();

    void toDecimalString_data();
    void toDecimalString();
    void formatShowsCode();

    void decimalSumsAreExact();
    void oneMinorUnit();
    void addAndSubtract();
    void arithmeticRefusesOverflow();
    void arithmeticRefusesMixedCurrencies();
    void comparisons();

    void jsonRoundTrip();
    void jsonRejects_data();
    void jsonRejects();
};

void TestMoney::currencyFromCode_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("code");
    QTest::addColumn<int>("minorDigits");
    QTest::addColumn<qint64>("minorPerMajor");

    QTest::newRow("usd lower") << "usd"
                               << "USD" << 2 << qint64{100};
    QTest::newRow("Eur mixed") << "Eur"
                               << "EUR" << 2 << qint64{100};
    QTest::newRow("GBP") << "GBP"
                         << "GBP" << 2 << qint64{100};
    QTest::newRow("IDR") << "IDR"
                         << "IDR" << 2 << qint64{100};
    QTest::newRow("JPY") << "JPY"
                         << "JPY" << 0 << qint64{1};
    QTest::newRow("krw") << "krw"
                         << "KRW" << 0 << qint64{1};
    QTest::newRow("KWD") << "KWD"
                         << "KWD" << 3 << qint64{1000};
    QTest::newRow("bhd") << "bhd"
                         << "BHD" << 3 << qint64{1000};
}

void TestMoney::currencyFromCode() {
    QFETCH(QString, input);
    QFETCH(QString, code);
    QFETCH(int, minorDigits);
    QFETCH(qint64, minorPerMajor);

    const Currency currency = Currency::fromCode(input.toStdString());
    QCOMPARE(QString::fromStdString(std::string(currency.code())), code);
    QCOMPARE(currency.minorDigits(), minorDigits);
    QCOMPARE(currency.minorPerMajor(), minorPerMajor);
    QVERIFY(Currency::tryFromCode(input.toStdString()) == currency);
}

void TestMoney::currencyRejectsUnknownCodes_data() {
    QTest::addColumn<QString>("input");
    QTest::newRow("empty") << "";
    QTest::newRow("two letters") << "US";
    QTest::newRow("four letters") << "USDD";
    QTest::newRow("not in table") << "XYZ";
    QTest::newRow("trailing space") << "US ";
    QTest::newRow("leading space") << " USD";
    QTest::newRow("digit") << "U5D";
    QTest::newRow("symbol") << "$";
    QTest::newRow("non-ascii") << QString::fromUtf8("ÜSD");
}

void TestMoney::currencyRejectsUnknownCodes() {
    QFETCH(QString, input);
    const std::string code = input.toStdString();
    QVERIFY(!Currency::tryFromCode(code).has_value());
    QVERIFY_THROWS_EXCEPTION(InvalidInput, Currency::fromCode(code));
}

void TestMoney::currencyTableIsConsistent() {
    const auto codes = Currency::knownCodes();
    const std::set<std::string_view> unique(codes.begin(), codes.end());
    QCOMPARE(unique.size(), codes.size());
    for (const char* required :
         {"USD", "EUR", "GBP", "JPY", "IDR", "INR", "BRL", "CAD", "AUD", "CHF", "SEK", "NOK", "DKK",
          "PLN", "MXN", "SGD", "KRW", "KWD", "BHD"}) {
        QVERIFY2(unique.count(required) == 1, required);
    }
    for (const std::string_view code : codes) {
        const auto currency = Currency::tryFromCode(code);
        QVERIFY(currency.has_value());
        QCOMPARE(currency->code(), code);
        QVERIFY(currency->minorDigits() >= 0);
        QVERIFY(currency->minorDigits() <= Currency::kMaxMinorDigits);
    }
    try {
        Currency::fromCode("xyz");
        QFAIL("unknown code accepted");
    } catch (const InvalidInput& error) {
        QVERIFY2(std::string(error.what()).find("\"xyz\"") != std::string::npos, error.what());
    }
}

void TestMoney::parse_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("currency");
    QTest::addColumn<qint64>("minor");

    QTest::newRow("12.34") << "12.34"
                           << "USD" << qint64{1234};
    QTest::newRow("whole") << "12"
                           << "USD" << qint64{1200};
    QTest::newRow("one decimal") << "0.5"
                                 << "USD" << qint64{50};
    QTest::newRow("5 cents") << "0.05"
                             << "USD" << qint64{5};
    QTest::newRow("1 cent") << "0.01"
                            << "EUR" << qint64{1};
    QTest::newRow("negative") << "-0.05"
                              << "USD" << qint64{-5};
    QTest::newRow("negative whole") << "-3"
                                    << "GBP" << qint64{-300};
    QTest::newRow("zero") << "0"
                          << "USD" << qint64{0};
    QTest::newRow("negative zero") << "-0.00"
                                   << "USD" << qint64{0};
    QTest::newRow("leading zeros") << "007.10"
                                   << "USD" << qint64{710};
    QTest::newRow("JPY whole") << "1500"
                               << "JPY" << qint64{1500};
    QTest::newRow("KWD 3 decimals") << "1.234"
                                    << "KWD" << qint64{1234};
    QTest::newRow("KWD 1 fils") << "0.001"
                                << "KWD" << qint64{1};
    QTest::newRow("KWD short fraction") << "2.5"
                                        << "KWD" << qint64{2500};
    QTest::newRow("IDR large") << "150000"
                               << "IDR" << qint64{15000000};
    QTest::newRow("int64 max") << "92233720368547758.07"
                               << "USD" << kMax;
    QTest::newRow("int64 min") << "-92233720368547758.08"
                               << "USD" << kMin;
    QTest::newRow("int64 max JPY") << "9223372036854775807"
                                   << "JPY" << kMax;
    QTest::newRow("int64 max KWD") << "9223372036854775.807"
                                   << "KWD" << kMax;
}

void TestMoney::parse() {
    QFETCH(QString, text);
    QFETCH(QString, currency);
    QFETCH(qint64, minor);

    const Money money = Money::parse(text.toStdString(), cur(currency));
    QCOMPARE(money.amountMinor(), minor);
    QCOMPARE(money.currency(), cur(currency));
    QCOMPARE(money.isNegative(), minor < 0);
    const auto tried = Money::tryParse(text.toStdString(), cur(currency));
    QVERIFY(tried.has_value());
    QCOMPARE(*tried, money);
}

void TestMoney::parseRejects_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("currency");

    QTest::newRow("empty") << ""
                           << "USD";
    QTest::newRow("minus only") << "-"
                                << "USD";
    QTest::newRow("plus sign") << "+5"
                               << "USD";
    QTest::newRow("double minus") << "--1"
                                  << "USD";
    QTest::newRow("minus after digits") << "1-"
                                        << "USD";
    QTest::newRow("leading space") << " 12"
                                   << "USD";
    QTest::newRow("trailing space") << "12 "
                                    << "USD";
    QTest::newRow("inner space") << "1 000"
                                 << "USD";
    QTest::newRow("trailing newline") << "12\n"
                                      << "USD";
    QTest::newRow("thousands separator") << "1,000.00"
                                         << "USD";
    QTest::newRow("decimal comma") << "12,34"
                                   << "EUR";
    QTest::newRow("exponent") << "1e3"
                              << "USD";
    QTest::newRow("exponent after fraction") << "1.5E2"
                                             << "USD";
    QTest::newRow("trailing dot") << "12."
                                  << "USD";
    QTest::newRow("leading dot") << ".5"
                                 << "USD";
    QTest::newRow("two dots") << "1.2.3"
                              << "USD";
    QTest::newRow("too many decimals USD") << "12.345"
                                           << "USD";
    QTest::newRow("zero-padded too many decimals") << "12.340"
                                                   << "USD";
    QTest::newRow("decimals on JPY") << "1.5"
                                     << "JPY";
    QTest::newRow("zero decimal on JPY") << "1500.0"
                                         << "JPY";
    QTest::newRow("too many decimals KWD") << "1.2345"
                                           << "KWD";
    QTest::newRow("one past int64 max") << "92233720368547758.08"
                                        << "USD";
    QTest::newRow("one past int64 min") << "-92233720368547758.09"
                                        << "USD";
    QTest::newRow("one past int64 max JPY") << "9223372036854775808"
                                            << "JPY";
    QTest::newRow("huge") << "99999999999999999999999999999999999999999"
                          << "USD";
    QTest::newRow("hex") << "0x10"
                         << "USD";
    QTest::newRow("NaN") << "NaN"
                         << "USD";
    QTest::newRow("inf") << "inf"
                         << "USD";
    QTest::newRow("letters after") << "12.3a"
                                   << "USD";
    QTest::newRow("currency symbol") << "$12"
                                     << "USD";
    QTest::newRow("code suffix") << "12 USD"
                                 << "USD";
    QTest::newRow("arabic-indic digits") << QString::fromUtf8("١٢") << "USD";
    QTest::newRow("fullwidth digits") << QString::fromUtf8("１２") << "USD";
}

void TestMoney::parseRejects() {
    QFETCH(QString, text);
    QFETCH(QString, currency);

    const std::string input = text.toStdString();
    QVERIFY(!Money::tryParse(input, cur(currency)).has_value());
    QVERIFY_THROWS_EXCEPTION(InvalidInput, Money::parse(input, cur(currency)));
}

void TestMoney::parseErrorsExplainTheProblem() {
    const auto messageFor = [](std::string_view text, const char* code) -> std::string {
        try {
            Money::parse(text, Currency::fromCode(code));
        } catch (const InvalidInput& error) {
            return error.what();
        }
        return "(accepted)";
    };
    const auto contains = [](const std::string& haystack, const char* needle) {
        return haystack.find(needle) != std::string::npos;
    };
    std::string message = messageFor("1,000.00", "USD");
    QVERIFY2(contains(message, "thousands separators"), message.c_str());
    QVERIFY2(contains(message, "\"1,000.00\""), message.c_str());
    message = messageFor("12.345", "USD");
    QVERIFY2(contains(message, "USD allows at most 2 decimals"), message.c_str());
    message = messageFor("1.5", "JPY");
    QVERIFY2(contains(message, "JPY allows no decimals"), message.c_str());
    message = messageFor("92233720368547758.08", "USD");
    QVERIFY2(contains(message, "too large"), message.c_str());
    message = messageFor(std::string(1000, '7') + "x", "USD");
    QVERIFY2(message.size() < 200, "error messages must not echo unbounded input");
}

void TestMoney::toDecimalString_data() {
    QTest::addColumn<qint64>("minor");
    QTest::addColumn<QString>("currency");
    QTest::addColumn<QString>("text");

    QTest::newRow("12.34") << qint64{1234} << "USD"
                           << "12.34";
    QTest::newRow("-0.05") << qint64{-5} << "USD"
                           << "-0.05";
    QTest::newRow("-1.00") << qint64{-100} << "USD"
                           << "-1.00";
    QTest::newRow("zero") << qint64{0} << "USD"
                          << "0.00";
    QTest::newRow("1 cent") << qint64{1} << "USD"
                            << "0.01";
    QTest::newRow("10 cents") << qint64{10} << "EUR"
                              << "0.10";
    QTest::newRow("JPY") << qint64{1500} << "JPY"
                         << "1500";
    QTest::newRow("JPY negative") << qint64{-1500} << "JPY"
                                  << "-1500";
    QTest::newRow("JPY zero") << qint64{0} << "JPY"
                              << "0";
    QTest::newRow("KWD 1 fils") << qint64{1} << "KWD"
                                << "0.001";
    QTest::newRow("KWD") << qint64{123456} << "KWD"
                         << "123.456";
    QTest::newRow("KWD round") << qint64{2500} << "KWD"
                               << "2.500";
    QTest::newRow("int64 max") << kMax << "USD"
                               << "92233720368547758.07";
    QTest::newRow("int64 min") << kMin << "USD"
                               << "-92233720368547758.08";
    QTest::newRow("int64 min JPY") << kMin << "JPY"
                                   << "-9223372036854775808";
}

void TestMoney::toDecimalString() {
    QFETCH(qint64, minor);
    QFETCH(QString, currency);
    QFETCH(QString, text);

    const Money money(minor, cur(currency));
    QCOMPARE(QString::fromStdString(money.toDecimalString()), text);
    // What we print, we parse back to the same amount.
    QCOMPARE(Money::parse(money.toDecimalString(), cur(currency)), money);
}

void TestMoney::formatShowsCode() {
    QCOMPARE(usd(1234).format(), std::string("12.34 USD"));
    QCOMPARE(Money(-5, cur("EUR")).format(), std::string("-0.05 EUR"));
    QCOMPARE(Money(1500, cur("JPY")).format(), std::string("1500 JPY"));
}

void TestMoney::decimalSumsAreExact() {
    // The classic binary floating-point surprise cannot happen: 0.1 + 0.2 is exactly 0.3.
    const Currency dollars = cur("USD");
    const Money sum = Money::parse("0.1", dollars) + Money::parse("0.2", dollars);
    QCOMPARE(sum, Money::parse("0.3", dollars));
    QCOMPARE(sum.toDecimalString(), std::string("0.30"));

    // A thousand one-cent sales add up to exactly ten dollars.
    Money total = Money::zero(dollars);
    for (int i = 0; i < 1000; ++i) {
        total += Money::parse("0.01", dollars);
    }
    QCOMPARE(total.format(), std::string("10.00 USD"));

    QCOMPARE(Money::parse("1.10", dollars) - Money::parse("1.00", dollars),
             Money::parse("0.1", dollars));
}

void TestMoney::oneMinorUnit() {
    const Money cent = Money::parse("0.01", cur("USD"));
    QCOMPARE(cent.amountMinor(), qint64{1});
    QVERIFY(!cent.isNegative());
    QVERIFY(!cent.isZero());
    QCOMPARE(cent.format(), std::string("0.01 USD"));
    QCOMPARE((cent - cent).isZero(), true);
    QVERIFY((Money::zero(cur("USD")) - cent).isNegative());
    QCOMPARE(Money::parse("1", cur("JPY")).amountMinor(), qint64{1});
}

void TestMoney::addAndSubtract() {
    QCOMPARE(usd(1234) + usd(66), usd(1300));
    QCOMPARE(usd(100) - usd(250), usd(-150));
    QCOMPARE(usd(-150).negated(), usd(150));
    Money running = usd(0);
    running += usd(500);
    running -= usd(125);
    QCOMPARE(running, usd(375));
    // Up to the very edge is fine.
    QCOMPARE(usd(kMax - 1) + usd(1), usd(kMax));
    QCOMPARE(usd(kMin + 1) - usd(1), usd(kMin));
    QCOMPARE(usd(kMax) + usd(kMin), usd(-1));
    QCOMPARE(usd(kMax).negated(), usd(-kMax));
}

void TestMoney::arithmeticRefusesOverflow() {
    QVERIFY_THROWS_EXCEPTION(std::overflow_error, usd(kMax) + usd(1));
    QVERIFY_THROWS_EXCEPTION(std::overflow_error, usd(kMin) + usd(-1));
    QVERIFY_THROWS_EXCEPTION(std::overflow_error, usd(kMin) - usd(1));
    QVERIFY_THROWS_EXCEPTION(std::overflow_error, usd(kMax) - usd(-1));
    QVERIFY_THROWS_EXCEPTION(std::overflow_error, usd(0) - usd(kMin));
    QVERIFY_THROWS_EXCEPTION(std::overflow_error, usd(kMin).negated());
    Money stays = usd(kMax);
    QVERIFY_THROWS_EXCEPTION(std::overflow_error, stays += usd(1));
    QCOMPARE(stays, usd(kMax)); // a failed += leaves the value untouched
}

void TestMoney::arithmeticRefusesMixedCurrencies() {
    const Money euros(100, cur("EUR"));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, usd(100) + euros);
    QVERIFY_THROWS_EXCEPTION(InvalidInput, usd(100) - euros);
    QVERIFY_THROWS_EXCEPTION(InvalidInput, (void)(usd(100) < euros));
    try {
        (void)(usd(100) + euros);
    } catch (const InvalidInput& error) {
        const std::string message = error.what();
        QVERIFY2(message.find("1.00 USD") != std::string::npos, error.what());
        QVERIFY2(message.find("1.00 EUR") != std::string::npos, error.what());
    }
}

void TestMoney::comparisons() {
    QVERIFY(usd(1) < usd(2));
    QVERIFY(usd(-5) < usd(0));
    QVERIFY(usd(2) > usd(1));
    QVERIFY(usd(2) >= usd(2));
    QVERIFY(usd(2) <= usd(2));
    QVERIFY(usd(2) == usd(2));
    QVERIFY(usd(2) != usd(3));
    // Same number of minor units in another currency is a different amount of money.
    QVERIFY(usd(100) != Money(100, cur("EUR")));
    QVERIFY(usd(-1).isNegative());
    QVERIFY(!usd(0).isNegative());
    QVERIFY(!usd(1).isNegative());
}

void TestMoney::jsonRoundTrip() {
    const Money price = usd(1234);
    const nlohmann::json expected = {{"amount_minor", 1234}, {"currency", "USD"}};
    QCOMPARE(price.toJson(), expected);
    QCOMPARE(Money::fromJson(expected), price);

    // Through nlohmann's own conversions, as API types will use it.
    const nlohmann::json asJson = Money(kMin, cur("KWD"));
    QCOMPARE(asJson.dump(),
             std::string(R"({"amount_minor":-9223372036854775808,"currency":"KWD"})"));
    QCOMPARE(asJson.get<Money>(), Money(kMin, cur("KWD")));
    const auto parsed =
        nlohmann::json::parse(R"({"currency":"jpy","amount_minor":9223372036854775807})");
    QCOMPARE(parsed.get<Money>(), Money(kMax, cur("JPY")));
    QCOMPARE(Money::tryFromJson(parsed), Money(kMax, cur("JPY")));
}

void TestMoney::jsonRejects_data() {
    QTest::addColumn<QString>("text");
    QTest::newRow("not an object") << R"([1234, "USD"])";
    QTest::newRow("null") << "null";
    QTest::newRow("missing amount") << R"({"currency":"USD"})";
    QTest::newRow("missing currency") << R"({"amount_minor":1234})";
    QTest::newRow("amount as decimal string") << R"({"amount_minor":"12.34","currency":"USD"})";
    QTest::newRow("amount as float") << R"({"amount_minor":12.5,"currency":"USD"})";
    QTest::newRow("amount as whole float") << R"({"amount_minor":1234.0,"currency":"USD"})";
    QTest::newRow("amount too large") << R"({"amount_minor":9223372036854775808,"currency":"USD"})";
    QTest::newRow("amount null") << R"({"amount_minor":null,"currency":"USD"})";
    QTest::newRow("amount bool") << R"({"amount_minor":true,"currency":"USD"})";
    QTest::newRow("unknown currency") << R"({"amount_minor":1,"currency":"XXX"})";
    QTest::newRow("currency number") << R"({"amount_minor":1,"currency":840})";
}

void TestMoney::jsonRejects() {
    QFETCH(QString, text);
    const auto json = nlohmann::json::parse(text.toStdString());
    QVERIFY(!Money::tryFromJson(json).has_value());
    QVERIFY_THROWS_EXCEPTION(InvalidInput, Money::fromJson(json));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, (void)json.get<Money>());
}

QTEST_APPLESS_MAIN(TestMoney)
#include "tst_money.moc"
