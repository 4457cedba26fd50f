#pragma once
// ForensicCode: the forensic payload a playback session carries through the A/B segment
// variants. A 32-bit session code becomes a frame of kFrameBits bits that repeats for the
// whole video: segment slot n plays variant B when frameBits(code)[n % kFrameBits] is 1,
// variant A when it is 0 (bitForSlot). A leak trace reads one soft bit per slot and decodes.
//
// Frame layout (121 bits):
//   13-bit Barker sync | 108 coded bits, interleaved (coded bit c at sync + (c * 41) % 108)
//   coded bits = rate-1/2 convolutional code, K = 7, generators 171/133 (octal), over
//   payload (32 bits, MSB first) + CRC-16/CCITT-FALSE of the payload (16 bits) + 6 zero tail bits.
// The decoder combines repetitions softly, treats unknown slots as erasures, finds the frame
// phase from the sync word (or takes it from a known first slot), runs soft Viterbi and
// accepts only a result whose CRC matches and whose re-encoded frame agrees with the input.
// How many slots are needed: one full frame (121 slots) with up to ~10% unknown and a few wrong
// decodes every time; two frames (242 slots) tolerate 40% unknown. Figures: FORENSICS.md in
// shared/media and tests/media/tst_forensiccode.cpp (reportSlotsNeeded).
// Pure functions; thread-safe.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace reelgate::core {

struct ForensicDecodeResult {
    std::uint32_t code = 0;
    int phase = 0;            // frame position of the first input slot (0..kFrameBits-1)
    double agreement = 0;     // soft-weighted fraction of known slots that match, 0..1
    int knownSlots = 0;       // input slots that carried a bit (non-zero soft value)
    int disagreeingSlots = 0; // known slots whose sign contradicts the decoded frame
    double frameCoverage = 0; // fraction of frame positions seen at least once, 0..1
};

class ForensicCode {
public:
    static constexpr int kPayloadBits = 32;
    static constexpr int kCrcBits = 16;
    static constexpr int kConstraintLength = 7;
    static constexpr int kInfoBits = kPayloadBits + kCrcBits + kConstraintLength - 1; // 54
    static constexpr int kCodedBits = 2 * kInfoBits;                                  // 108
    static constexpr int kSyncBits = 13;
    static constexpr int kFrameBits = kSyncBits + kCodedBits; // 121
    // Minimum soft-weighted agreement for an accepted decode (random input scores ~0.5-0.7).
    static constexpr double kMinAgreement = 0.8;

    // The kFrameBits bits (0 or 1) of `code`'s frame.
    static std::vector<std::uint8_t> frameBits(std::uint32_t code);
    // The variant bit (0 = A, 1 = B) of segment slot `slot` (>= 0) for `code`.
    // Throws InvalidInput for a negative slot.
    static int bitForSlot(std::uint32_t code, std::int64_t slot);

    // Decodes a slot sequence. soft[i] > 0 means slot i read as 1 (B), < 0 as 0 (A), 0 = unknown;
    // the magnitude is the confidence (any positive scale). When firstSlot is known (the absolute
    // slot index of soft[0]) the phase is not searched. std::nullopt when no phase yields a
    // CRC-valid code with agreement >= kMinAgreement.
    static std::optional<ForensicDecodeResult>
    decode(std::span<const double> soft, std::optional<std::int64_t> firstSlot = std::nullopt);

    // Minutes of a recording a trace needs to name a single leaker among `sessions` sessions
    // (1e-9 union bound, TardosAccusation.h) when a fraction `readFraction` (0..1] of the slots
    // read and one slot in 50 reads wrong: one slot per segment of `segmentMs`. From the
    // per-slot Chernoff rate of the Tardos score, with a margin so 99% of such copies are named
    // (tests/core/tst_tardos.cpp checks it against simulation). InvalidInput for bad arguments.
    static double minutesOfRecordingNeeded(int segmentMs, std::size_t sessions,
                                           double readFraction = 0.8);

    // Segment length of a forensic package of a video lasting durationMs, when the creator did
    // not choose one: presetMs (2 s by default), unless the whole video at that length would
    // carry fewer slots than a trace of a full recording needs (minutesOfRecordingNeeded with
    // kShortVideoSessions sessions, 90% of slots read); then 1 s segments (twice the slots, a
    // 1-minute video gives 60). InvalidInput for presetMs <= 0.
    static constexpr std::size_t kShortVideoSessions = 100;
    static constexpr int kShortVideoSegmentMs = 1000;
    static int forensicSegmentMs(int presetMs, std::int64_t durationMs);

    // CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) of the code's 4 bytes, big-endian.
    static std::uint16_t crc16(std::uint32_t code);
};

} // namespace reelgate::core
