// Benchmark: our ladder transcode beside the ffmpeg command line producing the same renditions
// (sizes, bitrates, x264 preset and profile, forced keyframes every segment, AAC, HLS 4 s) from
// the same source, in one run; wall-time and CPU-time ratios printed as a table.
// Targets: plain ladder <= 1.0x ffmpeg's wall time, with A/B variants <= 1.5x.
// Each run is repeated (interleaved: plain, ffmpeg, A/B, plain, ...) and the fastest of each
// kind counts: on a shared machine the fastest run is the least disturbed one.
// Usage: bench_transcode REELGATE_ENCODE FFMPEG [SECONDS] [REPEATS]. Fails only when a run cannot
// complete.

#include <nlohmann/json.hpp>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Timing {
    bool ok = false;
    double wallSeconds = 0;
    double cpuSeconds = 0; // user + system of the child and its threads
};

Timing fastest(const Timing& a, const Timing& b) {
    if (!a.ok) {
        return b;
    }
    return {true, std::min(a.wallSeconds, b.wallSeconds), std::min(a.cpuSeconds, b.cpuSeconds)};
}

Timing timed(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const std::string& a : args) {
        argv.push_back(const_cast<char*>(a.c_str()));
    }
    argv.push_back(nullptr);
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
        execv(argv[0], argv.data());
        _exit(127);
    }
    Timing t;
    int status = 0;
    rusage usage{};
    if (pid < 0 || wait4(pid, &status, 0, &usage) != pid) {
        return t;
    }
    t.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    auto seconds = [](const timeval& tv) {
        return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6;
    };
    t.cpuSeconds = seconds(usage.ru_utime) + seconds(usage.ru_stime);
    t.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    return t;
}

