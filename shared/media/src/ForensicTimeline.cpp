#include "ForensicTimeline.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace reelgate::media {
namespace {

constexpr std::size_t kMaxAlignFrames = 400;
// Speeds tried for the whole copy (a copy played 4% faster is a known trick); steps of 1% leave
// at most 0.3 frames of drift inside a piece.
constexpr int kRateSteps = 7;
constexpr double kRateStep = 0.01;
constexpr double kPieceSeconds = 2.0;
constexpr double kLocalSearchSeconds = 30.0;
constexpr std::int64_t kTrackFrames = 3;
constexpr std::size_t kPiecesBetweenFullSearches = 15;
// A piece leaves the running offset only for a clearly better fit; it needs kMinPieceScore to
// take a new one, and is dropped below kDropScore (it shows nothing of the package).
constexpr double kSwitchMargin = 0.1;
constexpr double kMinPieceScore = 0.35;
constexpr double kDropScore = 0.15;
constexpr double kBoundaryMargin = 0.05;
// Offsets fitting within kTieScore of the best are equal candidates (the nearest one wins);
// following a drift uses kTrackTieScore.
constexpr double kTieScore = 0.01;
constexpr double kTrackTieScore = 0.001;
// Following a drift needs a better fit over three pieces by kDriftSpreads times the spread of
// the running offset's recent piece fits, within [kMinDriftMargin, kDriftMargin]: on pictures
// whose time fingerprints hardly change (settled dense texture, a still), neighbouring offsets
// fit alike and the running offset would otherwise wander by noise, a few frames per piece, into
// neighbouring segments; on clean pictures a speed left over after the global rate (up to 0.6
// frames a piece) must still be followed closely.
constexpr double kDriftMargin = 0.02;
constexpr double kMinDriftMargin = 0.003;
constexpr double kDriftSpreads = 0.1;
// A new offset must hold for this many following pieces (a look-alike moment fits one). Over
// them the running offset must fit worse than its usual fit (the median of its last
// kRecentPieces pieces) by kLostMargin, or by kLostSpreads times the spread of those fits when
// that is more, and the new offset must fit within kLostMargin / 2 of that usual fit (a cut
// keeps showing the same film).
constexpr std::size_t kConfirmPieces = 2;
constexpr std::size_t kRecentPieces = 16;
constexpr double kLostMargin = 0.15;
constexpr double kLostSpreads = 3;

double correlation(const Fingerprint& a, const Fingerprint& b) {
    float dot = 0;
    for (std::size_t k = 0; k < 16; ++k) {
        dot += a[k] * b[k];
    }
    return dot;
}

// How well suspect frames [begin, end) fit the package at `offset`: the mean fingerprint
// correlation (frames off the package count 0), averaged with the correlation of the two
// sequences' changes around their own means over the piece. The second term tells apart times
// whose pictures look alike (a static layout with a moving part); it is 0 when either side hardly
// changes (a slide), so static content keeps its plain correlation.
double pieceScore(const std::vector<Fingerprint>& reference,
                  const std::vector<Fingerprint>& suspect, const std::vector<std::int64_t>& base,
                  std::size_t begin, std::size_t end, std::int64_t offset) {
    constexpr double kMinChange = 0.01; // mean squared change per frame (unit-norm prints)
    double sr = 0, rr = 0, ss = 0;
    std::array<double, 16> sSum{}, rSum{};
    std::size_t n = 0;
    const auto refCount = static_cast<std::int64_t>(reference.size());
    for (std::size_t j = begin; j < end; ++j) {
        const std::int64_t i = base[j] + offset;
        if (i < 0 || i >= refCount) {
            continue;
        }
        const Fingerprint& r = reference[static_cast<std::size_t>(i)];
        const Fingerprint& s = suspect[j];
        for (std::size_t k = 0; k < 16; ++k) {
            sr += static_cast<double>(s[k]) * r[k];
            rr += static_cast<double>(r[k]) * r[k];
            ss += static_cast<double>(s[k]) * s[k];
            sSum[k] += s[k];
            rSum[k] += r[k];
        }
        ++n;
    }
    if (n == 0) {
        return 0;
    }
    const double count = static_cast<double>(n);
    double srMean = 0, rrMean = 0, ssMean = 0;
    for (std::size_t k = 0; k < 16; ++k) {
        srMean += sSum[k] * rSum[k] / count;
        rrMean += rSum[k] * rSum[k] / count;
        ssMean += sSum[k] * sSum[k] / count;
    }
    const double sChange = ss - ssMean;
    const double rChange = rr - rrMean;
    double changes = 0;
    // Fixed per piece on the copy's side; damped on the package's (no step between offsets).
    if (sChange > kMinChange * count) {
        changes = (sr - srMean) / std::sqrt(sChange * (rChange + kMinChange * count));
    }
    return 0.5 * (sr / static_cast<double>(end - begin) + changes);
}

struct PieceFit {
    std::int64_t offset = 0;
    double score = -1;
};

// The best offset in [from, to]; among offsets that fit within kTieScore of the best, the one
// nearest `prefer` (periodic content, e.g. a test pattern, fits every period equally).
PieceFit bestInRange(const std::vector<Fingerprint>& reference,
                     const std::vector<Fingerprint>& suspect, const std::vector<std::int64_t>& base,
                     std::size_t begin, std::size_t end, std::int64_t from, std::int64_t to,
                     std::int64_t prefer, double tie = kTieScore) {
    // Only offsets that put some of the piece on the package.
    const auto refCount = static_cast<std::int64_t>(reference.size());
    from = std::max(from, -base[end - 1]);
    to = std::min(to, refCount - 1 - base[begin]);
    std::vector<double> scores;
    double top = -1;
    for (std::int64_t offset = from; offset <= to; ++offset) {
        scores.push_back(pieceScore(reference, suspect, base, begin, end, offset));
        top = std::max(top, scores.back());
    }
    PieceFit best;
    bool found = false;
    for (std::int64_t offset = from; offset <= to; ++offset) {
        const double score = scores[static_cast<std::size_t>(offset - from)];
        if (score >= top - tie &&
            (!found || std::abs(offset - prefer) < std::abs(best.offset - prefer))) {
            best = {offset, score};
            found = true;
        }
    }
    return best;
}

} // namespace

