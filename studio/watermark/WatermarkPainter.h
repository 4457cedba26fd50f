#pragma once
// WatermarkPainter: where the visible watermark goes and how it looks, by the rendering rule the
// studio preview shares with the buyer's web player (resources/web):
//   H = displayed video height in px; fontPx = round(font_size_pct / 100 * H);
//   marginPx = round(margin_pct / 100 * H); box = text bounding box (advance width x font
//   height) + round(0.25 * fontPx) padding on each side;
//   top-left = placeMark(motionAt(seed, tMs, interval_ms), W, H, boxW, boxH, marginPx).
// Coordinates are relative to the displayed video's top-left corner. Pure; GUI thread (fonts).

#include "watermark/WatermarkSpec.h"

#include <QFont>
#include <QRect>
#include <QSize>

class QPainter;

struct WatermarkLayout {
    int fontPx = 0;
    int marginPx = 0;
    int paddingPx = 0;
    QRect box;      // the whole mark (background box), in video pixels
    QRect textRect; // the text inside it
};

class WatermarkPainter {
public:
    static int fontPx(const WatermarkSpec& spec, int videoHeightPx);
    static int marginPx(const WatermarkSpec& spec, int videoHeightPx);
    static QFont font(int fontPx);
    // Text bounding box plus padding.
    static QSize boxSize(const WatermarkSpec& spec, const QString& text, int videoHeightPx);
    // The shared motion function: top-left of a box of boxSize at playback time tMs.
    static QPoint position(const WatermarkSpec& spec, QSize videoPx, QSize boxSize, qint64 tMs);
    static WatermarkLayout layout(const WatermarkSpec& spec, const QString& text, QSize videoPx,
                                  qint64 tMs);
    // Draws the mark over a video shown in videoRect (widget coordinates).
    static void paint(QPainter& painter, const QRect& videoRect, const WatermarkSpec& spec,
                      const QString& text, qint64 tMs);
};
