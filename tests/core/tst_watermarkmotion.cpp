// Unit tests for reelgate::core::WatermarkMotion: the committed test vectors (shared with the
// JavaScript player), the generator that produced them, and the properties a viewer would see.

#include <reelgate/core/InvalidInput.h>
#include <reelgate/core/WatermarkMotion.h>

#include <QProcess>
#include <QtTest>

#include <algorithm>
#include <array>
#include <fstream>
#include <limits>

#include <nlohmann/json.hpp>

using namespace reelgate::core;

namespace {

const char* const kVectorFile = REELGATE_TEST_DATA_DIR "/watermark_vectors.json";

nlohmann::json loadVectors() {
    std::ifstream in(kVectorFile);
    if (!in) {
        throw std::runtime_error(std::string("cannot open ") + kVectorFile);
    }
    return nlohmann::json::parse(in);
}

} // namespace

class TestWatermarkMotion : public QObject {
    Q_OBJECT

private slots:
    void mix32KnownValues_data();
    void mix32KnownValues();
    void vectorFileIsWellFormed();
    void vectors_data();
    void vectors();
    void generatorMatchesCommittedFile();

    void positionHoldsWithinSlot();
    void positionsChangeBetweenSlots();
    void positionsStayInsideFrame_data();
    void positionsStayInsideFrame();
    void positionsCoverTheFrame();
    void seedsGiveDifferentPaths();
    void degenerateFrames();
    void hugeTimesWrapTheSlot();
    void rejectsInvalidInput();
};

void TestWatermarkMotion::mix32KnownValues_data() {
    QTest::addColumn<quint32>("input");
    QTest::addColumn<quint32>("output");
    // Computed independently (JavaScript Math.imul and Python big integers).
    QTest::newRow("0") << 0U << 0U;
    QTest::newRow("1") << 1U << 1753845952U;
    QTest::newRow("2") << 2U << 3507691905U;
    QTest::newRow("0xffffffff") << 0xffffffffU << 1734902346U;
    QTest::newRow("0x80000000") << 0x80000000U << 3427483940U;
    QTest::newRow("0x12345678") << 0x12345678U << 4125564054U;
    QTest::newRow("golden gamma") << 0x9e3779b9U << 33350994U;
}

void TestWatermarkMotion::mix32KnownValues() {
    QFETCH(quint32, input);
    QFETCH(quint32, output);
    QCOMPARE(mix32(input), output);
    static_assert(mix32(1) == 1753845952U, "mix32 must stay usable at compile time");
}

void TestWatermarkMotion::vectorFileIsWellFormed() {
    const nlohmann::json root = loadVectors();
    QCOMPARE(root.at("format_version").get<int>(), 1);
    QVERIFY(root.at("algorithm").is_string());
    const auto& cases = root.at("cases");
    QVERIFY2(cases.size() >= 50, "the vector file should cover at least 50 cases");
    bool seenWrap = false;
    bool seenZeroFreeRange = false;
    bool seenSeedZero = false;
    bool seenSeedMax = false;
    for (const auto& c : cases) {
        seenWrap =
            seenWrap || c.at("t_ms").get<std::int64_t>() / c.at("interval_ms").get<std::int64_t>() >
                            std::int64_t{std::numeric_limits<std::uint32_t>::max()};
        seenZeroFreeRange =
            seenZeroFreeRange || c.at("box_w").get<int>() > c.at("frame_w").get<int>();
        seenSeedZero = seenSeedZero || c.at("seed").get<std::uint32_t>() == 0;
        seenSeedMax = seenSeedMax || c.at("seed").get<std::uint32_t>() == 0xffffffffU;
        // Every number must be exactly representable in JavaScript.
        for (const auto& [key, value] : c.items()) {
            QVERIFY2(value.is_number_integer(), key.c_str());
            QVERIFY2(value.get<std::int64_t>() >= 0 &&
                         value.get<std::int64_t>() < (std::int64_t{1} << 53),
                     key.c_str());
        }
    }
    QVERIFY(seenWrap);
    QVERIFY(seenZeroFreeRange);
    QVERIFY(seenSeedZero);
    QVERIFY(seenSeedMax);
}

