#pragma once
// Runs the forensic detector out of process: `reelgate-encode detect SUSPECT PACKAGE --json`.
// The server itself never loads FFmpeg (it stays small, and a crash while decoding a hostile
// recording cannot take it down). Blocking; any thread. `cancel` is polled while the detector
// runs (it is killed when set). Errors: ServiceError Invalid "trace_failed" with the detector's
// message.

#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>

namespace reelgate::server::forensics {

// The reelgate-encode to use: $REELGATE_ENCODE_BIN, else the one beside this server binary
// (installed layout), else the build tree's, else "reelgate-encode" from PATH.
std::filesystem::path detectorBinary();

// The detector's JSON report (rendition, offset_seconds, slots[{slot, bit, z, ...}], decoded).
nlohmann::json runDetector(const std::filesystem::path& suspect,
                           const std::filesystem::path& packageDir,
                           const std::atomic<bool>* cancel = nullptr);

} // namespace reelgate::server::forensics
