#pragma once
// Internal: one rendition's view of the source: converts any decoded frame to yuv420p at the
// rendition size, rotated upright (rotationDeg clockwise, from the probe).
// Thread: one owner thread (the rendition worker). Source frames are read-only.

#include "FramePool.h"
#include "Libav.h"

namespace reelgate::media {

class VideoScaler {
public:
    VideoScaler(int outWidthPx, int outHeightPx, int rotationDeg);
    // Scales (and rotates) `source` into a pool frame of outWidthPx x outHeightPx yuv420p.
    AVFrame* scale(const AVFrame* source, FramePool& pool);

private:
    int outWidthPx_;
    int outHeightPx_;
    int rotationDeg_;
    libav::SwsPtr sws_;
    int srcWidth_ = 0, srcHeight_ = 0, srcFormat_ = -1;
    std::unique_ptr<FramePool> rotatePool_; // unrotated intermediate for 90/180/270
};

} // namespace reelgate::media
