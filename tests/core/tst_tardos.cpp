// Unit tests for the collusion-resistant forensic code (core::TardosCode) and its accusation
// rule (core::TardosAccusation), on the code alone: simulated coalitions mix their copies the
// ways a leaker can (segment by segment, frame averaging, majority, random choice), reading
// loses and flips slots, and innocent sessions must never be named while a colluder is.

#include <reelgate/core/ForensicCode.h>
#include <reelgate/core/InvalidInput.h>
#include <reelgate/core/TardosAccusation.h>
#include <reelgate/core/TardosCode.h>

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

using reelgate::core::ForensicCode;
using reelgate::core::TardosAccusation;
using reelgate::core::TardosCode;
using reelgate::core::TardosRead;

namespace {

constexpr double kLog10Target = -9;            // the trace names a session below 1e-9
constexpr std::size_t kSessionsOfVideo = 1000; // the union bound counts this many sessions
constexpr int kFeatureSlots = 2700;            // 90 minutes at 2-second segments

enum class Mix { Interleave, Average, Majority, RandomChoice };

const char* mixName(Mix mix) {
    switch (mix) {
    case Mix::Interleave:
        return "interleave";
    case Mix::Average:
        return "average";
    case Mix::Majority:
        return "majority";
    case Mix::RandomChoice:
        return "random";
    }
    return "?";
}

struct Trial {
    int colludersNamed = 0;
    int innocentsNamed = 0;
};

// One coalition of `size` sessions making one copy of a video of `slots` slots; `innocents`
// other sessions of the video. Reading erases `erasure` of the slots and flips `flips`.
Trial simulate(std::mt19937_64& rng, int size, Mix mix, int slotCount, int innocents,
               double erasure, double flips) {
    std::uniform_real_distribution<double> uniform(0, 1);
    std::vector<double> bias(static_cast<std::size_t>(slotCount));
    for (double& p : bias) {
        p = TardosCode::biasFromUniform(uniform(rng));
    }
    auto drawBits = [&] {
        std::vector<std::uint8_t> bits(bias.size());
        for (std::size_t n = 0; n < bits.size(); ++n) {
            bits[n] = uniform(rng) < bias[n] ? 1 : 0;
        }
        return bits;
    };
    std::vector<std::vector<std::uint8_t>> colluders;
    for (int k = 0; k < size; ++k) {
        colluders.push_back(drawBits());
    }
    std::vector<TardosRead> reads;
    std::vector<std::size_t> readSlots;
    for (std::size_t n = 0; n < bias.size(); ++n) {
        int ones = 0;
        for (const auto& c : colluders) {
            ones += c[n];
        }
        int y = -1; // -1: nothing readable in this slot
        switch (mix) {
        case Mix::Interleave:
            y = colluders[n % colluders.size()][n];
            break;
        case Mix::Average: // A and B cancel where the copies disagree
            if (ones == 0 || ones == size) {
                y = ones == 0 ? 0 : 1;
            } else if (2 * ones != size) {
                y = 2 * ones > size ? 1 : 0;
            }
            break;
        case Mix::Majority:
            y = 2 * ones == size ? static_cast<int>(rng() & 1u) : (2 * ones > size ? 1 : 0);
            break;
        case Mix::RandomChoice:
            y = colluders[rng() % colluders.size()][n];
            break;
        }
        if (y < 0 || uniform(rng) < erasure) {
            continue;
        }
        if (uniform(rng) < flips) {
            y = 1 - y;
        }
        reads.push_back({bias[n], y == 1});
        readSlots.push_back(n);
    }
    const TardosAccusation accusation(reads);
    // Named: log10(sessions) + log10 P(innocent >= score) <= target (what the trace does with
    // TardosAccusation::threshold, evaluated here at the few scores that matter).
    const double logSessions = std::log10(static_cast<double>(kSessionsOfVideo));
    auto named = [&](double score) {
        return logSessions + accusation.log10InnocentTail(score) <= kLog10Target;
    };
    auto scoreOf = [&](const std::vector<std::uint8_t>& bits) {
        std::vector<std::uint8_t> seen;
        for (std::size_t n : readSlots) {
            seen.push_back(bits[n]);
        }
        return accusation.score(seen);
    };
    Trial trial;
    for (const auto& c : colluders) {
        trial.colludersNamed += named(scoreOf(c)) ? 1 : 0;
    }
    double bestInnocent = -1e300;
    std::vector<double> innocentScores;
    for (int i = 0; i < innocents; ++i) {
        innocentScores.push_back(scoreOf(drawBits()));
        bestInnocent = std::max(bestInnocent, innocentScores.back());
    }
    if (innocents > 0 && named(bestInnocent)) {
        for (double score : innocentScores) {
            trial.innocentsNamed += named(score) ? 1 : 0;
        }
    }
    return trial;
}

} // namespace

