#include "TranscodePipeline.h"

#include "HlsPlaylist.h"
#include "PosterPicker.h"
#include "RenditionWorker.h"
#include "SourceDecoder.h"
#include "reelgate/core/Crypto.h"
#include "reelgate/core/ForensicCode.h"
#include "reelgate/media/MediaError.h"
#include "reelgate/media/MediaProbe.h"
#include "reelgate/media/RenditionPlan.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>

namespace reelgate::media {
namespace {

constexpr const char* kGenerator = "reelgate-media 1";

void writeText(const std::filesystem::path& dir, const std::string& relative,
               const std::string& text, PackageManifest& manifest) {
    const std::filesystem::path file = dir / relative;
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) {
        throw MediaError("cannot write " + file.string());
    }
    manifest.files[relative] = {core::sha256Hex(text), static_cast<std::int64_t>(text.size())};
}

// poster.jpg: at most the top rendition's size and 1280x720 (a catalog card, a page's hero).
void writePoster(const TranscodeOptions& options, const std::filesystem::path& dir,
                 PackageManifest& manifest) {
    int widthPx = 0;
    int heightPx = 0;
    for (const ManifestRendition& r : manifest.renditions) {
        widthPx = std::max(widthPx, std::min(r.widthPx, 1280));
        heightPx = std::max(heightPx, std::min(r.heightPx, 720));
    }
    try {
        const Poster poster =
            PosterPicker::make(options.input, options.posterAtMs, widthPx, heightPx);
        writeText(dir, "poster.jpg", poster.jpeg, manifest);
        manifest.poster = "poster.jpg";
    } catch (const MediaError&) {
        // A package plays without a poster; the creator can add one after publishing.
    }
}

std::string utcNow() {
    const std::time_t now = std::time(nullptr);
    std::tm parts{};
    gmtime_r(&now, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

std::uint32_t randomSeed() {
    const std::string bytes = core::randomBytes(4);
    std::uint32_t seed = 0;
    for (char c : bytes) {
        seed = (seed << 8) | static_cast<unsigned char>(c);
    }
    return seed == 0 ? 1 : seed;
}

nlohmann::json sourceSummary(const MediaInfo& info) {
    nlohmann::json json = info.toJson();
    json["path"] = std::filesystem::path(info.path).filename().string(); // no local paths
    return json;
}

} // namespace

Rational chooseFrameRate(Rational source, int maxFps) {
    double fps = source.value();
    if (!(fps > 0)) {
        fps = 25;
    }
    while (fps > maxFps * 1.01) {
        fps = fps / 2 >= 1 ? fps / 2 : maxFps;
    }
    static constexpr Rational kStandard[] = {{24000, 1001}, {24, 1}, {25, 1},       {30000, 1001},
                                             {30, 1},       {50, 1}, {60000, 1001}, {60, 1}};
    for (Rational r : kStandard) {
        if (std::abs(fps - r.value()) < r.value() * 0.0003) {
            return r;
        }
    }
    return {std::max(1, static_cast<int>(std::lround(fps))), 1};
}

std::optional<PackageManifest> runTranscode(const TranscodeOptions& options,
                                            const std::filesystem::path& workDir,
                                            std::atomic<bool>& cancel,
                                            const PipelineObserver& observer) {
    observer.stage("probing");
    const MediaInfo info = probeMedia(options.input);
    const LadderPreset& preset = options.preset;
    // Forensic packages of short videos get 1 s segments (enough slots to trace a full recording).
    const int segmentMs = options.segmentMs.value_or(
        options.abVariants
            ? core::ForensicCode::forensicSegmentMs(preset.forensicSegmentMs, info.durationMs)
            : preset.segmentMs);
    if (segmentMs < 1000 || segmentMs > 20000) {
        throw MediaError("segment length must be between 1 and 20 seconds");
    }
    const Rational fps = chooseFrameRate(info.video.frameRate, preset.maxFrameRate);
    const SegmentClock clock(fps, segmentMs);
    const int segmentFrames = static_cast<int>(clock.firstFrame(1));
    const std::vector<RenditionSpec> plan =
        planRenditions(info.video.displayWidthPx, info.video.displayHeightPx, preset.rungs);

    ForensicMarkSpec mark;
    mark.seed = options.markSeed.value_or(randomSeed());
    mark.amplitude = preset.forensicAmplitude;
    mark.windowFrames =
        std::clamp(static_cast<int>(std::lround(preset.forensicWindowMs * fps.value() / 1000.0)), 2,
                   std::max(2, segmentFrames / 2));
    mark.rampFrames = std::min(6, mark.windowFrames / 4);

    PackageManifest manifest;
    std::string aesKey;
    if (options.encrypt) {
        aesKey = core::randomBytes(16);
        manifest.encryption = ManifestEncryption{};
        const std::string keyFile = manifest.encryption->keyFile;
        std::ofstream out(workDir / keyFile, std::ios::binary | std::ios::trunc);
        out.write(aesKey.data(), static_cast<std::streamsize>(aesKey.size()));
        if (!out) {
            throw MediaError("cannot write the key file");
        }
        manifest.files[keyFile] = {core::sha256Hex(aesKey), 16};
    }

    SourceDecoder decoder(options.input, fps, preset.audioKbps, preset.audioMaxChannels);
    libav::CodecParametersPtr audioParameters;
    AVRational audioTimeBase{1, 48000};
    if (decoder.audioEncoder() != nullptr) {
        audioParameters = libav::parametersOf(decoder.audioEncoder());
        audioTimeBase = decoder.audioEncoder()->time_base;
    }

    std::vector<std::unique_ptr<RenditionWorker>> workers;
    for (const RenditionSpec& spec : plan) {
        RenditionWorkerConfig config;
        config.spec = spec;
        config.x264 = {spec.widthPx,          spec.heightPx,      fps,
                       spec.videoKbps,        spec.maxrateKbps,   spec.bufsizeKbps,
                       preset.x264Preset,     preset.x264Profile, 2 * segmentFrames,
                       options.encoderThreads};
        config.rotationDeg = info.video.rotationDeg;
        config.ab = options.abVariants;
        config.mark = mark;
        config.assembler.clock = clock;
        config.assembler.packageDir = workDir;
        config.assembler.aesKey = aesKey;
        config.assembler.audio = audioParameters.get();
        config.assembler.audioTimeBase = audioTimeBase;
        workers.push_back(std::make_unique<RenditionWorker>(std::move(config), cancel));
    }
    for (auto& worker : workers) {
        worker->start();
    }

    observer.stage("encoding");
    const double expectedFrames =
        std::max(1.0, static_cast<double>(info.durationMs) * fps.value() / 1000.0);
    auto report = [&] {
        std::int64_t done = 0;
        for (const auto& worker : workers) {
            done += worker->framesDone();
        }
        observer.fraction(
            std::min(0.99, static_cast<double>(done) /
                               (expectedFrames * static_cast<double>(workers.size()))));
    };
    const bool completed = decoder.run(
        [&](std::int64_t index, const libav::SharedFrame& frame) {
            for (auto& worker : workers) {
                worker->pushVideo(index, frame);
            }
            if (index % 8 == 0) {
                report();
            }
        },
        [&](const libav::SharedPacket& packet) {
            for (auto& worker : workers) {
                worker->pushAudio(packet);
            }
        },
        cancel);
    for (auto& worker : workers) {
        if (completed && !cancel.load()) {
            worker->pushEnd();
        } else {
            worker->stop();
        }
    }
    for (auto& worker : workers) {
        worker->join();
    }
    for (const auto& worker : workers) {
        if (worker->error()) {
            throw MediaError(*worker->error());
        }
    }
    if (!completed || cancel.load()) {
        return std::nullopt;
    }

    observer.stage("finishing");
    const std::vector<SegmentRecord>& timeline = workers.front()->segments();
    for (const auto& worker : workers) {
        if (worker->segments().size() != timeline.size()) {
            throw MediaError("renditions ended with different segment counts");
        }
    }
    std::vector<double> seconds;
    std::int64_t totalFrames = 0;
    for (const SegmentRecord& s : timeline) {
        manifest.segments.push_back({s.firstFrame, s.frames});
        seconds.push_back(static_cast<double>(s.frames) / fps.value());
        totalFrames += s.frames;
    }
    const double totalSeconds = static_cast<double>(totalFrames) / fps.value();
    manifest.generator = kGenerator;
    manifest.createdUtc = utcNow();
    manifest.source = sourceSummary(info);
    manifest.durationMs = std::llround(totalSeconds * 1000);
    manifest.segmentDurationMs = segmentMs;
    manifest.frameRate = fps;
    manifest.abVariants = options.abVariants;
    manifest.watermark = options.watermark;
    if (options.abVariants) {
        manifest.forensic = mark;
    }
    const std::string keyUri = options.encrypt ? "../" + manifest.encryption->keyFile : "";
    for (const auto& worker : workers) {
        const RenditionSpec& spec = worker->spec();
        ManifestRendition r;
        r.name = spec.name;
        r.widthPx = spec.widthPx;
        r.heightPx = spec.heightPx;
        r.videoKbps = spec.videoKbps;
        r.codecs = worker->codecString() + (audioParameters ? ",mp4a.40.2" : "");
        std::int64_t bytesA = 0;
        double peak = 0;
        for (std::size_t n = 0; n < worker->segments().size(); ++n) {
            const SegmentRecord& s = worker->segments()[n];
            bytesA += s.a.bytes;
            manifest.files[s.a.path] = {s.a.sha256, s.a.bytes};
            std::int64_t largest = s.a.bytes;
            if (s.b) {
                manifest.files[s.b->path] = {s.b->sha256, s.b->bytes};
                largest = std::max(largest, s.b->bytes);
            }
            peak = std::max(peak, static_cast<double>(largest) * 8 / std::max(seconds[n], 0.5));
        }
        r.bandwidth = std::llround(peak);
        r.averageBandwidth = std::llround(static_cast<double>(bytesA) * 8 / totalSeconds);
        r.playlistA = spec.name + "/a.m3u8";
        writeText(workDir, r.playlistA, mediaPlaylist(seconds, "a/", keyUri), manifest);
        if (options.abVariants) {
            r.playlistB = spec.name + "/b.m3u8";
            writeText(workDir, r.playlistB, mediaPlaylist(seconds, "b/", keyUri), manifest);
        }
        manifest.renditions.push_back(r);
    }
    writeText(workDir, manifest.masterPlaylist,
              masterPlaylist(manifest.renditions, fps.value(), false), manifest);
    writePoster(options, workDir, manifest);
    const std::string json = manifest.toJson().dump(2) + "\n";
    std::ofstream out(workDir / PackageManifest::kFileName, std::ios::binary | std::ios::trunc);
    out << json;
    out.close();
    if (!out) {
        throw MediaError("cannot write manifest.json");
    }
    observer.fraction(1.0);
    return manifest;
}

} // namespace reelgate::media
