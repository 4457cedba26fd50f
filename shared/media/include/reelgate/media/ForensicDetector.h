#pragma once
// ForensicDetector: reads the A/B bit of every segment slot from a suspect copy of a package's
// video (a re-encode, a downscale, a crop, a screen capture), using the package's own A and B
// segments as references (informed detection).
// Per slot n: the suspect frames shown during the mark window of segment n are fitted as
//   suspect ~ levels(mid) + gamma * amplitude * envelope * P,   mid = (A+B)/2 (no mark)
// on a small luma grid (levels: brightness, contrast, gamma bend); gamma ~ +1 means A, -1 B.
// The noise level comes from the same fit against decoy patterns (other seeds), so
// z = gamma / sigma is a calibrated signal-to-noise figure. A bit needs |z| >= kMinZ and
// |gamma| >= kMinGain (a third of the designed mark: A and B encoders keep slightly different
// amounts of it, so even the unmarked source reads |gamma| up to ~0.2), scaled down in slots
// whose package carries less of the mark (kMinGainFraction); otherwise it is unknown.
// Time (a speed, then an offset per 2 s piece: cuts and drift), crop and scale of the suspect
// are estimated first from the picture content, in both orientations (a mirrored copy reads); a
// copy that aligns poorly is refused. The suspect is decoded twice and nothing per frame but a
// small fingerprint grid is kept, so memory hardly grows with length. Details:
// shared/media/FORENSICS.md. Thread: detect() is blocking and may run on any thread; one detector
// per thread. Errors: MediaError (unreadable suspect, a package without A/B variants or manifest).

#include "reelgate/core/ForensicCode.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace reelgate::media {

enum class SlotBit { Invalid = 0, A, B, Unknown };

const char* slotBitName(SlotBit bit); // "A", "B", "?"

struct SlotReading {
    std::int64_t slot = 0; // segment index in the package timeline
    SlotBit bit = SlotBit::Unknown;
    double confidence = 0; // 0..1: probability the bit is not noise (from z), 0 when unknown
    double gamma = 0;      // fitted mark gain: +1 = A as encoded, -1 = B, 0 = no mark
    double z = 0;          // gamma / noise sigma
    int framesUsed = 0;    // suspect frames that fell into this slot's mark window
};

struct DetectionReport {
    std::string rendition;     // the package rendition used as reference
    double offsetSeconds = 0;  // package time of the suspect's first frame
    double speed = 1;          // package seconds per suspect second (1.04: played 4% faster)
    double alignmentScore = 0; // content correlation at that offset, 0..1
    double cropLeft = 0, cropTop = 0, cropRight = 1, cropBottom = 1; // package-picture coords
    bool mirrored = false;             // the copy was flipped left to right; read flipped back
    std::vector<SlotReading> readings; // one per package segment slot (not "slots": a Qt macro)
    std::optional<core::ForensicDecodeResult> decoded; // when the slots carry a whole code

    // soft values for core::ForensicCode::decode (+z for B, -z for A, 0 unknown)
    std::vector<double> softBits() const;
    nlohmann::json toJson() const;
};

class ForensicDetector {
public:
    static constexpr double kMinZ = 4.0;
    static constexpr double kMinGain = 0.35;
    // In a slot whose package A and B carry only c < 1 of the designed mark (dense texture after
    // the package's encoder), the floor is kMinGain * max(c, kMinGainFraction).
    static constexpr double kMinGainFraction = 1.0 / 3;
    // Below this content alignment the copy is refused as "does not match this video" instead
    // of being read slot by slot (a copy of a different video aligns at 0.01-0.21).
    static constexpr double kMinAlignment = 0.35;

    // Reads the package's manifest; throws MediaError when it has no A/B variants.
    explicit ForensicDetector(std::filesystem::path packageDir);
    // cancel (optional) is polled between steps; a cancelled run throws MediaError("cancelled").
    DetectionReport detect(const std::filesystem::path& suspect,
                           const std::atomic<bool>* cancel = nullptr) const;

private:
    std::filesystem::path packageDir_;
};

} // namespace reelgate::media
