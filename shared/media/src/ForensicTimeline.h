#pragma once
// Internal: putting a suspect copy on the package's time line. The suspect's frames are matched
// to package frames by content fingerprints: a global rate and offset, then an offset per piece
// of the copy (a copy may start late, be a clip, run at another frame rate or speed, or have
// cuts). Thread: any; pure functions.

#include "ForensicReference.h"

#include <cstdint>
#include <vector>

namespace reelgate::media {

struct TimeAlignment {
    std::int64_t offsetFrames = 0; // package frame = round(rate * t * fps) + offsetFrames
    double rate = 1;               // package seconds per suspect second
    double score = 0;              // mean fingerprint correlation of the matched frames
};

// t: suspect frame times relative to its first frame. The best constant offset for one rate.
TimeAlignment alignInTime(const std::vector<Fingerprint>& reference,
                          const std::vector<Fingerprint>& suspect, const std::vector<double>& t,
                          double frameRate, double rate = 1);

// The suspect's time line on the package's, piece by piece: a copy played faster or slower
// (rates 0.93..1.07), with cuts, or with pieces reordered.
struct TimeMap {
    TimeAlignment global;                   // best single rate and offset (for the refusal)
    std::vector<std::int64_t> packageFrame; // per suspect frame; -1 where it matches nothing
};

// Global rate and offset first; then every piece of kPieceSeconds of the copy takes the offset of
// the piece before it unless an offset within kLocalSearchSeconds fits clearly better (a cut or a
// drift): a drift is judged over three pieces, a cut must hold for the next pieces while the
// running offset stops fitting as it did (look-alike offsets on featureless pictures are not
// taken); a frame near a piece boundary takes the neighbouring piece's offset when its own
// fingerprint fits that better (the exact cut point). Pieces that fit nothing are dropped.
TimeMap alignPiecewise(const std::vector<Fingerprint>& reference,
                       const std::vector<Fingerprint>& suspect, const std::vector<double>& t,
                       double frameRate);

} // namespace reelgate::media
