#include "FramePool.h"

extern "C" {
#include <libavutil/imgutils.h>
}

namespace reelgate::media {

FramePool::FramePool(int widthPx, int heightPx, AVPixelFormat format)
    : widthPx_(widthPx)
    , heightPx_(heightPx)
    , format_(format) {}

AVFrame* FramePool::get() {
    for (auto& frame : frames_) {
        if (av_frame_is_writable(frame.get()) != 0) {
            frame->pict_type = AV_PICTURE_TYPE_NONE;
            return frame.get();
        }
    }
    libav::FramePtr frame = libav::allocFrame();
    frame->width = widthPx_;
    frame->height = heightPx_;
    frame->format = format_;
    libav::check(av_frame_get_buffer(frame.get(), 0), "allocating a video frame");
    frames_.push_back(std::move(frame));
    return frames_.back().get();
}

void copyPicture(AVFrame* dst, const AVFrame* src) {
    av_image_copy(dst->data, dst->linesize, const_cast<const uint8_t**>(src->data), src->linesize,
                  static_cast<AVPixelFormat>(src->format), src->width, src->height);
}

} // namespace reelgate::media