void TestWatermarkMotion::vectors_data() {
    QTest::addColumn<quint32>("seed");
    QTest::addColumn<qint64>("tMs");
    QTest::addColumn<qint64>("intervalMs");
    QTest::addColumn<quint32>("slot");
    QTest::addColumn<quint32>("ux");
    QTest::addColumn<quint32>("uy");
    QTest::addColumn<int>("frameW");
    QTest::addColumn<int>("frameH");
    QTest::addColumn<int>("boxW");
    QTest::addColumn<int>("boxH");
    QTest::addColumn<int>("marginPx");
    QTest::addColumn<int>("x");
    QTest::addColumn<int>("y");

    nlohmann::json root;
    try {
        root = loadVectors();
    } catch (const std::exception& error) {
        QFAIL(error.what());
    }
    int index = 0;
    for (const auto& c : root.at("cases")) {
        const QByteArray name = QByteArray("case ") + QByteArray::number(index++) +
                                " t=" + QByteArray::number(c.at("t_ms").get<qint64>()) +
                                " seed=" + QByteArray::number(c.at("seed").get<quint32>(), 16);
        QTest::newRow(name.constData())
            << c.at("seed").get<quint32>() << c.at("t_ms").get<qint64>()
            << c.at("interval_ms").get<qint64>() << c.at("slot").get<quint32>()
            << c.at("ux").get<quint32>() << c.at("uy").get<quint32>() << c.at("frame_w").get<int>()
            << c.at("frame_h").get<int>() << c.at("box_w").get<int>() << c.at("box_h").get<int>()
            << c.at("margin_px").get<int>() << c.at("x").get<int>() << c.at("y").get<int>();
    }
}

void TestWatermarkMotion::vectors() {
    QFETCH(quint32, seed);
    QFETCH(qint64, tMs);
    QFETCH(qint64, intervalMs);
    QFETCH(quint32, slot);
    QFETCH(quint32, ux);
    QFETCH(quint32, uy);
    QFETCH(int, frameW);
    QFETCH(int, frameH);
    QFETCH(int, boxW);
    QFETCH(int, boxH);
    QFETCH(int, marginPx);
    QFETCH(int, x);
    QFETCH(int, y);

    const MotionPoint point = motionAt(seed, tMs, intervalMs);
    QCOMPARE(point.slot, slot);
    QCOMPARE(point.ux, ux);
    QCOMPARE(point.uy, uy);
    const PixelPoint pixel = placeMark(point, frameW, frameH, boxW, boxH, marginPx);
    QCOMPARE(pixel.xPx, x);
    QCOMPARE(pixel.yPx, y);
}

void TestWatermarkMotion::generatorMatchesCommittedFile() {
    // The committed file must be what the current algorithm produces. If this fails after an
    // intended change, regenerate it (tests/data/README.md) and update the JS twin with it.
    QProcess generator;
    generator.start(QStringLiteral(REELGATE_GEN_WATERMARK_VECTORS), QStringList());
    QVERIFY2(generator.waitForFinished(30000), qPrintable(generator.errorString()));
    QCOMPARE(generator.exitStatus(), QProcess::NormalExit);
    QCOMPARE(generator.exitCode(), 0);
    const QByteArray output = generator.readAllStandardOutput();

    const nlohmann::json generated = nlohmann::json::parse(output.toStdString());
    const nlohmann::json committed = loadVectors();
    QCOMPARE(generated.at("format_version"), committed.at("format_version"));
    QCOMPARE(generated.at("cases").size(), committed.at("cases").size());
    for (std::size_t i = 0; i < committed.at("cases").size(); ++i) {
        const auto& want = committed.at("cases").at(i);
        const auto& got = generated.at("cases").at(i);
        QVERIFY2(got == want, qPrintable(QStringLiteral("case %1: committed %2, generator %3")
                                             .arg(i)
                                             .arg(QString::fromStdString(want.dump()),
                                                  QString::fromStdString(got.dump()))));
    }
    QVERIFY(generated == committed);
}

