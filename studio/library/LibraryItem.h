#pragma once
// LibraryItem: one imported source video as the library keeps it: where it is, what the probe
// found (display size after rotation, frame rate, audio), its thumbnail, and the per-video
// watermark seed and design. Plain value; thread: any (QImage is implicitly shared).

#include <QImage>
#include <QString>

struct LibraryItem {
    qint64 id = 0; // 0 until stored
    QString path;  // absolute
    QString title; // the file name without extension
    qint64 durationMs = 0;
    int widthPx = 0; // displayed size (rotation and sample aspect applied)
    int heightPx = 0;
    int rotationDeg = 0; // clockwise, as stored in the file
    double frameRate = 0;
    bool variableFrameRate = false;
    QString videoCodec;
    QString audioLayout; // e.g. "stereo, 48 kHz, aac"; empty without audio
    qint64 sizeBytes = 0;
    QImage thumbnail;
    quint32 watermarkSeed = 0;
    QString watermarkJson; // the video's own design; empty = the studio default

    // "0:03 · 320×240 · 30 fps · stereo, 48 kHz, aac · 1.2 MB"
    QString factsText() const;
};

QString formatDurationMs(qint64 ms);                // "1:02:03" or "2:03"
QString formatBytes(qint64 bytes);                  // "1.2 MB"
QString formatFrameRate(double fps, bool variable); // "29.97 fps", "30 fps (variable)"
