// Unit tests for reelgate::core::ForensicCode: the session code carried by A/B segment slotCount.
// Decoding must survive unknown slotCount (erasures), some wrong slotCount, an unknown start phase,
// and must not invent a code from noise.

#include <reelgate/core/ForensicCode.h>
#include <reelgate/core/InvalidInput.h>

#include <QtTest>

#include <cstdint>
#include <random>
#include <vector>

using reelgate::core::ForensicCode;

namespace {

// Soft slot readings for `slotCount` slotCount starting at absolute slot `first`: +1 for B, -1 for
// A, with a fraction of erasures (0) and of flipped bits.
std::vector<double> readings(std::uint32_t code, std::int64_t first, int slotCount, double erasures,
                             double errors, std::mt19937& rng) {
    std::uniform_real_distribution<double> uniform(0, 1);
    std::vector<double> soft;
    for (int i = 0; i < slotCount; ++i) {
        const int bit = ForensicCode::bitForSlot(code, first + i);
        double value = bit != 0 ? 1.0 : -1.0;
        const double r = uniform(rng);
        if (r < erasures) {
            value = 0;
        } else if (r < erasures + errors) {
            value = -value;
        }
        soft.push_back(value);
    }
    return soft;
}

int successes(double erasures, double errors, int slotCount, bool knownPhase, int trials,
              std::uint32_t seed) {
    std::mt19937 rng(seed);
    int ok = 0;
    for (int trial = 0; trial < trials; ++trial) {
        const std::uint32_t code = rng();
        const std::int64_t first = static_cast<std::int64_t>(rng() % 1000);
        const auto soft = readings(code, first, slotCount, erasures, errors, rng);
        const auto decoded = ForensicCode::decode(
            soft, knownPhase ? std::optional<std::int64_t>(first) : std::nullopt);
        if (decoded && decoded->code == code) {
            ++ok;
        }
    }
    return ok;
}

} // namespace

class TestForensicCode : public QObject {
    Q_OBJECT

private slots:
    void frameLayout();
    void slotBitsRepeatWithTheFrame();
    void negativeSlotIsRefused();
    void decodesCleanFrame();
    void decodesWithTenPercentErasures_data();
    void decodesWithTenPercentErasures();
    void decodesWithErasuresAndErrors();
    void findsPhaseWithoutKnownStart();
    void combinesRepetitions();
    void refusesNoise();
    void refusesAllUnknown();
    void tooFewSlotsDoNotDecode();
    void reportSlotsNeeded();
    void shortVideosGetOneSecondSegments();
};

void TestForensicCode::frameLayout() {
    QCOMPARE(ForensicCode::kFrameBits, 121);
    const auto frame = ForensicCode::frameBits(0xDEADBEEF);
    QCOMPARE(static_cast<int>(frame.size()), ForensicCode::kFrameBits);
    // Barker-13 sync at the start of every frame, whatever the code.
    const std::vector<std::uint8_t> sync = {1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 0, 1};
    QVERIFY(std::equal(sync.begin(), sync.end(), frame.begin()));
    QVERIFY(std::equal(sync.begin(), sync.end(), ForensicCode::frameBits(0).begin()));
    // Different codes give different frames. CRC-16/CCITT-FALSE over the code's 4 bytes,
    // big-endian (independently computed for "1234").
    QVERIFY(ForensicCode::frameBits(1) != ForensicCode::frameBits(2));
    QCOMPARE(ForensicCode::crc16(0x31323334u), std::uint16_t{0x5349});
}

void TestForensicCode::slotBitsRepeatWithTheFrame() {
    const std::uint32_t code = 0x12345678;
    const auto frame = ForensicCode::frameBits(code);
    for (int slot = 0; slot < 3 * ForensicCode::kFrameBits; ++slot) {
        QCOMPARE(
            ForensicCode::bitForSlot(code, slot),
            static_cast<int>(frame[static_cast<std::size_t>(slot % ForensicCode::kFrameBits)]));
    }
}

void TestForensicCode::negativeSlotIsRefused() {
    QVERIFY_THROWS_EXCEPTION(reelgate::core::InvalidInput, ForensicCode::bitForSlot(1, -1));
}

void TestForensicCode::decodesCleanFrame() {
    for (std::uint32_t code : {0u, 1u, 0xFFFFFFFFu, 0x80000000u, 0x5A5AA5A5u}) {
        std::mt19937 rng(code);
        const auto soft = readings(code, 0, ForensicCode::kFrameBits, 0, 0, rng);
        const auto decoded = ForensicCode::decode(soft, std::int64_t{0});
        QVERIFY(decoded.has_value());
        QCOMPARE(decoded->code, code);
        QCOMPARE(decoded->agreement, 1.0);
        QCOMPARE(decoded->disagreeingSlots, 0);
    }
}

void TestForensicCode::decodesWithTenPercentErasures_data() {
    QTest::addColumn<bool>("knownPhase");
    QTest::newRow("known start slot") << true;
    QTest::newRow("unknown start slot") << false;
}

