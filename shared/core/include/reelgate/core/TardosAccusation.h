#pragma once
// TardosAccusation: scores sessions against the slots read from a copy and bounds the chance
// that a session which did NOT contribute to the copy scores that well.
// Score (symmetric Tardos): over the slots read, a session gains sqrt((1-p)/p) where it played
// B and B was read, sqrt(p/(1-p)) where it played A and A was read, and loses the other square
// root where they differ; unread slots are erasures (they add nothing).
// Bound: an innocent session's bits are independent of the copy, so its slot scores are
// independent with known laws (B with probability p). The Chernoff bound
//   P(S >= s) <= min over lambda >= 0 of exp(-lambda s) * prod_n E[exp(lambda U_n)]
// is computed exactly on the slots read (their p and read bit), with no approximation.
// Over N sessions the union bound multiplies it by N; a session is named only when that
// product is below the target (1e-9). The bound holds for any copy and any reading errors.
// Immutable after construction; thread-safe.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace reelgate::core {

struct TardosRead {
    double bias = 0.5;  // p of the slot, in (0, 1)
    bool readB = false; // the variant read from the copy
};

class TardosAccusation {
public:
    explicit TardosAccusation(std::vector<TardosRead> reads);

    static double slotScore(double bias, bool readB, bool bitB);
    // sessionBitsB[i]: the session's variant (B = 1) in the slot of reads[i].
    double score(std::span<const std::uint8_t> sessionBitsB) const;
    // log10 of the Chernoff bound on P(score of an innocent session >= s); 0 when s <= 0.
    double log10InnocentTail(double s) const;
    // The least score s with log10(sessions) + log10InnocentTail(s) <= log10Target, or
    // +infinity when even a perfect match could not reach it (too few slots read).
    double threshold(std::size_t sessions, double log10Target) const;
    // The largest score any session could reach on these reads.
    double maxScore() const;
    std::size_t slotsRead() const { return reads_.size(); }

private:
    // Per read slot: the score if the session played B (ifB) or A (ifA), and P(B) = bias.
    struct Term {
        double bias, ifB, ifA;
    };
    std::vector<Term> terms_;
    std::vector<TardosRead> reads_;
};

} // namespace reelgate::core
