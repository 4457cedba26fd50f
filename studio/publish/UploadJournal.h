#pragma once
// Uploads in flight, kept in the studio's SQLite database (Qt Sql) so they resume after the
// app restarts: which video, the server's upload address, and the packed file being sent.
// The offset itself is asked from the server (HEAD), which is the only one that knows what
// arrived. GUI thread.

#include "common/StudioDatabase.h"

#include <QList>
#include <QString>

struct PendingUpload {
    QString serverUrl;
    QString videoId;
    QString title;
    QString uploadPath; // "/api/uploads/<id>", empty until the server created it
    QString archivePath;
};

class UploadJournal {
public:
    // Opens (creating) <app data>/studio.sqlite. error() says why when it could not.
    UploadJournal();

    bool isOpen() const { return db_.isOpen(); }
    QString error() const { return db_.error(); }

    void save(const PendingUpload& upload);
    void remove(const QString& serverUrl, const QString& videoId);
    QList<PendingUpload> pendingFor(const QString& serverUrl) const;

private:
    StudioDatabase db_;
};
