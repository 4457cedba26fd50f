#include "publish/UploadJournal.h"

#include <QSqlQuery>

UploadJournal::UploadJournal()
    : db_("journal", {"CREATE TABLE IF NOT EXISTS pending_uploads ("
                      " server_url TEXT NOT NULL, video_id TEXT NOT NULL, title TEXT NOT NULL,"
                      " upload_path TEXT NOT NULL, archive_path TEXT NOT NULL,"
                      " created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,"
                      " PRIMARY KEY (server_url, video_id))"}) {}

void UploadJournal::save(const PendingUpload& upload) {
    QSqlQuery q(db_.db());
    q.prepare("INSERT OR REPLACE INTO pending_uploads (server_url, video_id, title, upload_path,"
              " archive_path) VALUES (?, ?, ?, ?, ?)");
    q.addBindValue(upload.serverUrl);
    q.addBindValue(upload.videoId);
    q.addBindValue(upload.title);
    q.addBindValue(upload.uploadPath);
    q.addBindValue(upload.archivePath);
    q.exec();
}

void UploadJournal::remove(const QString& serverUrl, const QString& videoId) {
    QSqlQuery q(db_.db());
    q.prepare("DELETE FROM pending_uploads WHERE server_url = ? AND video_id = ?");
    q.addBindValue(serverUrl);
    q.addBindValue(videoId);
    q.exec();
}

QList<PendingUpload> UploadJournal::pendingFor(const QString& serverUrl) const {
    QList<PendingUpload> out;
    QSqlQuery q(db_.db());
    q.prepare("SELECT video_id, title, upload_path, archive_path FROM pending_uploads"
              " WHERE server_url = ? ORDER BY created_at");
    q.addBindValue(serverUrl);
    q.exec();
    while (q.next())
        out.append({serverUrl, q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                    q.value(3).toString()});
    return out;
}