class TestTardos : public QObject {
    Q_OBJECT

private slots:
    void biasesFollowTheArcsineLawWithinTheCutoff() {
        const TardosCode code("video seed");
        int belowQuarter = 0;
        double sumOfB = 0;
        constexpr int kSlots = 20000;
        for (std::int64_t n = 0; n < kSlots; ++n) {
            const double p = code.bias(n);
            QVERIFY(p >= TardosCode::kCutoff - 1e-12 && p <= 1 - TardosCode::kCutoff + 1e-12);
            belowQuarter += p < 0.25 ? 1 : 0;
            sumOfB += code.bitB("session seed", n) ? 1 : 0;
        }
        // r uniform on [asin(sqrt t), pi/2 - asin(sqrt t)]; p < 1/4 <=> r < pi/6.
        const double low = std::asin(std::sqrt(TardosCode::kCutoff));
        const double expected = (M_PI / 6 - low) / (M_PI / 2 - 2 * low);
        QVERIFY2(std::abs(double(belowQuarter) / kSlots - expected) < 0.015,
                 qPrintable(QString::number(double(belowQuarter) / kSlots)));
        QVERIFY(std::abs(sumOfB / kSlots - 0.5) < 0.02); // B as often as A overall
    }

    void bitsAreReproducibleFromTheSeedsAndDifferBetweenSessions() {
        const TardosCode a("video-1");
        const TardosCode again("video-1");
        const TardosCode other("video-2");
        int differsSession = 0;
        int differsVideo = 0;
        for (std::int64_t n = 0; n < 400; ++n) {
            QCOMPARE(a.bias(n), again.bias(n));
            QCOMPARE(a.bitB("s1", n), again.bitB("s1", n));
            QCOMPARE(TardosCode::bitB("s1", n, a.bias(n)), a.bitB("s1", n));
            differsSession += a.bitB("s1", n) != a.bitB("s2", n) ? 1 : 0;
            differsVideo += a.bias(n) != other.bias(n) ? 1 : 0;
        }
        QVERIFY(differsSession > 100);
        QCOMPARE(differsVideo, 400);
        QVERIFY_THROWS_EXCEPTION(reelgate::core::InvalidInput, TardosCode(""));
        QVERIFY_THROWS_EXCEPTION(reelgate::core::InvalidInput, a.bitB("s1", -1));
        QVERIFY_THROWS_EXCEPTION(reelgate::core::InvalidInput, a.bitB("", 1));
    }

    // The Chernoff bound must be a bound: at a loose level (1 in 100) innocents reach the
    // threshold at most that often; a broken bound would show at once.
    void theBoundHoldsEmpiricallyAtALooseLevel() {
        std::mt19937_64 rng(7);
        std::uniform_real_distribution<double> uniform(0, 1);
        int over = 0;
        int total = 0;
        for (int trial = 0; trial < 100; ++trial) {
            std::vector<TardosRead> reads;
            for (int n = 0; n < 150; ++n) {
                reads.push_back({TardosCode::biasFromUniform(uniform(rng)), uniform(rng) < 0.5});
            }
            const TardosAccusation accusation(reads);
            const double threshold = accusation.threshold(1, -2);
            QVERIFY(std::isfinite(threshold));
            std::vector<std::uint8_t> bits(reads.size());
            for (int innocent = 0; innocent < 1000; ++innocent) {
                for (std::size_t n = 0; n < reads.size(); ++n) {
                    bits[n] = uniform(rng) < reads[n].bias ? 1 : 0;
                }
                over += accusation.score(bits) >= threshold ? 1 : 0;
                ++total;
            }
        }
        qInfo("innocents at or over the 1e-2 threshold: %d of %d", over, total);
        QVERIFY(over <= total / 100);
        QVERIFY(over > 0 || total < 1000); // not vacuous: the level is reachable by chance
    }

