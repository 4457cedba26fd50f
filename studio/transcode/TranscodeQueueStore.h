#pragma once
// TranscodeQueueStore: the transcode queue in the studio's SQLite database (tables
// transcode_queue and transcode_queue_settings), so queued, finished and failed jobs and their
// options survive an app restart. A job that was running when the app stopped is loaded back as
// queued (its partial output was removed by the engine). GUI thread.

#include "common/StudioDatabase.h"
#include "transcode/QueueEntry.h"

#include <QList>

class TranscodeQueueStore {
public:
    TranscodeQueueStore();

    bool isOpen() const { return db_.isOpen(); }
    QString error() const { return db_.error(); }

    QList<QueueEntry> load() const;   // by position
    qint64 insert(QueueEntry& entry); // sets id and position (at the end)
    void update(const QueueEntry& entry);
    void remove(qint64 id);
    qint64 frontPosition() const; // smaller than every stored position
    bool paused() const;
    void setPaused(bool paused);

private:
    StudioDatabase db_;
};
