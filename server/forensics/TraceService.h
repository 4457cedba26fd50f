#pragma once
// Leak trace: reads the A/B bit of every segment slot from a suspect recording (the package's
// own A and B segments are the references; the detector runs out of process, see
// DetectorProcess.h), then finds the playback
// session whose forensic code explains those bits: by decoding the code outright when a whole
// code frame was read, else by matching the bits against the codes of every session of the
// video (a few dozen readable slots suffice for that). The confidence is 1 - p, p the chance
// that some unrelated session agrees as well by luck (binomial tail, union over sessions).
// Blocking (seconds to minutes); any thread. Errors: ServiceError (unknown video, a package
// without A/B variants, an unreadable file).

#include "catalog/VideoService.h"
#include "playback/PlaybackService.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <string>

namespace reelgate::server::forensics {

class TraceService {
public:
    static constexpr double kMinConfidence = 0.999;
    static constexpr double kMinAgreement = 0.75;

    TraceService(catalog::VideoService& videos, playback::PlaybackService& playback,
                 std::filesystem::path videosDir)
        : videos_(videos)
        , playback_(playback)
        , videosDir_(std::move(videosDir)) {}

    // {"video", "identified", "method", "confidence", "session", "user", "slots", "candidates",
    //  "detection"}
    nlohmann::json trace(const std::string& videoPublicId, const std::filesystem::path& suspect,
                         const std::atomic<bool>* cancel = nullptr);

private:
    catalog::VideoService& videos_;
    playback::PlaybackService& playback_;
    std::filesystem::path videosDir_;
};

// Human-readable lines for the CLI.
std::string describeTrace(const nlohmann::json& result);

} // namespace reelgate::server::forensics
