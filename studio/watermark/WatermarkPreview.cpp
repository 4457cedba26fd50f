#include "watermark/WatermarkPreview.h"

#include <QPainter>

#include <algorithm>

WatermarkPreview::WatermarkPreview(QWidget* parent)
    : QWidget(parent) {
    setMinimumSize(320, 180);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void WatermarkPreview::setFrame(const QImage& frame) {
    frame_ = frame;
    if (!frame.isNull())
        frameSize_ = frame.size();
    update();
}

void WatermarkPreview::setFrameSize(QSize size) {
    if (size.isValid() && !size.isEmpty())
        frameSize_ = size;
    update();
}

void WatermarkPreview::setSpec(const WatermarkSpec& spec) {
    spec_ = spec;
    update();
}

void WatermarkPreview::setUsername(const QString& username) {
    username_ = username;
    update();
}

void WatermarkPreview::setTimeMs(qint64 tMs) {
    timeMs_ = std::max<qint64>(0, tMs);
    update();
}

void WatermarkPreview::setClock(const QDateTime& utc) {
    clock_ = utc;
    update();
}

QString WatermarkPreview::markText() const {
    return spec_.renderText(username_, clock_.isValid() ? clock_ : QDateTime::currentDateTimeUtc());
}

QRect WatermarkPreview::videoRect() const {
    const QSize shown = frameSize_.scaled(size(), Qt::KeepAspectRatio);
    return QRect(QPoint((width() - shown.width()) / 2, (height() - shown.height()) / 2), shown);
}

WatermarkLayout WatermarkPreview::markLayout() const {
    return WatermarkPainter::layout(spec_, markText(), videoRect().size(), timeMs_);
}

QRect WatermarkPreview::markRect() const {
    return markLayout().box.translated(videoRect().topLeft());
}

void WatermarkPreview::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), Qt::black);
    const QRect video = videoRect();
    if (frame_.isNull()) {
        painter.fillRect(video, QColor(40, 44, 52));
        painter.setPen(QColor(150, 150, 150));
        painter.drawText(video, Qt::AlignCenter, tr("Pick one of your videos to preview on"));
    } else {
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        painter.drawImage(video, frame_);
    }
    painter.setRenderHint(QPainter::TextAntialiasing);
    WatermarkPainter::paint(painter, video, spec_, markText(), timeMs_);
}
