#pragma once
// MediaInfo: what probeMedia() found in a source file. Plain value; copy freely.
// Sizes are pixels, durations milliseconds, rotation degrees clockwise to apply for display.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace reelgate::media {

struct Rational {
    int num = 0;
    int den = 1;
    double value() const { return den == 0 ? 0.0 : static_cast<double>(num) / den; }
    bool operator==(const Rational&) const = default;
};

struct VideoStreamInfo {
    int index = -1;
    std::string codec;       // e.g. "h264"
    std::string pixelFormat; // e.g. "yuv420p"
    int widthPx = 0;         // coded size
    int heightPx = 0;
    Rational sampleAspect{1, 1};
    int rotationDeg = 0;    // 0, 90, 180 or 270: rotate the coded picture clockwise to display
    int displayWidthPx = 0; // after sample aspect and rotation
    int displayHeightPx = 0;
    Rational frameRate; // nominal (average) frame rate
    bool variableFrameRate = false;
    std::int64_t bitRate = 0; // bits/s, 0 when unknown
};

struct AudioStreamInfo {
    int index = -1;
    std::string codec;
    int sampleRate = 0;
    int channels = 0;
    std::string channelLayout; // e.g. "stereo", "5.1"
};

struct MediaInfo {
    std::string path;
    std::string container; // e.g. "mov,mp4,m4a,3gp,3g2,mj2"
    std::int64_t durationMs = 0;
    std::int64_t bitRate = 0;
    VideoStreamInfo video; // the primary video stream (probeMedia refuses input without one)
    std::optional<AudioStreamInfo> audio;
    int streamCount = 0;

    nlohmann::json toJson() const;
};

} // namespace reelgate::media
