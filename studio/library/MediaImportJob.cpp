#include "library/MediaImportJob.h"

#include "library/MediaInspector.h"

#include <QFutureWatcher>
#include <QtConcurrent>

MediaImportJob::MediaImportJob(const QStringList& paths, QObject* parent)
    : QObject(parent)
    , paths_(paths) {}

void MediaImportJob::start() {
    if (paths_.isEmpty()) {
        emit finished();
        return;
    }
    pending_ = static_cast<int>(paths_.size());
    for (const QString& path : paths_) {
        auto* watcher = new QFutureWatcher<InspectResult>(this);
        connect(watcher, &QFutureWatcher<InspectResult>::finished, this, [this, watcher, path] {
            const InspectResult result = watcher->result();
            watcher->deleteLater();
            if (result.error.isEmpty())
                emit inspected(result.item);
            else
                emit refused(path, result.error);
            if (--pending_ == 0)
                emit finished();
        });
        watcher->setFuture(QtConcurrent::run(&MediaInspector::inspect, path));
    }
    paths_.clear();
}