TimeAlignment alignInTime(const std::vector<Fingerprint>& reference,
                          const std::vector<Fingerprint>& suspect, const std::vector<double>& t,
                          double frameRate, double rate) {
    TimeAlignment best;
    best.rate = rate;
    best.score = -std::numeric_limits<double>::infinity();
    if (reference.empty() || suspect.empty()) {
        best.score = 0;
        return best;
    }
    // An even subset of suspect frames keeps the search linear in the package length.
    std::vector<std::size_t> picks;
    const std::size_t step = std::max<std::size_t>(1, suspect.size() / kMaxAlignFrames);
    for (std::size_t j = 0; j < suspect.size(); j += step) {
        picks.push_back(j);
    }
    std::vector<std::int64_t> base(picks.size());
    for (std::size_t p = 0; p < picks.size(); ++p) {
        base[p] = std::llround(rate * t[picks[p]] * frameRate);
    }
    const auto refCount = static_cast<std::int64_t>(reference.size());
    const std::int64_t first = -base.back();
    const std::int64_t last = refCount - 1 - base.front();
    const std::size_t minPairs = std::max<std::size_t>(8, picks.size() / 4);
    for (std::int64_t offset = first; offset <= last; ++offset) {
        double sum = 0;
        std::size_t pairs = 0;
        for (std::size_t p = 0; p < picks.size(); ++p) {
            const std::int64_t i = base[p] + offset;
            if (i < 0 || i >= refCount) {
                continue;
            }
            sum += correlation(reference[static_cast<std::size_t>(i)], suspect[picks[p]]);
            ++pairs;
        }
        if (pairs < std::min(minPairs, picks.size())) {
            continue;
        }
        // Favour offsets that explain more of the suspect (a short overlap can match by luck).
        const double score =
            sum / static_cast<double>(pairs) *
            std::sqrt(static_cast<double>(pairs) / static_cast<double>(picks.size()));
        if (score > best.score) {
            best.score = score;
            best.offsetFrames = offset;
        }
    }
    return best;
}

