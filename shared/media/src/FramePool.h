#pragma once
// Internal: reusable yuv420p frames of one size. A frame handed to an encoder is reused only
// once the encoder has dropped its reference (av_frame_is_writable). Thread: one owner thread.

#include "Libav.h"

#include <vector>

namespace reelgate::media {

class FramePool {
public:
    FramePool(int widthPx, int heightPx, AVPixelFormat format = AV_PIX_FMT_YUV420P);
    // A writable frame (contents undefined); owned by the pool, valid until the pool dies.
    AVFrame* get();

private:
    int widthPx_;
    int heightPx_;
    AVPixelFormat format_;
    std::vector<libav::FramePtr> frames_;
};

// Copies a yuv420p frame's pixels (same size) into `dst`.
void copyPicture(AVFrame* dst, const AVFrame* src);

} // namespace reelgate::media
