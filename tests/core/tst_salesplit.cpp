// Unit tests for reelgate::core::BasisPoints and reelgate::core::splitSale().

#include <reelgate/core/BasisPoints.h>
#include <reelgate/core/InvalidInput.h>
#include <reelgate/core/SaleSplit.h>

#include <QtTest>

#include <limits>
#include <random>

using reelgate::core::BasisPoints;
using reelgate::core::Currency;
using reelgate::core::InvalidInput;
using reelgate::core::maxAffiliateRate;
using reelgate::core::Money;
using reelgate::core::SaleSplit;
using reelgate::core::splitSale;

namespace {

constexpr qint64 kMax = std::numeric_limits<qint64>::max();

Money usd(qint64 minor) {
    return Money(minor, Currency::fromCode("USD"));
}

} // namespace

class TestSaleSplit : public QObject {
    Q_OBJECT

private slots:
    void basisPointsRange_data();
    void basisPointsRange();

    void split_data();
    void split();
    void partsAlwaysSumToPrice();
    void keepsCurrency();
    void refusesNegativePrice();
    void refusesMoreThanWholePrice_data();
    void refusesMoreThanWholePrice();

    void maxAffiliate_data();
    void maxAffiliate();
};

void TestSaleSplit::basisPointsRange_data() {
    QTest::addColumn<qint64>("bps");
    QTest::addColumn<bool>("valid");
    QTest::newRow("0") << qint64{0} << true;
    QTest::newRow("1") << qint64{1} << true;
    QTest::newRow("12.5 %") << qint64{1250} << true;
    QTest::newRow("100 %") << qint64{10000} << true;
    QTest::newRow("-1") << qint64{-1} << false;
    QTest::newRow("100.01 %") << qint64{10001} << false;
    QTest::newRow("int32 max") << qint64{std::numeric_limits<std::int32_t>::max()} << false;
    QTest::newRow("beyond int32") << qint64{1} + std::numeric_limits<std::uint32_t>::max() << false;
}

void TestSaleSplit::basisPointsRange() {
    QFETCH(qint64, bps);
    QFETCH(bool, valid);
    const auto tried = BasisPoints::tryFrom(bps);
    QCOMPARE(tried.has_value(), valid);
    if (valid) {
        QCOMPARE(qint64{tried->value()}, bps);
        QCOMPARE(qint64{BasisPoints(static_cast<std::int32_t>(bps)).value()}, bps);
    } else if (bps >= std::numeric_limits<std::int32_t>::min() &&
               bps <= std::numeric_limits<std::int32_t>::max()) {
        QVERIFY_THROWS_EXCEPTION(InvalidInput, BasisPoints(static_cast<std::int32_t>(bps)));
    }
}

void TestSaleSplit::split_data() {
    QTest::addColumn<qint64>("price");
    QTest::addColumn<int>("feeBps");
    QTest::addColumn<int>("affiliateBps");
    QTest::addColumn<qint64>("fee");
    QTest::addColumn<qint64>("commission");
    QTest::addColumn<qint64>("creator");

    QTest::newRow("10 % fee, no affiliate")
        << qint64{1000} << 1000 << 0 << qint64{100} << qint64{0} << qint64{900};
    QTest::newRow("10 % fee, 20 % affiliate")
        << qint64{1000} << 1000 << 2000 << qint64{100} << qint64{200} << qint64{700};
    // Fractions of a cent are floored for fee and commission; the creator keeps them.
    QTest::newRow("flooring 9.99")
        << qint64{999} << 1250 << 3333 << qint64{124} << qint64{332} << qint64{543};
    QTest::newRow("1 cent price") << qint64{1} << 1000 << 2000 << qint64{0} << qint64{0}
                                  << qint64{1};
    QTest::newRow("free video") << qint64{0} << 1000 << 2000 << qint64{0} << qint64{0} << qint64{0};
    QTest::newRow("99.99 % fee on 1 cent")
        << qint64{1} << 9999 << 0 << qint64{0} << qint64{0} << qint64{1};
    QTest::newRow("100 % fee") << qint64{12345} << 10000 << 0 << qint64{12345} << qint64{0}
                               << qint64{0};
    QTest::newRow("fee + affiliate exactly 100 %")
        << qint64{12345} << 1000 << 9000 << qint64{1234} << qint64{11110} << qint64{1};
    QTest::newRow("no fee no affiliate")
        << qint64{4999} << 0 << 0 << qint64{0} << qint64{0} << qint64{4999};
    // price * bps needs more than 64 bits here; the result must still be exact.
    QTest::newRow("int64 max price") << kMax << 1000 << 2500 << qint64{922337203685477580}
                                     << qint64{2305843009213693951} << qint64{5995191823955604276};
    QTest::newRow("int64 max price, 100 % fee")
        << kMax << 10000 << 0 << kMax << qint64{0} << qint64{0};
}

