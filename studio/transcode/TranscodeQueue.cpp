#include "transcode/TranscodeQueue.h"

#include "reelgate/media/LadderPreset.h"
#include "reelgate/media/LibavVersions.h"
#include "reelgate/media/TranscodeJob.h"

#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTimer>

#include <algorithm>
#include <mutex>

namespace media = reelgate::media;

namespace {

Q_LOGGING_CATEGORY(lcLibav, "reelgate.libav")

// "<outputDir>/<title>-<preset>", or with "-2", "-3", ... when that (or its partial) exists.
QString freePackagePath(const QString& outputDir, const QString& title, const QString& preset) {
    QString base = title + "-" + preset;
    base.replace(QRegularExpression("[^A-Za-z0-9 ._-]"), "_");
    const QString stem = QDir(outputDir).filePath(base);
    QString path = stem;
    for (int n = 2; QFileInfo::exists(path) || QFileInfo::exists(path + ".partial"); ++n)
        path = stem + "-" + QString::number(n);
    return path;
}

} // namespace

TranscodeQueue::TranscodeQueue(QObject* parent)
    : QObject(parent)
    , timer_(new QTimer(this)) {
    // libav and libx264 talk on the console by default (every encoder prints its settings):
    // only their warnings and errors reach the studio's log.
    static std::once_flag routed;
    std::call_once(routed, [] {
        media::routeLibavLog([](bool error, const std::string& line) {
            if (error)
                qCCritical(lcLibav).noquote() << QString::fromUtf8(line);
            else
                qCWarning(lcLibav).noquote() << QString::fromUtf8(line);
        });
    });
    entries_ = store_.load();
    // Running jobs came back as queued: save that, so the database says what the UI shows.
    for (const QueueEntry& e : entries_)
        store_.update(e);
    paused_ = store_.paused();
    timer_->setInterval(200);
    connect(timer_, &QTimer::timeout, this, &TranscodeQueue::poll);
    timer_->start();
}

TranscodeQueue::~TranscodeQueue() {
    // The job's destructor cancels and joins; the entry stays "running" in the database and
    // is loaded as queued next time.
    job_.reset();
}

std::optional<QueueEntry> TranscodeQueue::entry(qint64 id) const {
    for (const QueueEntry& e : entries_) {
        if (e.id == id)
            return e;
    }
    return std::nullopt;
}

QueueEntry* TranscodeQueue::find(qint64 id) {
    for (QueueEntry& e : entries_) {
        if (e.id == id)
            return &e;
    }
    return nullptr;
}

qint64 TranscodeQueue::enqueue(QueueEntry entry) {
    entry.state = QueueState::Queued;
    entry.packagePath.clear();
    entry.error.clear();
    if (store_.insert(entry) == 0)
        return 0;
    entries_.append(entry);
    emit entriesChanged();
    QTimer::singleShot(0, this, &TranscodeQueue::startNext);
    return entry.id;
}

void TranscodeQueue::pause(qint64 id) {
    if (id != runningId_ || !job_)
        return;
    stopIntent_ = StopIntent::Pause;
    job_->cancel();
    setPaused(true);
}

void TranscodeQueue::cancel(qint64 id) {
    if (id == runningId_ && job_) {
        stopIntent_ = StopIntent::Cancel;
        job_->cancel();
        return;
    }
    QueueEntry* e = find(id);
    if (!e || e->state != QueueState::Queued)
        return;
    e->state = QueueState::Cancelled;
    store_.update(*e);
    emit entryChanged(id);
}

void TranscodeQueue::remove(qint64 id) {
    if (id == runningId_)
        return;
    store_.remove(id);
    entries_.removeIf([id](const QueueEntry& e) { return e.id == id; });
    emit entriesChanged();
}

void TranscodeQueue::retry(qint64 id) {
    QueueEntry* e = find(id);
    if (!e || (e->state != QueueState::Failed && e->state != QueueState::Cancelled))
        return;
    QueueEntry again = *e;
    remove(id);
    enqueue(again);
}

