#pragma once
// TardosCode: the collusion-resistant forensic code of one video (the symmetric Tardos code,
// Skoric, Katzenbeisser and Celik 2008). Segment slot n has a secret bias p_n in
// [kCutoff, 1 - kCutoff] drawn from the arcsine distribution (p = sin^2 r, r uniform between
// asin(sqrt t) and pi/2 - asin(sqrt t)); a session plays variant B in slot n when its own
// uniform number for n is below p_n. Both uniforms come from HMAC-SHA256 (the video's seed for
// the biases, the session's seed for its bits), so every bit is reproducible from the two stored
// seeds and unpredictable without them. Scoring a copy: TardosAccusation.h.
// Immutable after construction; thread-safe. Seeds are any non-empty byte strings (the server
// stores UUIDs and uses their text); InvalidInput for an empty seed or a negative slot.

#include <cstdint>
#include <string>
#include <string_view>

namespace reelgate::core {

class TardosCode {
public:
    // Bias cutoff t: no slot is nearly always A or always B (those carry almost no identity),
    // and no score term exceeds sqrt((1 - t) / t) ~ 3 in size. Tuned in tests/core/tst_tardos.cpp
    // for coalitions of up to 3.
    static constexpr double kCutoff = 0.1;

    explicit TardosCode(std::string videoSeed);

    // p_n: the probability that a session plays B in slot n.
    double bias(std::int64_t slot) const;
    // The variant of `slot` for the session seeded with `sessionSeed`: true = B.
    bool bitB(std::string_view sessionSeed, std::int64_t slot) const;
    // The same with the slot's bias already known (scoring many sessions on the same slots).
    static bool bitB(std::string_view sessionSeed, std::int64_t slot, double bias);

    // The arcsine bias for a uniform number u in [0, 1) (simulations draw their own u).
    static double biasFromUniform(double u);
    // A uniform number in [0, 1) from HMAC-SHA256(key, tag || slot), 53 bits.
    static double uniform(std::string_view key, char tag, std::int64_t slot);

private:
    std::string videoSeed_;
};

} // namespace reelgate::core
