#include "forensics/SessionRanking.h"

#include "reelgate/core/ForensicCode.h"
#include "reelgate/core/TardosAccusation.h"
#include "reelgate/core/TardosCode.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace reelgate::server::forensics {
namespace {

using core::ForensicCode;
using core::TardosAccusation;
using core::TardosRead;

constexpr double kTieTolerance = 1e-9;
// Per scheme only the best-scoring few need their bound computed: it falls as the score grows.
constexpr std::size_t kBoundedPerScheme = 4;

struct Scheme {
    std::vector<std::int64_t> slots; // slots read that count
    std::vector<TardosRead> reads;
    std::optional<TardosAccusation> accusation;
    std::vector<RankedSession> scored;
};

} // namespace

SessionRanking rankSessions(const std::vector<double>& soft,
                            const playback::PlaybackService::ForensicSessions& sessions,
                            double log10Target) {
    SessionRanking out;
    out.sessions = sessions.sessions.size();
    Scheme tardos, frame;
    std::optional<core::TardosCode> code;
    if (!sessions.videoSeed.empty())
        code.emplace(sessions.videoSeed);
    for (std::size_t n = 0; n < soft.size(); ++n) {
        if (soft[n] == 0 || !std::isfinite(soft[n]))
            continue;
        const auto slot = static_cast<std::int64_t>(n);
        if (code) {
            tardos.slots.push_back(slot);
            tardos.reads.push_back({code->bias(slot), soft[n] > 0});
        }
        if (slot % ForensicCode::kFrameBits >= ForensicCode::kSyncBits) {
            frame.slots.push_back(slot);
            frame.reads.push_back({0.5, soft[n] > 0});
        }
    }
    tardos.accusation.emplace(tardos.reads);
    frame.accusation.emplace(frame.reads);

    std::vector<std::uint8_t> bits;
    for (const auto& s : sessions.sessions) {
        Scheme& scheme = s.scheme == 2 ? tardos : frame;
        if (s.scheme == 2 && !code)
            continue;
        bits.clear();
        for (std::size_t i = 0; i < scheme.slots.size(); ++i) {
            const std::int64_t slot = scheme.slots[i];
            bits.push_back(
                s.scheme == 2 ? (core::TardosCode::bitB(s.seed, slot, scheme.reads[i].bias) ? 1 : 0)
                              : static_cast<std::uint8_t>(ForensicCode::bitForSlot(s.code, slot)));
        }
        RankedSession r;
        r.sessionId = s.sessionId;
        r.code = s.code;
        r.scheme = s.scheme;
        r.score = scheme.accusation->score(bits);
        r.slotsRead = static_cast<int>(bits.size());
        for (std::size_t i = 0; i < bits.size(); ++i)
            r.agreeing += (bits[i] != 0) == scheme.reads[i].readB ? 1 : 0;
        scheme.scored.push_back(r);
    }
    const double logSessions =
        std::log10(static_cast<double>(std::max<std::size_t>(out.sessions, 1)));
    std::vector<RankedSession> all;
    for (Scheme* scheme : {&tardos, &frame}) {
        auto& list = scheme->scored;
        std::sort(list.begin(), list.end(),
                  [](const RankedSession& a, const RankedSession& b) { return a.score > b.score; });
        const double threshold = scheme->accusation->threshold(out.sessions, log10Target);
        for (std::size_t i = 0; i < list.size(); ++i) {
            RankedSession& r = list[i];
            r.named = r.score >= threshold;
            if (!r.named && i >= kBoundedPerScheme)
                break;
            r.log10Bound =
                std::min(0.0, logSessions + scheme->accusation->log10InnocentTail(r.score));
            all.push_back(r);
        }
    }
    std::stable_sort(all.begin(), all.end(), [](const RankedSession& a, const RankedSession& b) {
        if (a.named != b.named)
            return a.named;
        return a.log10Bound < b.log10Bound;
    });
    for (const RankedSession& r : all) {
        if (r.named) {
            out.ranked.push_back(r);
        } else {
            out.ranked.push_back(r); // the runner-up: the best session not named
            break;
        }
    }
    if (out.ranked.size() >= 2 && out.ranked[0].named && out.ranked[1].named &&
        out.ranked[0].scheme == out.ranked[1].scheme &&
        std::abs(out.ranked[0].score - out.ranked[1].score) <= kTieTolerance)
        out.tie = true;
    return out;
}

} // namespace reelgate::server::forensics
