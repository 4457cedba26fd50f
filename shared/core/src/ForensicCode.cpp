#include "reelgate/core/ForensicCode.h"

#include "reelgate/core/InvalidInput.h"
#include "reelgate/core/TardosCode.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace reelgate::core {
namespace {

constexpr unsigned kGenerator0 = 0171; // octal, K = 7
constexpr unsigned kGenerator1 = 0133;
constexpr int kStates = 1 << (ForensicCode::kConstraintLength - 1);
constexpr int kInterleaveStride = 41; // coprime with kCodedBits (108 = 2^2 * 3^3)
constexpr std::array<std::uint8_t, ForensicCode::kSyncBits> kSync = {1, 1, 1, 1, 1, 0, 0,
                                                                     1, 1, 0, 1, 0, 1};

static_assert(ForensicCode::kCodedBits == 108);
static_assert(ForensicCode::kFrameBits == 121);

int parity(unsigned value) {
    return __builtin_parity(value);
}

// Frame position of coded bit c.
int codedPosition(int c) {
    return ForensicCode::kSyncBits + (c * kInterleaveStride) % ForensicCode::kCodedBits;
}

// Register after shifting input bit u into state s: the newest bit is the LSB.
unsigned shiftIn(unsigned state, unsigned u) {
    return ((state << 1) | u) & 0x7Fu;
}

std::array<std::uint8_t, ForensicCode::kInfoBits> infoBits(std::uint32_t code) {
    std::array<std::uint8_t, ForensicCode::kInfoBits> bits{};
    const std::uint16_t crc = ForensicCode::crc16(code);
    for (int i = 0; i < ForensicCode::kPayloadBits; ++i) {
        bits[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>((code >> (31 - i)) & 1u);
    }
    for (int i = 0; i < ForensicCode::kCrcBits; ++i) {
        bits[static_cast<std::size_t>(ForensicCode::kPayloadBits + i)] =
            static_cast<std::uint8_t>((crc >> (15 - i)) & 1u);
    }
    return bits; // the tail stays zero
}

struct ViterbiOutput {
    std::array<std::uint8_t, ForensicCode::kInfoBits> bits{};
};

// Soft Viterbi over the 108 coded values (positive = 1). The tail forces the end state to 0.
ViterbiOutput viterbi(const std::array<double, ForensicCode::kCodedBits>& coded) {
    constexpr double kNone = -std::numeric_limits<double>::infinity();
    std::array<double, kStates> metric{};
    metric.fill(kNone);
    metric[0] = 0;
    std::array<std::array<std::uint8_t, kStates>, ForensicCode::kInfoBits> fromState{};
    constexpr int kTailStart = ForensicCode::kInfoBits - (ForensicCode::kConstraintLength - 1);
    for (int t = 0; t < ForensicCode::kInfoBits; ++t) {
        std::array<double, kStates> next{};
        next.fill(kNone);
        const double s0 = coded[static_cast<std::size_t>(2 * t)];
        const double s1 = coded[static_cast<std::size_t>(2 * t + 1)];
        const unsigned maxInput = t >= kTailStart ? 0u : 1u;
        for (unsigned state = 0; state < kStates; ++state) {
            if (metric[state] == kNone) {
                continue;
            }
            for (unsigned u = 0; u <= maxInput; ++u) {
                const unsigned reg = shiftIn(state, u);
                const double branch =
                    (parity(reg & kGenerator0) ? s0 : -s0) + (parity(reg & kGenerator1) ? s1 : -s1);
                const unsigned to = reg & (kStates - 1);
                const double candidate = metric[state] + branch;
                if (candidate > next[to]) {
                    next[to] = candidate;
                    fromState[static_cast<std::size_t>(t)][to] = static_cast<std::uint8_t>(state);
                }
            }
        }
        metric = next;
    }
    ViterbiOutput out;
    unsigned state = 0;
    for (int t = ForensicCode::kInfoBits - 1; t >= 0; --t) {
        out.bits[static_cast<std::size_t>(t)] = static_cast<std::uint8_t>(state & 1u);
        state = fromState[static_cast<std::size_t>(t)][state];
    }
    return out;
}

} // namespace

std::uint16_t ForensicCode::crc16(std::uint32_t code) {
    std::uint16_t crc = 0xFFFF;
    for (int byteIndex = 3; byteIndex >= 0; --byteIndex) {
        crc ^= static_cast<std::uint16_t>(((code >> (8 * byteIndex)) & 0xFFu) << 8);
        for (int bit = 0; bit < 8; ++bit) {
            crc = (crc & 0x8000u) ? static_cast<std::uint16_t>((crc << 1) ^ 0x1021u)
                                  : static_cast<std::uint16_t>(crc << 1);
        }
    }
    return crc;
}

std::vector<std::uint8_t> ForensicCode::frameBits(std::uint32_t code) {
    std::vector<std::uint8_t> frame(kFrameBits, 0);
    std::copy(kSync.begin(), kSync.end(), frame.begin());
    const auto info = infoBits(code);
    unsigned state = 0;
    for (int t = 0; t < kInfoBits; ++t) {
        const unsigned reg = shiftIn(state, info[static_cast<std::size_t>(t)]);
        frame[static_cast<std::size_t>(codedPosition(2 * t))] =
            static_cast<std::uint8_t>(parity(reg & kGenerator0));
        frame[static_cast<std::size_t>(codedPosition(2 * t + 1))] =
            static_cast<std::uint8_t>(parity(reg & kGenerator1));
        state = reg & (kStates - 1);
    }
    return frame;
}

int ForensicCode::bitForSlot(std::uint32_t code, std::int64_t slot) {
    if (slot < 0) {
        throw InvalidInput("forensic slot must not be negative");
    }
    return frameBits(code)[static_cast<std::size_t>(slot % kFrameBits)];
}

std::optional<ForensicDecodeResult> ForensicCode::decode(std::span<const double> soft,
                                                         std::optional<std::int64_t> firstSlot) {
    int knownSlots = 0;
    double totalWeight = 0;
    for (double value : soft) {
        if (value != 0 && std::isfinite(value)) {
            ++knownSlots;
            totalWeight += std::abs(value);
        }
    }
    if (knownSlots == 0) {
        return std::nullopt;
    }
    int firstPhase = 0;
    int lastPhase = kFrameBits - 1;
    if (firstSlot) {
        if (*firstSlot < 0) {
            throw InvalidInput("forensic first slot must not be negative");
        }
        firstPhase = lastPhase = static_cast<int>(*firstSlot % kFrameBits);
    }
    std::optional<ForensicDecodeResult> best;
    double bestMetric = -std::numeric_limits<double>::infinity();
    for (int phase = firstPhase; phase <= lastPhase; ++phase) {
        std::array<double, kFrameBits> acc{};
        std::array<bool, kFrameBits> seen{};
        for (std::size_t i = 0; i < soft.size(); ++i) {
            if (soft[i] != 0 && std::isfinite(soft[i])) {
                const auto q = (static_cast<std::size_t>(phase) + i) % kFrameBits;
                acc[q] += soft[i];
                seen[q] = true;
            }
        }
        std::array<double, kCodedBits> coded{};
        for (int c = 0; c < kCodedBits; ++c) {
            coded[static_cast<std::size_t>(c)] = acc[static_cast<std::size_t>(codedPosition(c))];
        }
        const ViterbiOutput out = viterbi(coded);
        std::uint32_t code = 0;
        for (int i = 0; i < kPayloadBits; ++i) {
            code = (code << 1) | out.bits[static_cast<std::size_t>(i)];
        }
        std::uint16_t crc = 0;
        for (int i = 0; i < kCrcBits; ++i) {
            crc = static_cast<std::uint16_t>((crc << 1) |
                                             out.bits[static_cast<std::size_t>(kPayloadBits + i)]);
        }
        if (crc != crc16(code)) {
            continue;
        }
        const auto frame = frameBits(code);
        double agreeWeight = 0;
        int disagreeing = 0;
        for (std::size_t i = 0; i < soft.size(); ++i) {
            if (soft[i] == 0 || !std::isfinite(soft[i])) {
                continue;
            }
            const bool one = frame[(static_cast<std::size_t>(phase) + i) % kFrameBits] != 0;
            if ((soft[i] > 0) == one) {
                agreeWeight += std::abs(soft[i]);
            } else {
                ++disagreeing;
            }
        }
        const double agreement = agreeWeight / totalWeight;
        const double metricValue = 2 * agreeWeight - totalWeight;
        if (agreement < kMinAgreement || metricValue <= bestMetric) {
            continue;
        }
        bestMetric = metricValue;
        ForensicDecodeResult result;
        result.code = code;
        result.phase = phase;
        result.agreement = agreement;
        result.knownSlots = knownSlots;
        result.disagreeingSlots = disagreeing;
        result.frameCoverage =
            static_cast<double>(std::count(seen.begin(), seen.end(), true)) / kFrameBits;
        best = result;
    }
    return best;
}

namespace {

// Per read slot, the Chernoff exponent (nats) by which an innocent session's score falls short
// of a single leaker's expected score: max over lambda of lambda * mu - E[log MGF(lambda)],
// averaged over the arcsine biases and the leaker's bit, one slot in 50 read wrong.
double tardosRatePerSlot() {
    constexpr int kPoints = 400;
    constexpr double kWrong = 0.02;
    std::vector<double> bias;
    for (int i = 0; i < kPoints; ++i) {
        bias.push_back(TardosCode::biasFromUniform((i + 0.5) / kPoints));
    }
    double mu = 0;
    for (double p : bias) {
        const double a = std::sqrt((1 - p) / p);
        const double b = std::sqrt(p / (1 - p));
        // The leaker played B with probability p; the slot reads right with 1 - kWrong.
        mu += (1 - kWrong) * (p * a + (1 - p) * b) - kWrong * (p * a + (1 - p) * b);
    }
    mu /= kPoints;
    auto exponent = [&](double lambda) {
        double logMgf = 0;
        for (double p : bias) {
            const double a = std::sqrt((1 - p) / p);
            const double b = std::sqrt(p / (1 - p));
            const double readB =
                std::log(p * std::exp(lambda * a) + (1 - p) * std::exp(-lambda * b));
            const double readA =
                std::log(p * std::exp(-lambda * a) + (1 - p) * std::exp(lambda * b));
            const double pReadB = p * (1 - kWrong) + (1 - p) * kWrong;
            logMgf += pReadB * readB + (1 - pReadB) * readA;
        }
        return lambda * mu - logMgf / kPoints;
    };
    double best = 0;
    for (double lambda = 0.01; lambda < 3; lambda += 0.01) {
        best = std::max(best, exponent(lambda));
    }
    return best;
}

} // namespace

double ForensicCode::minutesOfRecordingNeeded(int segmentMs, std::size_t sessions,
                                              double readFraction) {
    if (segmentMs <= 0 || !(readFraction > 0 && readFraction <= 1)) {
        throw InvalidInput("segment length and read fraction must be positive");
    }
    // The leaker's own score spreads around its mean; this margin covers 99% of copies.
    constexpr double kMargin = 1.45;
    static const double rate = tardosRatePerSlot();
    const double nats =
        (9 + std::log10(static_cast<double>(std::max<std::size_t>(sessions, 1)))) * std::log(10.0);
    const double slots = std::ceil(kMargin * nats / rate / readFraction);
    return slots * segmentMs / 60000.0;
}

int ForensicCode::forensicSegmentMs(int presetMs, std::int64_t durationMs) {
    if (presetMs <= 0) {
        throw InvalidInput("segment length must be positive");
    }
    const double neededMs = minutesOfRecordingNeeded(presetMs, kShortVideoSessions, 0.9) * 60000;
    return presetMs > kShortVideoSegmentMs && static_cast<double>(durationMs) < neededMs
               ? kShortVideoSegmentMs
               : presetMs;
}

} // namespace reelgate::core
