#include "library/LibraryStore.h"

#include <QBuffer>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace {

const char* const kColumns =
    "id, path, title, duration_ms, width_px, height_px, rotation_deg, frame_rate, vfr,"
    " video_codec, audio_layout, size_bytes, thumbnail_png, watermark_seed, watermark_json";

LibraryItem fromRow(const QSqlQuery& q) {
    LibraryItem item;
    item.id = q.value(0).toLongLong();
    item.path = q.value(1).toString();
    item.title = q.value(2).toString();
    item.durationMs = q.value(3).toLongLong();
    item.widthPx = q.value(4).toInt();
    item.heightPx = q.value(5).toInt();
    item.rotationDeg = q.value(6).toInt();
    item.frameRate = q.value(7).toDouble();
    item.variableFrameRate = q.value(8).toBool();
    item.videoCodec = q.value(9).toString();
    item.audioLayout = q.value(10).toString();
    item.sizeBytes = q.value(11).toLongLong();
    item.thumbnail.loadFromData(q.value(12).toByteArray(), "PNG");
    item.watermarkSeed = static_cast<quint32>(q.value(13).toLongLong());
    item.watermarkJson = q.value(14).toString();
    return item;
}

} // namespace

LibraryStore::LibraryStore(QObject* parent)
    : QObject(parent)
    , db_("library", {"CREATE TABLE IF NOT EXISTS library_items ("
                      " id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT NOT NULL UNIQUE,"
                      " title TEXT NOT NULL, duration_ms INTEGER NOT NULL,"
                      " width_px INTEGER NOT NULL, height_px INTEGER NOT NULL,"
                      " rotation_deg INTEGER NOT NULL, frame_rate REAL NOT NULL,"
                      " vfr INTEGER NOT NULL, video_codec TEXT NOT NULL,"
                      " audio_layout TEXT NOT NULL, size_bytes INTEGER NOT NULL,"
                      " thumbnail_png BLOB, watermark_seed INTEGER NOT NULL,"
                      " watermark_json TEXT NOT NULL DEFAULT '',"
                      " added_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)"}) {}

QList<LibraryItem> LibraryStore::items() const {
    QList<LibraryItem> out;
    QSqlQuery q(db_.db());
    q.exec(QString("SELECT %1 FROM library_items ORDER BY id").arg(kColumns));
    while (q.next())
        out.append(fromRow(q));
    return out;
}

std::optional<LibraryItem> LibraryStore::item(qint64 id) const {
    QSqlQuery q(db_.db());
    q.prepare(QString("SELECT %1 FROM library_items WHERE id = ?").arg(kColumns));
    q.addBindValue(id);
    if (q.exec() && q.next())
        return fromRow(q);
    return std::nullopt;
}

std::optional<LibraryItem> LibraryStore::itemByPath(const QString& path) const {
    QSqlQuery q(db_.db());
    q.prepare(QString("SELECT %1 FROM library_items WHERE path = ?").arg(kColumns));
    q.addBindValue(path);
    if (q.exec() && q.next())
        return fromRow(q);
    return std::nullopt;
}

qint64 LibraryStore::add(const LibraryItem& item) {
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    if (!item.thumbnail.isNull())
        item.thumbnail.save(&buffer, "PNG");
    QSqlQuery q(db_.db());
    q.prepare("INSERT INTO library_items (path, title, duration_ms, width_px, height_px,"
              " rotation_deg, frame_rate, vfr, video_codec, audio_layout, size_bytes,"
              " thumbnail_png, watermark_seed, watermark_json)"
              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const QVariant& v :
         {QVariant(StudioDatabase::text(item.path)), QVariant(StudioDatabase::text(item.title)),
          QVariant(item.durationMs), QVariant(item.widthPx), QVariant(item.heightPx),
          QVariant(item.rotationDeg), QVariant(item.frameRate),
          QVariant(item.variableFrameRate ? 1 : 0), QVariant(StudioDatabase::text(item.videoCodec)),
          QVariant(StudioDatabase::text(item.audioLayout)), QVariant(item.sizeBytes), QVariant(png),
          QVariant(static_cast<qint64>(item.watermarkSeed)),
          QVariant(StudioDatabase::text(item.watermarkJson))})
        q.addBindValue(v);
    if (!q.exec()) {
        qWarning("library: cannot store %s: %s", qPrintable(item.path),
                 qPrintable(q.lastError().text()));
        return 0;
    }
    const qint64 id = q.lastInsertId().toLongLong();
    emit changed();
    return id;
}

void LibraryStore::remove(qint64 id) {
    QSqlQuery q(db_.db());
    q.prepare("DELETE FROM library_items WHERE id = ?");
    q.addBindValue(id);
    q.exec();
    emit changed();
}

void LibraryStore::setWatermarkJson(qint64 id, const QString& json) {
    QSqlQuery q(db_.db());
    q.prepare("UPDATE library_items SET watermark_json = ? WHERE id = ?");
    q.addBindValue(StudioDatabase::text(json));
    q.addBindValue(id);
    q.exec();
    emit changed();
}
