#pragma once
// Internal: the synchronous body of a TranscodeJob. Probes, plans the ladder, runs the ONE
// decode into the rendition workers, then writes playlists, key and manifest.json into
// `workDir` (the ".partial" folder; the job renames it). Thread: the job's thread.

#include "reelgate/media/TranscodeJob.h"

#include <atomic>
#include <functional>
#include <optional>

namespace reelgate::media {

struct PipelineObserver {
    std::function<void(const char* stage)> stage;
    std::function<void(double fraction)> fraction;
};

// The manifest of the written package; std::nullopt when cancelled. Throws MediaError.
std::optional<PackageManifest> runTranscode(const TranscodeOptions& options,
                                            const std::filesystem::path& workDir,
                                            std::atomic<bool>& cancel,
                                            const PipelineObserver& observer);

// The constant output frame rate for a source rate: standard rates snap (29.97 stays 30000/1001),
// others round to whole frames; above maxFps the rate is halved (or capped).
Rational chooseFrameRate(Rational source, int maxFps);

} // namespace reelgate::media
