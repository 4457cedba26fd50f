#include "library/MediaInspector.h"

#include "reelgate/media/FrameGrabber.h"
#include "reelgate/media/MediaError.h"

#include <QFileInfo>

namespace {

QImage toImage(const reelgate::media::RgbFrame& frame) {
    const QImage view(frame.rgb.data(), frame.widthPx, frame.heightPx, frame.widthPx * 3,
                      QImage::Format_RGB888);
    return view.copy(); // owns its pixels once the frame is gone
}

QString audioText(const reelgate::media::AudioStreamInfo& audio) {
    QString layout = QString::fromStdString(audio.channelLayout);
    if (layout.isEmpty())
        layout = QObject::tr("%n channel(s)", nullptr, audio.channels);
    return QString("%1, %2 kHz, %3")
        .arg(layout)
        .arg(audio.sampleRate / 1000.0, 0, 'g', 3)
        .arg(QString::fromStdString(audio.codec));
}

} // namespace

InspectResult MediaInspector::inspect(const QString& path) {
    InspectResult result;
    const QFileInfo file(path);
    try {
        reelgate::media::FrameGrabber grabber(file.absoluteFilePath().toStdString());
        const reelgate::media::MediaInfo& info = grabber.info();
        LibraryItem& item = result.item;
        item.path = file.absoluteFilePath();
        item.title = file.completeBaseName();
        item.durationMs = info.durationMs;
        item.widthPx = info.video.displayWidthPx;
        item.heightPx = info.video.displayHeightPx;
        item.rotationDeg = info.video.rotationDeg;
        item.frameRate = info.video.frameRate.value();
        item.variableFrameRate = info.video.variableFrameRate;
        item.videoCodec = QString::fromStdString(info.video.codec);
        if (info.audio)
            item.audioLayout = audioText(*info.audio);
        item.sizeBytes = file.size();
        item.thumbnail =
            toImage(grabber.grab(grabber.thumbnailTimeMs(), kThumbnailWidthPx, kThumbnailHeightPx));
    } catch (const reelgate::media::MediaError& e) {
        result.error = QString::fromStdString(e.what());
    } catch (const std::exception& e) {
        result.error = QObject::tr("cannot read %1: %2").arg(file.fileName(), e.what());
    }
    return result;
}

QImage MediaInspector::grabFrame(const QString& path, qint64 atMs, QSize maxSize, QString* error) {
    try {
        reelgate::media::FrameGrabber grabber(path.toStdString());
        return toImage(grabber.grab(atMs, maxSize.width(), maxSize.height()));
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
    }
    return {};
}
