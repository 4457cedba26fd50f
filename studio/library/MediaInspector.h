#pragma once
// MediaInspector: the studio's door to reelgate::media for still pictures and probe facts, in Qt
// types. Blocking (opens and decodes the file): call it off the UI thread (MediaImportJob,
// QtConcurrent). Thread: any. Never throws; errors come back as text for a dialog.

#include "library/LibraryItem.h"

#include <QImage>
#include <QSize>
#include <QString>

struct InspectResult {
    LibraryItem item; // facts and thumbnail filled, id 0, seed 0
    QString error;    // why the file was refused; empty on success
};

class MediaInspector {
public:
    static constexpr int kThumbnailWidthPx = 320;
    static constexpr int kThumbnailHeightPx = 180;

    // Probes `path` and grabs its thumbnail (a frame at 10% of the duration).
    static InspectResult inspect(const QString& path);
    // The frame at atMs, upright, fitted into maxSize. Null image (and *error) on failure.
    static QImage grabFrame(const QString& path, qint64 atMs, QSize maxSize,
                            QString* error = nullptr);
};
