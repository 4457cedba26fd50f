#include "publish/UploadJournal.h"

#include <QDir>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QUuid>

UploadJournal::UploadJournal()
    : connection_("journal-" + QUuid::createUuid().toString()) {
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", connection_);
    db.setDatabaseName(dir + "/studio.sqlite");
    if (!db.open()) {
        error_ = db.lastError().text();
        return;
    }
    QSqlQuery create(db);
    if (!create.exec("CREATE TABLE IF NOT EXISTS pending_uploads ("
                     " server_url TEXT NOT NULL, video_id TEXT NOT NULL, title TEXT NOT NULL,"
                     " upload_path TEXT NOT NULL, archive_path TEXT NOT NULL,"
                     " created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,"
                     " PRIMARY KEY (server_url, video_id))"))
        error_ = create.lastError().text();
}

UploadJournal::~UploadJournal() {
    QSqlDatabase::database(connection_, false).close();
    QSqlDatabase::removeDatabase(connection_);
}

void UploadJournal::save(const PendingUpload& upload) {
    QSqlQuery q(QSqlDatabase::database(connection_));
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
    QSqlQuery q(QSqlDatabase::database(connection_));
    q.prepare("DELETE FROM pending_uploads WHERE server_url = ? AND video_id = ?");
    q.addBindValue(serverUrl);
    q.addBindValue(videoId);
    q.exec();
}

QList<PendingUpload> UploadJournal::pendingFor(const QString& serverUrl) const {
    QList<PendingUpload> out;
    QSqlQuery q(QSqlDatabase::database(connection_));
    q.prepare("SELECT video_id, title, upload_path, archive_path FROM pending_uploads"
              " WHERE server_url = ? ORDER BY created_at");
    q.addBindValue(serverUrl);
    q.exec();
    while (q.next())
        out.append({serverUrl, q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                    q.value(3).toString()});
    return out;
}
