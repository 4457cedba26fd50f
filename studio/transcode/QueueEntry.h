#pragma once
// QueueEntry: one job of the transcode queue: which source, with which preset and options, into
// which folder, and how far it got. Persisted by TranscodeQueueStore (progress and ETA are
// live-only). Plain value; thread: any.

#include <QString>

enum class QueueState { Invalid = 0, Queued, Running, Succeeded, Failed, Cancelled };

QString queueStateName(QueueState state); // "queued", "running", ... (stored in the database)
QueueState queueStateFromName(const QString& name);

struct QueueEntry {
    qint64 id = 0; // 0 until stored
    qint64 libraryItemId = 0;
    QString sourcePath;
    QString title;
    QString presetName = "default";
    bool abVariants = false;
    bool encrypt = false;
    QString outputDir;     // the package folder is created inside
    QString packagePath;   // chosen when the job starts; the finished package
    QString watermarkJson; // WatermarkSpec JSON, goes into manifest.json
    QueueState state = QueueState::Queued;
    QString error;
    qint64 position = 0; // queue order, smallest first

    // Live only, while running.
    double fraction = 0;
    qint64 etaMs = -1;
    QString stage;

    bool isActive() const { return state == QueueState::Queued || state == QueueState::Running; }
};