TimeMap alignPiecewise(const std::vector<Fingerprint>& reference,
                       const std::vector<Fingerprint>& suspect, const std::vector<double>& t,
                       double frameRate) {
    TimeMap map;
    map.packageFrame.assign(suspect.size(), -1);
    // Rate 1 first, then away from it: a tie keeps the nearer rate.
    map.global = alignInTime(reference, suspect, t, frameRate, 1.0);
    for (int k = 1; k <= kRateSteps; ++k) {
        for (double sign : {1.0, -1.0}) {
            const TimeAlignment fit =
                alignInTime(reference, suspect, t, frameRate, 1.0 + sign * k * kRateStep);
            if (fit.score > map.global.score) {
                map.global = fit;
            }
        }
    }
    if (suspect.empty() || reference.empty()) {
        return map;
    }
    std::vector<std::int64_t> base(suspect.size());
    for (std::size_t j = 0; j < suspect.size(); ++j) {
        base[j] = std::llround(map.global.rate * t[j] * frameRate);
    }
    // Pieces of kPieceSeconds of the copy's own time.
    std::vector<std::size_t> starts{0};
    for (std::size_t j = 1; j < suspect.size(); ++j) {
        if (std::floor(t[j] / kPieceSeconds) != std::floor(t[starts.back()] / kPieceSeconds)) {
            starts.push_back(j);
        }
    }
    starts.push_back(suspect.size());
    const auto local = static_cast<std::int64_t>(kLocalSearchSeconds * frameRate);
    const auto refCount = static_cast<std::int64_t>(reference.size());
    std::int64_t running = map.global.offsetFrames;
    std::vector<std::int64_t> pieceOffset(starts.size() - 1);
    std::vector<bool> aligned(starts.size() - 1, false);
    std::size_t nextFullSearch = 0;
    // The running offset's fits over its last kRecentPieces pieces.
    std::vector<double> recent;
    auto median = [](std::vector<double> values) {
        std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
        return values[values.size() / 2];
    };
    // How much the running offset's fit varies from piece to piece (robust standard deviation).
    auto fitSpread = [&] {
        if (recent.size() < 3) {
            return 0.0;
        }
        const double mid = median(recent);
        std::vector<double> deviations;
        for (double v : recent) {
            deviations.push_back(std::abs(v - mid));
        }
        return 1.4826 * median(deviations);
    };
    // A new offset must hold for the next pieces too: a cut moves the rest of the copy, while a
    // look-alike moment (periodic or noisy content) fits a piece or two.
    auto confirmed = [&](std::size_t p, std::int64_t offset, double stay, double wideScore) {
        double stayedSum = stay, movedSum = wideScore;
        std::size_t pieces = 1;
        for (std::size_t q = p + 1; q <= p + kConfirmPieces && q + 1 < starts.size(); ++q) {
            const PieceFit moved =
                bestInRange(reference, suspect, base, starts[q], starts[q + 1],
                            offset - kTrackFrames, offset + kTrackFrames, offset, kTrackTieScore);
            const PieceFit stayed = bestInRange(reference, suspect, base, starts[q], starts[q + 1],
                                                running - kTrackFrames, running + kTrackFrames,
                                                running, kTrackTieScore);
            if (moved.score <= stayed.score + kSwitchMargin / 2) {
                return false;
            }
            stayedSum += stayed.score;
            movedSum += moved.score;
            ++pieces;
        }
        // The running offset must have stopped fitting: on pictures that hardly tell moments
        // apart, look-alike offsets (the coding noise repeats with the keyframe interval) fit as
        // well as the true one, by chance better for a few pieces, while the true one keeps
        // fitting as it did.
        if (recent.empty()) {
            return true;
        }
        const double usual = median(recent);
        const double drop = std::max(kLostMargin, kLostSpreads * fitSpread());
        return stayedSum / static_cast<double>(pieces) < usual - drop &&
               movedSum / static_cast<double>(pieces) >= usual - kLostMargin / 2;
    };
    for (std::size_t p = 0; p + 1 < starts.size(); ++p) {
        const std::size_t begin = starts[p];
        const std::size_t end = starts[p + 1];
        // A drift is judged on this piece with its neighbours (a speed left over after the
        // global rate moves the offset by a third of a frame a piece at most).
        const std::size_t driftBegin = starts[p == 0 ? 0 : p - 1];
        const std::size_t driftEnd = starts[std::min(p + 2, starts.size() - 1)];
        const PieceFit drift =
            bestInRange(reference, suspect, base, driftBegin, driftEnd, running - kTrackFrames,
                        running + kTrackFrames, running, kTrackTieScore);
        const double stay = pieceScore(reference, suspect, base, begin, end, running);
        PieceFit track{running, stay};
        const double driftMargin = recent.size() < 3 ? kMinDriftMargin
                                                     : std::clamp(kDriftSpreads * fitSpread(),
                                                                  kMinDriftMargin, kDriftMargin);
        if (drift.score >=
            pieceScore(reference, suspect, base, driftBegin, driftEnd, running) + driftMargin) {
            track = {drift.offset, pieceScore(reference, suspect, base, begin, end, drift.offset)};
        }
        PieceFit wide = bestInRange(reference, suspect, base, begin, end, running - local,
                                    running + local, running);
        // The whole package only when nothing near fits (a long cut), and not every piece of a
        // copy that fits nowhere (dark or blank stretches).
        if (wide.score < kMinPieceScore && track.score < kMinPieceScore && p >= nextFullSearch) {
            nextFullSearch = p + kPiecesBetweenFullSearches;
            wide = bestInRange(reference, suspect, base, begin, end, -base[end - 1],
                               refCount - 1 - base[begin], running);
        }
        PieceFit chosen = track;
        if (wide.score >= kMinPieceScore && wide.score > track.score + kSwitchMargin &&
            confirmed(p, wide.offset, stay, wide.score)) {
            chosen = wide;
            recent.clear();
        }
        if (chosen.score < kDropScore) {
            continue;
        }
        running = chosen.offset;
        recent.push_back(chosen.score);
        if (recent.size() > kRecentPieces) {
            recent.erase(recent.begin());
        }
        pieceOffset[p] = chosen.offset;
        aligned[p] = true;
    }
    // The piece just before a switch may already be past the cut: it takes the new offset when
    // that fits it better (one piece only: static content fits both equally and must not drift).
    for (std::size_t p = 0; p + 2 < starts.size(); ++p) {
        auto jump = [&](std::size_t q) {
            return std::abs(pieceOffset[q] - pieceOffset[q + 1]) > kTrackFrames;
        };
        if (aligned[p] && aligned[p + 1] && jump(p) &&
            (p == 0 || !aligned[p - 1] || !jump(p - 1)) &&
            pieceScore(reference, suspect, base, starts[p], starts[p + 1], pieceOffset[p + 1]) >
                pieceScore(reference, suspect, base, starts[p], starts[p + 1], pieceOffset[p])) {
            pieceOffset[p] = pieceOffset[p + 1];
            ++p; // the piece that moved is not reconsidered
        }
    }
    // Pieces that fit nothing between two pieces at the same offset keep it: the copy runs on
    // (nothing was cut there), its pictures just do not tell moments apart (settled texture).
    std::vector<bool> bridged(aligned.size(), false);
    for (std::size_t p = 1; p < aligned.size(); ++p) {
        if (aligned[p] || !aligned[p - 1]) {
            continue;
        }
        std::size_t next = p;
        while (next < aligned.size() && !aligned[next]) {
            ++next;
        }
        if (next < aligned.size() &&
            std::abs(pieceOffset[next] - pieceOffset[p - 1]) <= kTrackFrames) {
            for (std::size_t q = p; q < next; ++q) {
                pieceOffset[q] = pieceOffset[p - 1];
                aligned[q] = bridged[q] = true;
            }
        }
        p = next;
    }
    // Each frame: its piece's offset, or a neighbour's where its own picture fits that clearly
    // better (a cut inside a piece).
    for (std::size_t p = 0; p + 1 < starts.size(); ++p) {
        for (std::size_t j = starts[p]; j < starts[p + 1]; ++j) {
            auto fit = [&](std::int64_t offset) {
                const std::int64_t i = base[j] + offset;
                return i >= 0 && i < refCount
                           ? correlation(reference[static_cast<std::size_t>(i)], suspect[j])
                           : -1.0;
            };
            std::int64_t best = -1;
            double bestFit = -1;
            if (aligned[p]) {
                best = pieceOffset[p];
                bestFit = fit(best) + kBoundaryMargin;
            }
            for (std::size_t q : {p - 1, p + 1}) {
                if (q < aligned.size() && aligned[q] && fit(pieceOffset[q]) > bestFit) {
                    best = pieceOffset[q];
                    bestFit = fit(best);
                }
            }
            if (bestFit > kDropScore || (bridged[p] && best == pieceOffset[p])) {
                const std::int64_t i = base[j] + best;
                map.packageFrame[j] = i >= 0 && i < refCount ? i : -1;
            }
        }
    }
    return map;
}

} // namespace reelgate::media
