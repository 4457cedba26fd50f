#include "VideoScaler.h"

#include "reelgate/media/MediaError.h"

namespace reelgate::media {
namespace {

// Rotates one plane clockwise by 90, 180 or 270 degrees. src is srcW x srcH.
void rotatePlane(const uint8_t* src, int srcStride, int srcW, int srcH, uint8_t* dst, int dstStride,
                 int degrees) {
    for (int y = 0; y < srcH; ++y) {
        const uint8_t* row = src + static_cast<std::ptrdiff_t>(y) * srcStride;
        for (int x = 0; x < srcW; ++x) {
            int dx = 0;
            int dy = 0;
            if (degrees == 90) {
                dx = srcH - 1 - y;
                dy = x;
            } else if (degrees == 180) {
                dx = srcW - 1 - x;
                dy = srcH - 1 - y;
            } else {
                dx = y;
                dy = srcW - 1 - x;
            }
            dst[static_cast<std::ptrdiff_t>(dy) * dstStride + dx] = row[x];
        }
    }
}

} // namespace

VideoScaler::VideoScaler(int outWidthPx, int outHeightPx, int rotationDeg)
    : outWidthPx_(outWidthPx)
    , outHeightPx_(outHeightPx)
    , rotationDeg_(rotationDeg) {
    if (rotationDeg_ != 0) {
        const bool quarter = rotationDeg_ == 90 || rotationDeg_ == 270;
        rotatePool_ = std::make_unique<FramePool>(quarter ? outHeightPx : outWidthPx,
                                                  quarter ? outWidthPx : outHeightPx);
    }
}

AVFrame* VideoScaler::scale(const AVFrame* source, FramePool& pool) {
    const bool quarter = rotationDeg_ == 90 || rotationDeg_ == 270;
    const int scaledW = quarter ? outHeightPx_ : outWidthPx_;
    const int scaledH = quarter ? outWidthPx_ : outHeightPx_;
    if (!sws_ || source->width != srcWidth_ || source->height != srcHeight_ ||
        source->format != srcFormat_) {
        sws_.reset(sws_getContext(source->width, source->height,
                                  static_cast<AVPixelFormat>(source->format), scaledW, scaledH,
                                  AV_PIX_FMT_YUV420P, SWS_BICUBIC, nullptr, nullptr, nullptr));
        if (!sws_) {
            throw MediaError("cannot convert the video's pixel format");
        }
        srcWidth_ = source->width;
        srcHeight_ = source->height;
        srcFormat_ = source->format;
    }
    AVFrame* scaled = rotationDeg_ == 0 ? pool.get() : rotatePool_->get();
    sws_scale(sws_.get(), source->data, source->linesize, 0, source->height, scaled->data,
              scaled->linesize);
    if (rotationDeg_ == 0) {
        return scaled;
    }
    AVFrame* out = pool.get();
    for (int plane = 0; plane < 3; ++plane) {
        const int w = plane == 0 ? scaledW : scaledW / 2;
        const int h = plane == 0 ? scaledH : scaledH / 2;
        rotatePlane(scaled->data[plane], scaled->linesize[plane], w, h, out->data[plane],
                    out->linesize[plane], rotationDeg_);
    }
    return out;
}

} // namespace reelgate::media