void TestWatermarkMotion::positionHoldsWithinSlot() {
    constexpr std::int64_t kIntervalMs = 5000;
    for (std::int64_t slot = 0; slot < 50; ++slot) {
        const std::int64_t start = slot * kIntervalMs;
        const MotionPoint first = motionAt(0xabcdef01U, start, kIntervalMs);
        for (const std::int64_t offset : {std::int64_t{1}, std::int64_t{2500}, kIntervalMs - 1}) {
            QCOMPARE(motionAt(0xabcdef01U, start + offset, kIntervalMs), first);
        }
        QCOMPARE(first.slot, static_cast<std::uint32_t>(slot));
    }
}

void TestWatermarkMotion::positionsChangeBetweenSlots() {
    // A viewer sees the mark jump at every interval: consecutive slots virtually never share a
    // pixel position on a 1080p frame.
    int unchanged = 0;
    constexpr int kSlots = 5000;
    PixelPoint previous = placeMark(motionAt(42, 0, 4000), 1920, 1080, 360, 64, 32);
    for (int slot = 1; slot < kSlots; ++slot) {
        const PixelPoint current =
            placeMark(motionAt(42, std::int64_t{slot} * 4000, 4000), 1920, 1080, 360, 64, 32);
        unchanged += current == previous ? 1 : 0;
        previous = current;
    }
    QVERIFY2(unchanged <= kSlots / 100, qPrintable(QString::number(unchanged)));
}

void TestWatermarkMotion::positionsStayInsideFrame_data() {
    QTest::addColumn<int>("frameW");
    QTest::addColumn<int>("frameH");
    QTest::addColumn<int>("boxW");
    QTest::addColumn<int>("boxH");
    QTest::addColumn<int>("marginPx");
    QTest::newRow("320x180") << 320 << 180 << 120 << 24 << 8;
    QTest::newRow("854x480") << 854 << 480 << 180 << 36 << 16;
    QTest::newRow("1280x720") << 1280 << 720 << 240 << 48 << 24;
    QTest::newRow("1920x1080") << 1920 << 1080 << 360 << 64 << 32;
    QTest::newRow("3840x2160") << 3840 << 2160 << 720 << 120 << 64;
    QTest::newRow("box fills frame exactly") << 400 << 100 << 380 << 80 << 10;
    QTest::newRow("portrait") << 1080 << 1920 << 360 << 64 << 32;
}

void TestWatermarkMotion::positionsStayInsideFrame() {
    QFETCH(int, frameW);
    QFETCH(int, frameH);
    QFETCH(int, boxW);
    QFETCH(int, boxH);
    QFETCH(int, marginPx);
    for (const std::uint32_t seed : {0U, 7U, 0xffffffffU}) {
        for (std::int64_t slot = 0; slot < 3000; ++slot) {
            const PixelPoint p =
                placeMark(motionAt(seed, slot, 1), frameW, frameH, boxW, boxH, marginPx);
            const bool inside = p.xPx >= marginPx && p.yPx >= marginPx &&
                                p.xPx + boxW + marginPx <= frameW &&
                                p.yPx + boxH + marginPx <= frameH;
            if (!inside) {
                QFAIL(qPrintable(QStringLiteral("seed %1 slot %2: box at (%3, %4) leaves the "
                                                "margins")
                                     .arg(seed)
                                     .arg(slot)
                                     .arg(p.xPx)
                                     .arg(p.yPx)));
            }
        }
    }
    // The extremes of the free range land exactly on the margins.
    QCOMPARE(placeMark({0, 0, 0}, frameW, frameH, boxW, boxH, marginPx),
             (PixelPoint{marginPx, marginPx}));
    QCOMPARE(placeMark({0, kMotionScale, kMotionScale}, frameW, frameH, boxW, boxH, marginPx),
             (PixelPoint{frameW - boxW - marginPx, frameH - boxH - marginPx}));
}

void TestWatermarkMotion::positionsCoverTheFrame() {
    // The mark must visit every part of the frame (a crop of any region still shows it):
    // split the free range into ten bands per axis and expect each to get a fair share.
    constexpr int kSlots = 20000;
    std::array<int, 10> bandsX{};
    std::array<int, 10> bandsY{};
    for (int slot = 0; slot < kSlots; ++slot) {
        const MotionPoint p = motionAt(0x5eedU, slot, 1);
        ++bandsX[std::min<std::uint32_t>(p.ux / 1000, 9)];
        ++bandsY[std::min<std::uint32_t>(p.uy / 1000, 9)];
    }
    for (std::size_t band = 0; band < 10; ++band) {
        QVERIFY2(bandsX[band] > kSlots / 10 * 8 / 10 && bandsX[band] < kSlots / 10 * 12 / 10,
                 qPrintable(QStringLiteral("x band %1: %2").arg(band).arg(bandsX[band])));
        QVERIFY2(bandsY[band] > kSlots / 10 * 8 / 10 && bandsY[band] < kSlots / 10 * 12 / 10,
                 qPrintable(QStringLiteral("y band %1: %2").arg(band).arg(bandsY[band])));
    }
}

