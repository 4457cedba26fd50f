#include "library/LibraryItem.h"

#include <QLocale>
#include <QObject>

QString formatDurationMs(qint64 ms) {
    const qint64 s = (ms + 500) / 1000;
    if (s >= 3600)
        return QString("%1:%2:%3")
            .arg(s / 3600)
            .arg(s / 60 % 60, 2, 10, QChar('0'))
            .arg(s % 60, 2, 10, QChar('0'));
    return QString("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
}

QString formatBytes(qint64 bytes) {
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

QString formatFrameRate(double fps, bool variable) {
    QString text = QString::number(fps, 'f', 2);
    while (text.contains('.') && (text.endsWith('0') || text.endsWith('.')))
        text.chop(1);
    text += " fps";
    if (variable)
        text += QObject::tr(" (variable)");
    return text;
}

QString LibraryItem::factsText() const {
    QStringList parts{formatDurationMs(durationMs), QString("%1×%2").arg(widthPx).arg(heightPx)};
    if (rotationDeg != 0)
        parts << QObject::tr("rotated %1°").arg(rotationDeg);
    parts << formatFrameRate(frameRate, variableFrameRate);
    parts << (audioLayout.isEmpty() ? QObject::tr("no audio") : audioLayout);
    parts << formatBytes(sizeBytes);
    return parts.join(" · ");
}
