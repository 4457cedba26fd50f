#pragma once
// Leak trace: reads the A/B bit of every segment slot from a suspect recording (the package's
// own A and B segments are the references; the detector runs out of process, see
// DetectorProcess.h), then finds the playback
// sessions whose forensic codes explain those bits: every session of the video is scored
// against the slots read (SessionRanking.h) and named only when the chance that any innocent
// session scores as well is below 1e-9. A self-decoded frame code (sessions from before
// sql/0014) is reported alongside. Ties and the runner-up are reported; "confidence" only for
// an identification.
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
    // A session is named only when the chance that ANY innocent session of the video scores
    // as well is below 10^kLog10Target (SessionRanking.h).
    static constexpr double kLog10Target = -9;

    TraceService(catalog::VideoService& videos, playback::PlaybackService& playback,
                 std::filesystem::path videosDir)
        : videos_(videos)
        , playback_(playback)
        , videosDir_(std::move(videosDir)) {}

    // {"video", "identified", "method", "confidence" (null unless identified), "session", "user"
    //  (the first named), "named" [..], "tie", "runner_up", "margin", "bound", "slots",
    //  "candidates", "readings" (per slot), "detection" (geometry)}
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
