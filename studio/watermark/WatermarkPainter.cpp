#include "watermark/WatermarkPainter.h"

#include "reelgate/core/WatermarkMotion.h"

#include <QFontMetrics>
#include <QPainter>

#include <algorithm>
#include <cmath>

int WatermarkPainter::fontPx(const WatermarkSpec& spec, int videoHeightPx) {
    return std::max(1, static_cast<int>(std::lround(spec.fontSizePct / 100.0 * videoHeightPx)));
}

int WatermarkPainter::marginPx(const WatermarkSpec& spec, int videoHeightPx) {
    return static_cast<int>(std::lround(spec.marginPct / 100.0 * videoHeightPx));
}

QFont WatermarkPainter::font(int px) {
    QFont f("sans-serif");
    f.setStyleHint(QFont::SansSerif);
    f.setPixelSize(px);
    return f;
}

QSize WatermarkPainter::boxSize(const WatermarkSpec& spec, const QString& text, int videoHeightPx) {
    const int px = fontPx(spec, videoHeightPx);
    const QFontMetrics metrics(font(px));
    const int padding = static_cast<int>(std::lround(0.25 * px));
    return {metrics.horizontalAdvance(text) + 2 * padding, metrics.height() + 2 * padding};
}

QPoint WatermarkPainter::position(const WatermarkSpec& spec, QSize videoPx, QSize boxSize,
                                  qint64 tMs) {
    namespace core = reelgate::core;
    const core::MotionPoint point =
        core::motionAt(spec.seed, std::max<qint64>(0, tMs), std::max(1, spec.intervalMs));
    const core::PixelPoint at =
        core::placeMark(point, videoPx.width(), videoPx.height(), boxSize.width(), boxSize.height(),
                        marginPx(spec, videoPx.height()));
    return {at.xPx, at.yPx};
}

WatermarkLayout WatermarkPainter::layout(const WatermarkSpec& spec, const QString& text,
                                         QSize videoPx, qint64 tMs) {
    WatermarkLayout out;
    out.fontPx = fontPx(spec, videoPx.height());
    out.marginPx = marginPx(spec, videoPx.height());
    out.paddingPx = static_cast<int>(std::lround(0.25 * out.fontPx));
    const QSize size = boxSize(spec, text, videoPx.height());
    out.box = QRect(position(spec, videoPx, size, tMs), size);
    out.textRect = out.box.adjusted(out.paddingPx, out.paddingPx, -out.paddingPx, -out.paddingPx);
    return out;
}

void WatermarkPainter::paint(QPainter& painter, const QRect& videoRect, const WatermarkSpec& spec,
                             const QString& text, qint64 tMs) {
    if (videoRect.isEmpty())
        return;
    const WatermarkLayout l = layout(spec, text, videoRect.size(), tMs);
    painter.save();
    painter.translate(videoRect.topLeft());
    if (spec.box) {
        QColor box = spec.boxColor;
        box.setAlphaF(static_cast<float>(spec.boxOpacity));
        painter.fillRect(l.box, box);
    }
    QColor ink = spec.color;
    ink.setAlphaF(static_cast<float>(spec.opacity));
    painter.setPen(ink);
    painter.setFont(font(l.fontPx));
    painter.drawText(l.textRect, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine, text);
    painter.restore();
}
