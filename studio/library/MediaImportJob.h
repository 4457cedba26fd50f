#pragma once
// MediaImportJob: inspects files for the library off the UI thread (QtConcurrent, one task per
// file) and reports each one back on the thread that owns the job: inspected() with the facts
// and thumbnail, or refused() with the reason. finished() once every file has reported.
// The job does not touch the library itself; the page decides. Owned by its parent (QObject).

#include "library/LibraryItem.h"

#include <QObject>
#include <QStringList>

class MediaImportJob : public QObject {
    Q_OBJECT
public:
    MediaImportJob(const QStringList& paths, QObject* parent);

    void start();
    bool isRunning() const { return pending_ > 0; }

signals:
    void inspected(const LibraryItem& item);
    void refused(const QString& path, const QString& message);
    void finished();

private:
    QStringList paths_;
    int pending_ = 0;
};