void TranscodeQueue::setPaused(bool paused) {
    if (paused == paused_)
        return;
    paused_ = paused;
    store_.setPaused(paused);
    emit pausedChanged(paused);
    if (!paused)
        QTimer::singleShot(0, this, &TranscodeQueue::startNext);
}

void TranscodeQueue::setPollIntervalMs(int ms) {
    timer_->setInterval(ms);
}

void TranscodeQueue::poll() {
    if (!job_) {
        startNext();
        return;
    }
    QueueEntry* e = find(runningId_);
    const media::TranscodeProgress progress = job_->progress();
    if (e) {
        e->fraction = progress.fraction;
        e->etaMs = progress.etaMs;
        e->stage = QString::fromStdString(progress.stage);
    }
    if (progress.state == media::JobState::Succeeded || progress.state == media::JobState::Failed ||
        progress.state == media::JobState::Cancelled)
        finishRunning();
    else if (e)
        emit entryChanged(e->id);
}

void TranscodeQueue::finishRunning() {
    const media::TranscodeProgress progress = job_->wait();
    job_.reset();
    const qint64 id = runningId_;
    runningId_ = 0;
    const StopIntent intent = stopIntent_;
    stopIntent_ = StopIntent::None;
    QueueEntry* e = find(id);
    if (!e)
        return;
    e->etaMs = -1;
    bool reordered = false;
    if (progress.state == media::JobState::Succeeded) {
        e->state = QueueState::Succeeded;
        e->fraction = 1;
    } else if (intent == StopIntent::Pause) {
        // Back at the front, to start again from scratch once the queue is resumed.
        e->state = QueueState::Queued;
        e->fraction = 0;
        e->packagePath.clear();
        e->position = store_.frontPosition();
        reordered = true;
    } else if (intent == StopIntent::Cancel || progress.state == media::JobState::Cancelled) {
        e->state = QueueState::Cancelled;
        e->fraction = 0;
    } else {
        e->state = QueueState::Failed;
        e->error = QString::fromStdString(progress.error);
    }
    store_.update(*e);
    if (reordered) {
        sortEntries();
        emit entriesChanged();
    } else {
        emit entryChanged(id);
    }
    startNext();
}

void TranscodeQueue::sortEntries() {
    std::stable_sort(
        entries_.begin(), entries_.end(),
        [](const QueueEntry& a, const QueueEntry& b) { return a.position < b.position; });
}

void TranscodeQueue::startNext() {
    if (job_ || paused_)
        return;
    for (QueueEntry& e : entries_) {
        if (e.state != QueueState::Queued)
            continue;
        if (startJob(e))
            return;
        // It failed to start (missing preset, folder); try the next one.
    }
}

bool TranscodeQueue::startJob(QueueEntry& e) {
    media::TranscodeOptions options;
    QString error;
    if (!presets_.load(e.presetName, options.preset, &error)) {
        e.state = QueueState::Failed;
        e.error = error;
    } else if (!QFileInfo(e.sourcePath).isFile()) {
        e.state = QueueState::Failed;
        e.error = tr("the source %1 is gone").arg(e.sourcePath);
    } else if (!QDir().mkpath(e.outputDir)) {
        e.state = QueueState::Failed;
        e.error = tr("cannot create the output folder %1").arg(e.outputDir);
    }
    if (e.state == QueueState::Failed) {
        store_.update(e);
        emit entryChanged(e.id);
        return false;
    }
    e.packagePath = freePackagePath(e.outputDir, e.title, e.presetName);
    options.input = e.sourcePath.toStdString();
    options.output = e.packagePath.toStdString();
    options.abVariants = e.abVariants;
    options.encrypt = e.encrypt;
    const nlohmann::json watermark =
        nlohmann::json::parse(e.watermarkJson.toStdString(), nullptr, false);
    if (watermark.is_object())
        options.watermark = watermark;
    job_ = std::make_unique<media::TranscodeJob>(std::move(options));
    job_->start();
    runningId_ = e.id;
    e.state = QueueState::Running;
    e.fraction = 0;
    e.etaMs = -1;
    e.error.clear();
    store_.update(e);
    emit entryChanged(e.id);
    return true;
}
