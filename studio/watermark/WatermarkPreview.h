#pragma once
// WatermarkPreview: a video frame (from the playing video or a still grab) fitted into the
// widget, with the viewer watermark drawn over it by WatermarkPainter at playback time timeMs(),
// exactly where the buyer's player will put it for a video displayed at videoRect()'s size.
// Fed by WatermarkPage; does no media work. GUI thread.

#include "watermark/WatermarkPainter.h"
#include "watermark/WatermarkSpec.h"

#include <QDateTime>
#include <QImage>
#include <QWidget>

class WatermarkPreview : public QWidget {
    Q_OBJECT
public:
    explicit WatermarkPreview(QWidget* parent);

    void setFrame(const QImage& frame);
    void setFrameSize(QSize size); // the video's size while no frame is there yet
    void setSpec(const WatermarkSpec& spec);
    void setUsername(const QString& username);
    void setTimeMs(qint64 tMs);
    // The wall clock {time}/{date} show; an invalid one (default) means "now".
    void setClock(const QDateTime& utc);

    const QImage& frame() const { return frame_; }
    const WatermarkSpec& spec() const { return spec_; }
    qint64 timeMs() const { return timeMs_; }
    QString markText() const;
    QRect videoRect() const;            // where the video is shown, widget coordinates
    WatermarkLayout markLayout() const; // relative to videoRect().topLeft()
    QRect markRect() const;             // widget coordinates

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QImage frame_;
    QSize frameSize_{1280, 720};
    WatermarkSpec spec_;
    QString username_;
    qint64 timeMs_ = 0;
    QDateTime clock_;
};
