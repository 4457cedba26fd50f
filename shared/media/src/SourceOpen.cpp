#include "SourceOpen.h"

#include "reelgate/media/MediaError.h"

#include <system_error>

namespace reelgate::media {

libav::InputContextPtr openSource(const std::filesystem::path& path) {
    const std::string name = path.filename().string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        throw MediaError("cannot read " + path.string() + ": no such file");
    }
    AVFormatContext* raw = nullptr;
    const int opened = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
    if (opened < 0) {
        throw MediaError("cannot read " + name + ": not a media file we can open (" +
                         libav::errorText(opened) + ")");
    }
    libav::InputContextPtr format(raw);
    const int info = avformat_find_stream_info(format.get(), nullptr);
    if (info < 0) {
        throw MediaError("cannot read " + name + ": " + libav::errorText(info));
    }
    return format;
}

int findVideoStream(AVFormatContext* format, const std::filesystem::path& path) {
    for (unsigned i = 0; i < format->nb_streams; ++i) {
        const AVStream* stream = format->streams[i];
        if (stream->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
            (stream->disposition & AV_DISPOSITION_ATTACHED_PIC) == 0 &&
            stream->codecpar->width > 0 && stream->codecpar->height > 0) {
            if (avcodec_find_decoder(stream->codecpar->codec_id) == nullptr) {
                throw MediaError(path.filename().string() + ": no decoder for its video codec " +
                                 avcodec_get_name(stream->codecpar->codec_id));
            }
            return static_cast<int>(i);
        }
    }
    throw MediaError(path.filename().string() +
                     " has no video stream (audio-only or not a video); Reelgate needs a video");
}

} // namespace reelgate::media
