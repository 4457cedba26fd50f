// reelgate-encode: the headless front end of reelgate::media, for scripts and tests.
//   reelgate-encode probe IN
//   reelgate-encode transcode IN OUT [--preset P] [--ab] [--aes] [--segment-seconds N]
//   reelgate-encode detect SUSPECT PACKAGE_DIR
// Exit codes: 0 ok, 1 the input or the work failed (message on stderr), 2 bad usage.

#include "reelgate/media/ForensicDetector.h"
#include "reelgate/media/LadderPreset.h"
#include "reelgate/media/LibavVersions.h"
#include "reelgate/media/MediaError.h"
#include "reelgate/media/MediaProbe.h"
#include "reelgate/media/TranscodeJob.h"

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>

using namespace reelgate::media;

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

volatile std::sig_atomic_t interrupted = 0;

void onSignal(int) {
    interrupted = 1;
}

int usage(const std::string& problem) {
    if (!problem.empty()) {
        std::cerr << "reelgate-encode: " << problem << "\n";
    }
    std::cerr << "usage:\n"
                 "  reelgate-encode probe IN\n"
                 "  reelgate-encode transcode IN OUT [--preset default|draft|FILE.json] [--ab]\n"
                 "                  [--aes] [--segment-seconds N] [--threads N] [--mark-seed N]\n"
                 "                  [--quiet]\n"
                 "  reelgate-encode detect SUSPECT PACKAGE_DIR [--json]\n"
                 "  reelgate-encode --version\n";
    return kExitUsage;
}

int probe(const std::vector<std::string>& args) {
    if (args.size() != 1) {
        return usage("probe takes one input file");
    }
    std::cout << probeMedia(args[0]).toJson().dump(2) << "\n";
    return 0;
}

int transcode(const std::vector<std::string>& args) {
    std::vector<std::string> positional;
    TranscodeOptions options;
    bool quiet = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= args.size()) {
                throw MediaError(a + " needs a value");
            }
            return args[++i];
        };
        if (a == "--preset") {
            options.preset = LadderPreset::load(value());
        } else if (a == "--ab") {
            options.abVariants = true;
        } else if (a == "--aes") {
            options.encrypt = true;
        } else if (a == "--quiet") {
            quiet = true;
        } else if (a == "--segment-seconds") {
            const std::string text = value();
            double seconds = 0;
            try {
                seconds = std::stod(text);
            } catch (const std::exception&) {
                throw MediaError("--segment-seconds needs a number, not \"" + text + "\"");
            }
            options.segmentMs = static_cast<int>(seconds * 1000 + 0.5);
        } else if (a == "--mark-seed") {
            const std::string text = value();
            try {
                options.markSeed = static_cast<std::uint32_t>(std::stoul(text));
            } catch (const std::exception&) {
                throw MediaError("--mark-seed needs a whole number, not \"" + text + "\"");
            }
        } else if (a == "--threads") {
            const std::string text = value();
            try {
                options.encoderThreads = std::stoi(text);
            } catch (const std::exception&) {
                throw MediaError("--threads needs a whole number, not \"" + text + "\"");
            }
        } else if (a.rfind("--", 0) == 0) {
            return usage("unknown option " + a);
        } else {
            positional.push_back(a);
        }
    }
    if (positional.size() != 2) {
        return usage("transcode takes IN and OUT");
    }
    options.input = positional[0];
    options.output = positional[1];
    TranscodeJob job(options);
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    job.start();
    TranscodeProgress progress;
    for (;;) {
        progress = job.progress();
        if (progress.state != JobState::Running) {
            break;
        }
        if (interrupted != 0) {
            job.cancel();
        }
        if (!quiet) {
            std::fprintf(stderr, "\r%-9s %5.1f%%  eta %6.1f s ", progress.stage.c_str(),
                         progress.fraction * 100,
                         progress.etaMs < 0 ? 0.0 : static_cast<double>(progress.etaMs) / 1000);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    progress = job.wait();
    if (!quiet) {
        std::fprintf(stderr, "\n");
    }
    if (progress.state == JobState::Succeeded) {
        const auto manifest = job.manifest();
        std::cout << "wrote " << options.output.string() << ": " << manifest->renditions.size()
                  << " renditions, " << manifest->segments.size() << " segments"
                  << (manifest->abVariants ? " (A/B)" : "")
                  << (manifest->encryption ? " (AES-128)" : "") << " in "
                  << static_cast<double>(progress.elapsedMs) / 1000 << " s\n";
        return 0;
    }
    if (progress.state == JobState::Cancelled) {
        std::cerr << "reelgate-encode: cancelled; nothing was written\n";
        return kExitFailed;
    }
    std::cerr << "reelgate-encode: " << progress.error << "\n";
    return kExitFailed;
}

int detect(const std::vector<std::string>& args) {
    std::vector<std::string> positional;
    bool json = false;
    for (const std::string& a : args) {
        if (a == "--json") {
            json = true;
        } else if (a.rfind("--", 0) == 0) {
            return usage("unknown option " + a);
        } else {
            positional.push_back(a);
        }
    }
    if (positional.size() != 2) {
        return usage("detect takes SUSPECT and PACKAGE_DIR");
    }
    const ForensicDetector detector(positional[1]);
    const DetectionReport report = detector.detect(positional[0]);
    // Peak resident memory of the whole run (detection streams: it stays flat with length).
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double peakMb = static_cast<double>(usage.ru_maxrss) / 1024.0;
    if (json) {
        nlohmann::json out = report.toJson();
        out["peak_memory_mb"] = std::round(peakMb * 10) / 10;
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    std::printf("reference %s, offset %.3f s (match %.2f), crop [%.3f %.3f %.3f %.3f]%s\n",
                report.rendition.c_str(), report.offsetSeconds, report.alignmentScore,
                report.cropLeft, report.cropTop, report.cropRight, report.cropBottom,
                report.mirrored ? ", mirrored" : "");
    std::printf("%6s %4s %10s %8s %8s %6s\n", "slot", "bit", "confidence", "gamma", "z", "frames");
    for (const SlotReading& s : report.readings) {
        std::printf("%6lld %4s %10.4f %8.3f %8.2f %6d\n", static_cast<long long>(s.slot),
                    slotBitName(s.bit), s.confidence, s.gamma, s.z, s.framesUsed);
    }
    if (report.decoded) {
        std::printf("forensic code %u (agreement %.2f over %d slots)\n", report.decoded->code,
                    report.decoded->agreement, report.decoded->knownSlots);
    } else {
        std::printf("forensic code: not decodable from these slots\n");
    }
    std::printf("peak memory %.1f MB\n", peakMb);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        return usage("");
    }
    setLibavLogging(true);
    const std::string command = args.front();
    args.erase(args.begin());
    try {
        if (command == "--version") {
            std::cout << "reelgate-encode (" << libavVersions() << ")\n";
            return 0;
        }
        if (command == "probe") {
            return probe(args);
        }
        if (command == "transcode") {
            return transcode(args);
        }
        if (command == "detect") {
            return detect(args);
        }
        return usage("unknown command " + command);
    } catch (const std::exception& e) {
        std::cerr << "reelgate-encode: " << e.what() << "\n";
        return kExitFailed;
    }
}