void TestForensicCode::decodesWithTenPercentErasures() {
    QFETCH(bool, knownPhase);
    // One frame of slotCount, 10% of them unknown: every trial must decode.
    QCOMPARE(successes(0.10, 0.0, ForensicCode::kFrameBits, knownPhase, 200, 7), 200);
}

void TestForensicCode::decodesWithErasuresAndErrors() {
    // 10% unknown and 3% wrong slotCount in one frame: at least 97% decode.
    QVERIFY(successes(0.10, 0.03, ForensicCode::kFrameBits, true, 200, 11) >= 194);
}

void TestForensicCode::findsPhaseWithoutKnownStart() {
    std::mt19937 rng(3);
    const std::uint32_t code = 0xC0FFEE11;
    const auto soft = readings(code, 57, ForensicCode::kFrameBits + 20, 0.05, 0, rng);
    const auto decoded = ForensicCode::decode(soft);
    QVERIFY(decoded.has_value());
    QCOMPARE(decoded->code, code);
    QCOMPARE(decoded->phase, 57 % ForensicCode::kFrameBits);
}

void TestForensicCode::combinesRepetitions() {
    // Three frames with 30% unknown and 8% wrong each: the soft sum over repetitions decodes,
    // though a single such frame usually does not.
    const int three = successes(0.30, 0.08, 3 * ForensicCode::kFrameBits, true, 100, 5);
    const int one = successes(0.30, 0.08, ForensicCode::kFrameBits, true, 100, 5);
    QVERIFY2(three >= 98, qPrintable(QString("3 frames: %1/100").arg(three)));
    QVERIFY2(one < three, qPrintable(QString("1 frame: %1/100").arg(one)));
}

void TestForensicCode::refusesNoise() {
    std::mt19937 rng(99);
    std::normal_distribution<double> noise(0, 1);
    int falseCodes = 0;
    for (int trial = 0; trial < 300; ++trial) {
        std::vector<double> soft(ForensicCode::kFrameBits * 2);
        for (double& v : soft) {
            v = noise(rng);
        }
        if (ForensicCode::decode(soft)) {
            ++falseCodes;
        }
    }
    QCOMPARE(falseCodes, 0);
}

void TestForensicCode::refusesAllUnknown() {
    const std::vector<double> soft(ForensicCode::kFrameBits, 0.0);
    QVERIFY(!ForensicCode::decode(soft).has_value());
    QVERIFY(!ForensicCode::decode(std::vector<double>{}).has_value());
}

void TestForensicCode::tooFewSlotsDoNotDecode() {
    // A quarter of a frame cannot carry 32 bits plus CRC: nothing (wrong) comes out.
    std::mt19937 rng(1);
    const std::uint32_t code = 0x0BADCAFE;
    const auto soft = readings(code, 0, ForensicCode::kFrameBits / 4, 0, 0, rng);
    const auto decoded = ForensicCode::decode(soft, std::int64_t{0});
    QVERIFY(!decoded.has_value() || decoded->code == code);
}

void TestForensicCode::reportSlotsNeeded() {
    // The figures FORENSICS.md quotes: decode rate by slotCount read and erasure rate (known
    // start).
    const int trials = 100;
    for (double erasures : {0.0, 0.10, 0.25, 0.40}) {
        QString line = QString("erasures %1%:").arg(erasures * 100, 3, 'f', 0);
        for (int slotCount : {100, 121, 242, 363}) {
            line += QString("  %1 slots %2%")
                        .arg(slotCount)
                        .arg(successes(erasures, 0.02, slotCount, true, trials, 21) * 100 / trials);
        }
        qInfo().noquote() << line;
    }
    QVERIFY(successes(0.25, 0.02, 2 * ForensicCode::kFrameBits, true, trials, 21) >= 99);
}

// A 1-minute video at 2 s segments carries 30 slots: too few for a trace of a full recording
// to reach the 1e-9 bound. Such videos are packaged at 1 s; long ones keep the preset's length.
void TestForensicCode::shortVideosGetOneSecondSegments() {
    QCOMPARE(ForensicCode::forensicSegmentMs(2000, 60000), 1000);
    QCOMPARE(ForensicCode::forensicSegmentMs(2000, 90 * 60000), 2000);
    QCOMPARE(ForensicCode::forensicSegmentMs(4000, 60000), 1000);
    QCOMPARE(ForensicCode::forensicSegmentMs(1000, 20000), 1000);
    const double switchMinutes =
        ForensicCode::minutesOfRecordingNeeded(2000, ForensicCode::kShortVideoSessions, 0.9);
    qInfo("forensic packages shorter than %.1f min get 1 s segments", switchMinutes);
    QVERIFY(switchMinutes > 1 && switchMinutes < 5);
    QVERIFY_THROWS_EXCEPTION(reelgate::core::InvalidInput, ForensicCode::forensicSegmentMs(0, 1));
}

QTEST_APPLESS_MAIN(TestForensicCode)
#include "tst_forensiccode.moc"
