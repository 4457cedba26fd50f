#include "reelgate/core/TardosAccusation.h"

#include "reelgate/core/InvalidInput.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace reelgate::core {
namespace {

constexpr int kBisectionSteps = 60;
constexpr int kNewtonSteps = 40;
constexpr double kMaxLambda = 1 << 20;

} // namespace

TardosAccusation::TardosAccusation(std::vector<TardosRead> reads)
    : reads_(std::move(reads)) {
    terms_.reserve(reads_.size());
    for (const TardosRead& r : reads_) {
        if (!(r.bias > 0 && r.bias < 1)) {
            throw InvalidInput("a Tardos bias must lie strictly between 0 and 1");
        }
        terms_.push_back(
            {r.bias, slotScore(r.bias, r.readB, true), slotScore(r.bias, r.readB, false)});
    }
}

double TardosAccusation::slotScore(double bias, bool readB, bool bitB) {
    const double towardB = std::sqrt((1 - bias) / bias); // rare B matched: strong evidence
    const double towardA = std::sqrt(bias / (1 - bias));
    if (readB) {
        return bitB ? towardB : -towardA;
    }
    return bitB ? -towardB : towardA;
}

double TardosAccusation::score(std::span<const std::uint8_t> sessionBitsB) const {
    if (sessionBitsB.size() != terms_.size()) {
        throw InvalidInput("a session's bits must match the slots read");
    }
    double total = 0;
    for (std::size_t i = 0; i < terms_.size(); ++i) {
        total += sessionBitsB[i] != 0 ? terms_[i].ifB : terms_[i].ifA;
    }
    return total;
}

double TardosAccusation::maxScore() const {
    double total = 0;
    for (const Term& t : terms_) {
        total += std::max(t.ifB, t.ifA);
    }
    return total;
}

double TardosAccusation::log10InnocentTail(double s) const {
    if (s <= 0 || terms_.empty()) {
        return 0;
    }
    // f(lambda) = sum log E[exp(lambda U)] - lambda s is convex with f(0) = 0; its slope is the
    // tilted mean minus s and its curvature the tilted variance. Safeguarded Newton on the slope.
    struct Tilt {
        double value = 0, slope = 0, curvature = 0;
    };
    auto tilt = [&](double lambda) {
        Tilt out;
        for (const Term& t : terms_) {
            const double top = std::max(t.ifB, t.ifA);
            const double wB = t.bias * std::exp(lambda * (t.ifB - top));
            const double wA = (1 - t.bias) * std::exp(lambda * (t.ifA - top));
            const double mean = (wB * t.ifB + wA * t.ifA) / (wB + wA);
            out.value += lambda * top + std::log(wB + wA);
            out.slope += mean;
            out.curvature +=
                (wB * (t.ifB - mean) * (t.ifB - mean) + wA * (t.ifA - mean) * (t.ifA - mean)) /
                (wB + wA);
        }
        out.value -= lambda * s;
        out.slope -= s;
        return out;
    };
    if (tilt(0).slope >= 0) {
        return 0;
    }
    double low = 0;
    double high = 1;
    while (tilt(high).slope < 0 && high < kMaxLambda) {
        low = high;
        high *= 2;
    }
    double lambda = (low + high) / 2;
    double best = 0;
    for (int i = 0; i < kNewtonSteps; ++i) {
        const Tilt here = tilt(lambda);
        best = std::min(best, here.value);
        if (std::abs(here.slope) < 1e-9 * (1 + s)) {
            break;
        }
        (here.slope < 0 ? low : high) = lambda;
        double next = here.curvature > 0 ? lambda - here.slope / here.curvature : high;
        if (!(next > low && next < high)) {
            next = (low + high) / 2;
        }
        lambda = next;
    }
    best = std::min({best, tilt(low).value, tilt(high).value});
    return std::min(0.0, best / std::numbers::ln10);
}

double TardosAccusation::threshold(std::size_t sessions, double log10Target) const {
    const double logSessions = std::log10(static_cast<double>(std::max<std::size_t>(sessions, 1)));
    const double top = maxScore();
    auto reached = [&](double s) { return logSessions + log10InnocentTail(s) <= log10Target; };
    if (terms_.empty() || !reached(top)) {
        return std::numeric_limits<double>::infinity();
    }
    double low = 0;
    double high = top;
    for (int i = 0; i < kBisectionSteps; ++i) {
        const double mid = (low + high) / 2;
        (reached(mid) ? high : low) = mid;
    }
    return high;
}

} // namespace reelgate::core