void TestSaleSplit::split() {
    QFETCH(qint64, price);
    QFETCH(int, feeBps);
    QFETCH(int, affiliateBps);
    QFETCH(qint64, fee);
    QFETCH(qint64, commission);
    QFETCH(qint64, creator);

    const SaleSplit parts = splitSale(usd(price), BasisPoints(feeBps), BasisPoints(affiliateBps));
    QCOMPARE(parts.platformFee.amountMinor(), fee);
    QCOMPARE(parts.affiliateCommission.amountMinor(), commission);
    QCOMPARE(parts.creatorNet.amountMinor(), creator);
    QCOMPARE(parts.platformFee + parts.affiliateCommission + parts.creatorNet, usd(price));
}

void TestSaleSplit::partsAlwaysSumToPrice() {
    // Fixed seed: the sweep is the same on every run, so a failure is reproducible.
    std::mt19937_64 random(20240607);
    std::uint64_t checked = 0;
    for (int i = 0; i < 200000; ++i) {
        // Mix small prices (where flooring matters most) with prices up to int64 max.
        const auto bits = random();
        const qint64 price =
            (i % 4 == 0) ? static_cast<qint64>(bits >> 1) : static_cast<qint64>(bits % 100000);
        const auto fee = static_cast<std::int32_t>(random() % 10001);
        const auto affiliate = static_cast<std::int32_t>(random() % (10001 - fee));
        const SaleSplit parts = splitSale(usd(price), BasisPoints(fee), BasisPoints(affiliate));
        const bool ok =
            !parts.platformFee.isNegative() && !parts.affiliateCommission.isNegative() &&
            !parts.creatorNet.isNegative() &&
            parts.platformFee + parts.affiliateCommission + parts.creatorNet == usd(price);
        if (!ok) {
            QFAIL(qPrintable(QStringLiteral("split of %1 at fee %2 bps, affiliate %3 bps: "
                                            "%4 + %5 + %6")
                                 .arg(price)
                                 .arg(fee)
                                 .arg(affiliate)
                                 .arg(QString::fromStdString(parts.platformFee.format()),
                                      QString::fromStdString(parts.affiliateCommission.format()),
                                      QString::fromStdString(parts.creatorNet.format()))));
        }
        ++checked;
    }
    QCOMPARE(checked, std::uint64_t{200000});
}

void TestSaleSplit::keepsCurrency() {
    const Money yen(1500, Currency::fromCode("JPY"));
    const SaleSplit parts = splitSale(yen, BasisPoints(1000), BasisPoints(500));
    QCOMPARE(parts.platformFee.format(), std::string("150 JPY"));
    QCOMPARE(parts.affiliateCommission.format(), std::string("75 JPY"));
    QCOMPARE(parts.creatorNet.format(), std::string("1275 JPY"));
}

void TestSaleSplit::refusesNegativePrice() {
    QVERIFY_THROWS_EXCEPTION(InvalidInput, splitSale(usd(-1), BasisPoints(1000), BasisPoints(0)));
}

void TestSaleSplit::refusesMoreThanWholePrice_data() {
    QTest::addColumn<int>("feeBps");
    QTest::addColumn<int>("affiliateBps");
    QTest::newRow("100.01 %") << 1000 << 9001;
    QTest::newRow("100 % + 1 bp affiliate") << 10000 << 1;
    QTest::newRow("200 %") << 10000 << 10000;
    QTest::newRow("half + half + 1") << 5001 << 5000;
}

void TestSaleSplit::refusesMoreThanWholePrice() {
    QFETCH(int, feeBps);
    QFETCH(int, affiliateBps);
    QVERIFY_THROWS_EXCEPTION(InvalidInput,
                             splitSale(usd(1000), BasisPoints(feeBps), BasisPoints(affiliateBps)));
}

void TestSaleSplit::maxAffiliate_data() {
    QTest::addColumn<int>("feeBps");
    QTest::addColumn<int>("maxBps");
    QTest::newRow("no fee: capped at 90 %") << 0 << 9000;
    QTest::newRow("5 % fee: still 90 %") << 500 << 9000;
    QTest::newRow("10 % fee: 90 %") << 1000 << 9000;
    QTest::newRow("15 % fee: 85 %") << 1500 << 8500;
    QTest::newRow("99.99 % fee: 1 bp") << 9999 << 1;
    QTest::newRow("100 % fee: nothing") << 10000 << 0;
}

void TestSaleSplit::maxAffiliate() {
    QFETCH(int, feeBps);
    QFETCH(int, maxBps);
    const BasisPoints limit = maxAffiliateRate(BasisPoints(feeBps));
    QCOMPARE(limit.value(), maxBps);
    // The maximum is always a rate splitSale() accepts.
    const SaleSplit parts = splitSale(usd(10000), BasisPoints(feeBps), limit);
    QCOMPARE(parts.platformFee + parts.affiliateCommission + parts.creatorNet, usd(10000));
}

QTEST_APPLESS_MAIN(TestSaleSplit)
#include "tst_salesplit.moc"