// The ffmpeg CLI command that makes the same ladder as our package (read from its manifest).
std::vector<std::string> ffmpegLadder(const std::string& ffmpeg, const fs::path& source,
                                      const nlohmann::json& manifest, const fs::path& out) {
    const auto& renditions = manifest["renditions"];
    const int segmentMs = manifest["segment_duration_ms"].get<int>();
    const std::string rate = manifest["frame_rate"].get<std::string>();
    const auto slash = rate.find('/');
    const double fps = std::stod(rate.substr(0, slash)) / std::stod(rate.substr(slash + 1));
    const int gop =
        2 * static_cast<int>(segmentMs * fps / 1000 + 0.999); // as ours: forced IDRs cut
    const std::size_t count = renditions.size();
    std::string graph = "[0:v]split=" + std::to_string(count);
    for (std::size_t i = 0; i < count; ++i) {
        graph += "[v" + std::to_string(i) + "]";
    }
    for (std::size_t i = 0; i < count; ++i) {
        graph += ";[v" + std::to_string(i) +
                 "]scale=" + std::to_string(renditions[i]["width"].get<int>()) + ":" +
                 std::to_string(renditions[i]["height"].get<int>()) + "[o" + std::to_string(i) +
                 "]";
    }
    std::vector<std::string> args = {
        ffmpeg, "-v", "error", "-y", "-i", source.string(), "-filter_complex", graph};
    std::string streamMap;
    for (std::size_t i = 0; i < count; ++i) {
        args.insert(args.end(), {"-map", "[o" + std::to_string(i) + "]"});
    }
    for (std::size_t i = 0; i < count; ++i) {
        args.insert(args.end(), {"-map", "0:a"});
        streamMap +=
            (i > 0 ? " " : "") + std::string("v:") + std::to_string(i) + ",a:" + std::to_string(i);
    }
    args.insert(args.end(), {"-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-g",
                             std::to_string(gop), "-force_key_frames",
                             "expr:gte(t,n_forced*" + std::to_string(segmentMs / 1000.0) + ")"});
    for (std::size_t i = 0; i < count; ++i) {
        const int kbps = renditions[i]["video_kbps"].get<int>();
        const std::string n = std::to_string(i);
        args.insert(args.end(), {"-b:v:" + n, std::to_string(kbps) + "k", "-maxrate:v:" + n,
                                 std::to_string(kbps * 3 / 2) + "k", "-bufsize:v:" + n,
                                 std::to_string(kbps * 2) + "k"});
    }
    args.insert(args.end(), {"-c:a", "aac", "-b:a", "128k", "-ac", "2", "-f", "hls", "-hls_time",
                             std::to_string(segmentMs / 1000.0), "-hls_playlist_type", "vod",
                             "-hls_segment_filename", (out / "%v_%d.ts").string(),
                             "-var_stream_map", streamMap, (out / "%v.m3u8").string()});
    return args;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_transcode REELGATE_ENCODE FFMPEG [SECONDS]\n");
        return 2;
    }
    const std::string encode = argv[1];
    const std::string ffmpeg = argv[2];
    const int seconds = argc > 3 ? std::atoi(argv[3]) : 24;
    char pattern[] = "/tmp/reelgate-bench-XXXXXX";
    if (mkdtemp(pattern) == nullptr) {
        std::perror("mkdtemp");
        return 1;
    }
    const fs::path dir = pattern;
    const fs::path source = dir / "source.mp4";
    const std::string duration = std::to_string(seconds);
    const Timing made =
        timed({ffmpeg,         "-v",
               "error",        "-y",
               "-f",           "lavfi",
               "-i",           "testsrc2=size=1280x720:rate=30:duration=" + duration,
               "-f",           "lavfi",
               "-i",           "sine=frequency=440:sample_rate=48000:duration=" + duration,
               "-ac",          "2",
               "-c:v",         "libx264",
               "-preset",      "ultrafast",
               "-crf",         "16",
               "-c:a",         "aac",
               "-b:a",         "192k",
               source.string()});
    if (!made.ok) {
        std::fprintf(stderr, "bench_transcode: cannot make the source with %s\n", ffmpeg.c_str());
        return 1;
    }
    const int repeats = argc > 4 ? std::max(1, std::atoi(argv[4])) : 2;
    Timing plain, reference, ab;
    nlohmann::json manifest;
    for (int round = 0; round < repeats; ++round) {
        for (const char* folder : {"plain", "ab", "ffmpeg"}) {
            fs::remove_all(dir / folder);
        }
        const Timing ours =
            timed({encode, "transcode", source.string(), (dir / "plain").string(), "--quiet"});
        std::ifstream manifestFile(dir / "plain" / "manifest.json");
        manifest = nlohmann::json::parse(manifestFile, nullptr, false);
        if (!ours.ok || manifest.is_discarded()) {
            std::fprintf(stderr, "bench_transcode: reelgate-encode failed\n");
            return 1;
        }
        fs::create_directories(dir / "ffmpeg");
        const Timing theirs = timed(ffmpegLadder(ffmpeg, source, manifest, dir / "ffmpeg"));
        const Timing marked =
            timed({encode, "transcode", source.string(), (dir / "ab").string(), "--ab", "--quiet"});
        if (!theirs.ok || !marked.ok) {
            std::fprintf(stderr, "bench_transcode: a run failed (ffmpeg %d, A/B %d)\n", theirs.ok,
                         marked.ok);
            return 1;
        }
        plain = fastest(plain, ours);
        reference = fastest(reference, theirs);
        ab = fastest(ab, marked);
    }
    double load[1] = {0};
    getloadavg(load, 1);
    std::printf("\nbench_transcode: %d s 1280x720 30 fps source, ladder of %zu renditions "
                "(x264 veryfast), %u cores; fastest of %d runs each; load average %.1f\n",
                seconds, manifest["renditions"].size(), std::thread::hardware_concurrency(),
                repeats, load[0]);
    std::printf("| %-10s | %10s | %9s | %13s | %12s | %10s | %9s | %11s | %-6s |\n", "run",
                "our wall s", "our CPU s", "ffmpeg wall s", "ffmpeg CPU s", "wall ratio",
                "CPU ratio", "wall target", "result");
    std::printf("|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", std::string(12, '-').c_str(),
                std::string(12, '-').c_str(), std::string(11, '-').c_str(),
                std::string(15, '-').c_str(), std::string(14, '-').c_str(),
                std::string(12, '-').c_str(), std::string(11, '-').c_str(),
                std::string(13, '-').c_str(), std::string(8, '-').c_str());
    struct Row {
        const char* name;
        const Timing& ours;
        double target;
    };
    for (const Row& row : {Row{"plain", plain, 1.0}, Row{"A/B", ab, 1.5}}) {
        const double wallRatio = row.ours.wallSeconds / reference.wallSeconds;
        const double cpuRatio = row.ours.cpuSeconds / reference.cpuSeconds;
        std::printf(
            "| %-10s | %10.2f | %9.2f | %13.2f | %12.2f | %9.2fx | %8.2fx | %10.2fx | %-6s |\n",
            row.name, row.ours.wallSeconds, row.ours.cpuSeconds, reference.wallSeconds,
            reference.cpuSeconds, wallRatio, cpuRatio, row.target,
            wallRatio <= row.target ? "met" : "missed");
    }
    std::fflush(stdout);
    fs::remove_all(dir);
    return 0;
}