void TestWatermarkMotion::seedsGiveDifferentPaths() {
    // Two viewers (different seeds) do not see the same path.
    int same = 0;
    for (std::int64_t slot = 0; slot < 1000; ++slot) {
        same += motionAt(1, slot, 1) == motionAt(2, slot, 1) ? 1 : 0;
    }
    QCOMPARE(same, 0);
}

void TestWatermarkMotion::degenerateFrames() {
    const MotionPoint point{0, 7777, 3333};
    // Box wider than the frame: no horizontal freedom, the mark sits on the margin.
    QCOMPARE(placeMark(point, 320, 180, 400, 24, 8).xPx, 8);
    // Margins larger than the frame: pinned at (margin, margin).
    QCOMPARE(placeMark(point, 320, 180, 10, 10, 200), (PixelPoint{200, 200}));
    QCOMPARE(placeMark(point, 0, 0, 0, 0, 0), (PixelPoint{0, 0}));
    // Extreme sizes: 64-bit intermediates keep the result exact.
    const int kIntMax = std::numeric_limits<int>::max();
    QCOMPARE(placeMark({0, kMotionScale, kMotionScale}, kIntMax, kIntMax, 0, 0, 0),
             (PixelPoint{kIntMax, kIntMax}));
    QCOMPARE(placeMark({0, 5000, 1}, kIntMax, kIntMax, 0, 0, 0),
             (PixelPoint{static_cast<int>(std::int64_t{kIntMax} * 5000 / 10000),
                         static_cast<int>(std::int64_t{kIntMax} / 10000)}));
    QCOMPARE(placeMark(point, 100, 100, 0, 0, kIntMax), (PixelPoint{kIntMax, kIntMax}));
}

void TestWatermarkMotion::hugeTimesWrapTheSlot() {
    constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();
    QCOMPARE(motionAt(0, kInt64Max, 1).slot, 0xffffffffU);
    QCOMPARE(motionAt(0, kInt64Max, 5000).slot,
             static_cast<std::uint32_t>((kInt64Max / 5000) & 0xffffffff));
    QCOMPARE(motionAt(0, kInt64Max, kInt64Max).slot, 1U);
    // Slot 2^32 is slot 0 again.
    constexpr std::int64_t kTwoPow32 = std::int64_t{1} << 32;
    QCOMPARE(motionAt(99, kTwoPow32 * 5000, 5000), motionAt(99, 0, 5000));
    QCOMPARE(motionAt(99, kTwoPow32 * 5000 + 5000, 5000), motionAt(99, 5000, 5000));
}

void TestWatermarkMotion::rejectsInvalidInput() {
    QVERIFY_THROWS_EXCEPTION(InvalidInput, motionAt(1, 0, 0));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, motionAt(1, 0, -5000));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, motionAt(1, -1, 5000));
    QVERIFY_THROWS_EXCEPTION(InvalidInput,
                             motionAt(1, std::numeric_limits<std::int64_t>::min(), 5000));
    const MotionPoint point{0, 10, 10};
    QVERIFY_THROWS_EXCEPTION(InvalidInput, placeMark(point, -1, 180, 10, 10, 0));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, placeMark(point, 320, -1, 10, 10, 0));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, placeMark(point, 320, 180, -1, 10, 0));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, placeMark(point, 320, 180, 10, -1, 0));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, placeMark(point, 320, 180, 10, 10, -1));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, placeMark({0, 10001, 0}, 320, 180, 10, 10, 0));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, placeMark({0, 0, 10001}, 320, 180, 10, 10, 0));
}

QTEST_APPLESS_MAIN(TestWatermarkMotion)
#include "tst_watermarkmotion.moc"
