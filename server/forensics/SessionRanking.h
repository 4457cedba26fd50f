#pragma once
// Ranks the sessions of a video against the A/B slots read from a copy (TraceService's core,
// without the database). Sessions of scheme 2 are scored with the video's Tardos code, those of
// scheme 1 (before sql/0014) against their frame code with fair bits, sync slots left out.
// A session is named when N * P(an innocent scores as well) <= 10^log10Target, N the number of
// sessions of the video (union bound; P from core::TardosAccusation's Chernoff bound).
// Pure; any thread.

#include "playback/PlaybackService.h"

#include <cstdint>
#include <vector>

namespace reelgate::server::forensics {

struct RankedSession {
    std::int64_t sessionId = 0;
    std::uint32_t code = 0;
    int scheme = 1;
    double score = 0;      // symmetric Tardos score (fair bits: agreeing - disagreeing)
    int slotsRead = 0;     // slots read that count for this session's scheme
    int agreeing = 0;      // of those, slots where the session played what was read
    double log10Bound = 0; // log10 of N * P(innocent >= score), capped at 0
    bool named = false;
};

struct SessionRanking {
    std::size_t sessions = 0;
    // Named sessions first (best bound first), then the best unnamed one (the runner-up).
    std::vector<RankedSession> ranked;
    bool tie = false; // more than one session named with the best score
};

SessionRanking rankSessions(const std::vector<double>& soft,
                            const playback::PlaybackService::ForensicSessions& sessions,
                            double log10Target);

} // namespace reelgate::server::forensics
