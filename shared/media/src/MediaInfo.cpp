#include "reelgate/media/MediaInfo.h"

namespace reelgate::media {

nlohmann::json MediaInfo::toJson() const {
    nlohmann::json json;
    json["path"] = path;
    json["container"] = container;
    json["duration_ms"] = durationMs;
    json["bit_rate"] = bitRate;
    json["stream_count"] = streamCount;
    json["video"] = {
        {"index", video.index},
        {"codec", video.codec},
        {"pixel_format", video.pixelFormat},
        {"width", video.widthPx},
        {"height", video.heightPx},
        {"sample_aspect",
         std::to_string(video.sampleAspect.num) + ":" + std::to_string(video.sampleAspect.den)},
        {"rotation_deg", video.rotationDeg},
        {"display_width", video.displayWidthPx},
        {"display_height", video.displayHeightPx},
        {"frame_rate",
         std::to_string(video.frameRate.num) + "/" + std::to_string(video.frameRate.den)},
        {"frame_rate_value", video.frameRate.value()},
        {"variable_frame_rate", video.variableFrameRate},
        {"bit_rate", video.bitRate},
    };
    if (audio) {
        json["audio"] = {
            {"index", audio->index},
            {"codec", audio->codec},
            {"sample_rate", audio->sampleRate},
            {"channels", audio->channels},
            {"channel_layout", audio->channelLayout},
        };
    } else {
        json["audio"] = nullptr;
    }
    return json;
}

} // namespace reelgate::media
