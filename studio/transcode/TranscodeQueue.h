#pragma once
// TranscodeQueue: runs queued transcodes one at a time (kMaxRunning; configurable later), each
// as a reelgate::media::TranscodeJob on the job's own thread, and polls it with a QTimer for
// progress, ETA and its end. The queue lives in TranscodeQueueStore, so it survives restarts.
// pause(): stops the running job (the engine removes its partial folder) and puts it back at
// the front as queued, and pauses the queue; resuming restarts that job from the beginning.
// cancel(): stops or unqueues a job for good. Widgets observe the signals. GUI thread.

#include "transcode/PresetCatalog.h"
#include "transcode/QueueEntry.h"
#include "transcode/TranscodeQueueStore.h"

#include <QList>
#include <QObject>

#include <memory>
#include <optional>

class QTimer;

namespace reelgate::media {
class TranscodeJob;
}

class TranscodeQueue : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxRunning = 1;

    explicit TranscodeQueue(QObject* parent = nullptr);
    ~TranscodeQueue() override; // stops (and forgets) a running job: it is queued next time

    QList<QueueEntry> entries() const { return entries_; }
    std::optional<QueueEntry> entry(qint64 id) const;
    qint64 runningId() const { return runningId_; }
    bool isPaused() const { return paused_; }
    QString storeError() const { return store_.error(); }

    // Adds a job at the end of the queue; returns its id (0 if it could not be stored).
    qint64 enqueue(QueueEntry entry);
    void pause(qint64 id);
    void cancel(qint64 id);
    void remove(qint64 id); // a job that is not running
    void retry(qint64 id);  // a failed or cancelled job, again at the end
    void setPaused(bool paused);
    void setPollIntervalMs(int ms);

signals:
    void entryChanged(qint64 id); // state or progress of one job
    void entriesChanged();        // jobs added, removed or reordered
    void pausedChanged(bool paused);

private:
    enum class StopIntent { None, Pause, Cancel };

    QueueEntry* find(qint64 id);
    void poll();
    void startNext();
    bool startJob(QueueEntry& entry);
    void finishRunning();
    void sortEntries();

    TranscodeQueueStore store_;
    PresetCatalog presets_;
    QList<QueueEntry> entries_;
    QTimer* timer_;
    std::unique_ptr<reelgate::media::TranscodeJob> job_;
    qint64 runningId_ = 0;
    StopIntent stopIntent_ = StopIntent::None;
    bool paused_ = false;
};
