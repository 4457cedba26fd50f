#include "transcode/TranscodeQueueStore.h"

#include <QSqlQuery>
#include <QVariant>

TranscodeQueueStore::TranscodeQueueStore()
    : db_("transcode",
          {"CREATE TABLE IF NOT EXISTS transcode_queue ("
           " id INTEGER PRIMARY KEY AUTOINCREMENT, library_item_id INTEGER NOT NULL,"
           " source_path TEXT NOT NULL, title TEXT NOT NULL, preset TEXT NOT NULL,"
           " ab_variants INTEGER NOT NULL, encrypt INTEGER NOT NULL, output_dir TEXT NOT NULL,"
           " package_path TEXT NOT NULL, watermark_json TEXT NOT NULL, state TEXT NOT NULL,"
           " error TEXT NOT NULL, position INTEGER NOT NULL,"
           " created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)",
           "CREATE TABLE IF NOT EXISTS transcode_queue_settings ("
           " key TEXT PRIMARY KEY, value TEXT NOT NULL)"}) {}

QList<QueueEntry> TranscodeQueueStore::load() const {
    QList<QueueEntry> out;
    QSqlQuery q(db_.db());
    q.exec("SELECT id, library_item_id, source_path, title, preset, ab_variants, encrypt,"
           " output_dir, package_path, watermark_json, state, error, position"
           " FROM transcode_queue ORDER BY position, id");
    while (q.next()) {
        QueueEntry e;
        e.id = q.value(0).toLongLong();
        e.libraryItemId = q.value(1).toLongLong();
        e.sourcePath = q.value(2).toString();
        e.title = q.value(3).toString();
        e.presetName = q.value(4).toString();
        e.abVariants = q.value(5).toBool();
        e.encrypt = q.value(6).toBool();
        e.outputDir = q.value(7).toString();
        e.packagePath = q.value(8).toString();
        e.watermarkJson = q.value(9).toString();
        e.state = queueStateFromName(q.value(10).toString());
        e.error = q.value(11).toString();
        e.position = q.value(12).toLongLong();
        // Interrupted by the app stopping: it starts again from the beginning.
        if (e.state == QueueState::Running) {
            e.state = QueueState::Queued;
            e.packagePath.clear();
        }
        if (e.state == QueueState::Succeeded)
            e.fraction = 1;
        out.append(e);
    }
    return out;
}

qint64 TranscodeQueueStore::insert(QueueEntry& entry) {
    QSqlQuery pos(db_.db());
    pos.exec("SELECT COALESCE(MAX(position), 0) + 1 FROM transcode_queue");
    entry.position = pos.next() ? pos.value(0).toLongLong() : 1;
    QSqlQuery q(db_.db());
    q.prepare("INSERT INTO transcode_queue (library_item_id, source_path, title, preset,"
              " ab_variants, encrypt, output_dir, package_path, watermark_json, state, error,"
              " position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const QVariant& v :
         {QVariant(entry.libraryItemId), QVariant(StudioDatabase::text(entry.sourcePath)),
          QVariant(StudioDatabase::text(entry.title)),
          QVariant(StudioDatabase::text(entry.presetName)), QVariant(entry.abVariants ? 1 : 0),
          QVariant(entry.encrypt ? 1 : 0), QVariant(StudioDatabase::text(entry.outputDir)),
          QVariant(StudioDatabase::text(entry.packagePath)),
          QVariant(StudioDatabase::text(entry.watermarkJson)),
          QVariant(queueStateName(entry.state)), QVariant(StudioDatabase::text(entry.error)),
          QVariant(entry.position)})
        q.addBindValue(v);
    entry.id = q.exec() ? q.lastInsertId().toLongLong() : 0;
    return entry.id;
}

void TranscodeQueueStore::update(const QueueEntry& entry) {
    QSqlQuery q(db_.db());
    q.prepare("UPDATE transcode_queue SET package_path = ?, state = ?, error = ?, position = ?"
              " WHERE id = ?");
    q.addBindValue(StudioDatabase::text(entry.packagePath));
    q.addBindValue(queueStateName(entry.state));
    q.addBindValue(StudioDatabase::text(entry.error));
    q.addBindValue(entry.position);
    q.addBindValue(entry.id);
    q.exec();
}

void TranscodeQueueStore::remove(qint64 id) {
    QSqlQuery q(db_.db());
    q.prepare("DELETE FROM transcode_queue WHERE id = ?");
    q.addBindValue(id);
    q.exec();
}

qint64 TranscodeQueueStore::frontPosition() const {
    QSqlQuery q(db_.db());
    q.exec("SELECT COALESCE(MIN(position), 1) - 1 FROM transcode_queue");
    return q.next() ? q.value(0).toLongLong() : 0;
}

bool TranscodeQueueStore::paused() const {
    QSqlQuery q(db_.db());
    q.exec("SELECT value FROM transcode_queue_settings WHERE key = 'paused'");
    return q.next() && q.value(0).toString() == "1";
}

void TranscodeQueueStore::setPaused(bool paused) {
    QSqlQuery q(db_.db());
    q.prepare("INSERT OR REPLACE INTO transcode_queue_settings (key, value) VALUES ('paused', ?)");
    q.addBindValue(paused ? "1" : "0");
    q.exec();
}