    void scoresAndErasures() {
        // A perfect single leaker: its score is the maximum; an erased slot adds nothing.
        const TardosAccusation one({{0.2, true}});
        QCOMPARE(one.score(std::vector<std::uint8_t>{1}), std::sqrt(0.8 / 0.2));
        QCOMPARE(one.score(std::vector<std::uint8_t>{0}), -std::sqrt(0.2 / 0.8));
        QCOMPARE(one.maxScore(), 2.0);
        const TardosAccusation none({});
        QVERIFY(std::isinf(none.threshold(10, kLog10Target)));
        QCOMPARE(none.log10InnocentTail(1), 0.0);
        QVERIFY_THROWS_EXCEPTION(reelgate::core::InvalidInput, TardosAccusation({{1.0, true}}));
        QVERIFY_THROWS_EXCEPTION(reelgate::core::InvalidInput,
                                 one.score(std::vector<std::uint8_t>{1, 0}));
    }

    void coalitions_data() {
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("mix");
        for (int size : {2, 3}) {
            for (Mix mix : {Mix::Interleave, Mix::Average, Mix::Majority, Mix::RandomChoice}) {
                if (mix == Mix::Majority && size == 2) {
                    continue; // a 2-way majority is the random choice
                }
                QTest::addRow("%d-%s", size, mixName(mix)) << size << static_cast<int>(mix);
            }
        }
    }

    // Feature length, a quarter of the slots unread and 2% read wrong: over many coalitions no
    // innocent is ever named, and at least one colluder is named in every copy.
    void coalitions() {
        QFETCH(int, size);
        QFETCH(int, mix);
        std::mt19937_64 rng(static_cast<std::uint64_t>(1000 * size + mix));
        constexpr int kCoalitions = 400;
        constexpr int kInnocents = 100;
        int innocentsNamed = 0;
        int copiesTraced = 0;
        int colludersNamed = 0;
        for (int c = 0; c < kCoalitions; ++c) {
            const Trial trial =
                simulate(rng, size, static_cast<Mix>(mix), kFeatureSlots, kInnocents, 0.25, 0.02);
            innocentsNamed += trial.innocentsNamed;
            copiesTraced += trial.colludersNamed > 0 ? 1 : 0;
            colludersNamed += trial.colludersNamed;
        }
        qInfo("%d coalitions of %d (%s): %d copies traced, %d colluders named, %d of %d "
              "innocents named",
              kCoalitions, size, mixName(static_cast<Mix>(mix)), copiesTraced, colludersNamed,
              innocentsNamed, kCoalitions * kInnocents);
        QCOMPARE(innocentsNamed, 0);
        QCOMPARE(copiesTraced, kCoalitions);
    }

    // How many read slots a single leaker needs (no collusion, 2% of the read slots wrong),
    // for the studio's estimate; 99 of 100 copies must be named at that length.
    void singleLeakerSlotsNeeded() {
        std::mt19937_64 rng(11);
        int needed = 0;
        for (int slotCount = 20; slotCount <= 400; slotCount += 10) {
            int named = 0;
            for (int t = 0; t < 100; ++t) {
                named += simulate(rng, 1, Mix::Interleave, slotCount, 0, 0, 0.02).colludersNamed;
            }
            if (named >= 99) {
                needed = slotCount;
                break;
            }
        }
        qInfo("a single leaker is named in 99%% of copies from %d read slots", needed);
        QVERIFY(needed > 0 && needed <= 200);
        // The studio's estimate covers it without asking for far more.
        const double estimate = ForensicCode::minutesOfRecordingNeeded(2000, 1000, 1.0) * 30;
        qInfo("estimate for 1000 sessions, every slot read: %.0f slots", estimate);
        QVERIFY(estimate >= needed && estimate <= 1.5 * needed);
        QVERIFY(ForensicCode::minutesOfRecordingNeeded(2000, 10, 0.5) <
                ForensicCode::minutesOfRecordingNeeded(4000, 10, 0.5));
        QVERIFY_THROWS_EXCEPTION(reelgate::core::InvalidInput,
                                 ForensicCode::minutesOfRecordingNeeded(2000, 10, 0));
    }
};

QTEST_APPLESS_MAIN(TestTardos)
#include "tst_tardos.moc"
