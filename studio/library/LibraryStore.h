#pragma once
// LibraryStore: the creator's imported videos, kept in the studio's SQLite database (table
// library_items; thumbnails as PNG). One path appears at most once. Emits changed() after every
// write so every page showing the library can refresh. GUI thread.

#include "common/StudioDatabase.h"
#include "library/LibraryItem.h"

#include <QList>
#include <QObject>

#include <optional>

class LibraryStore : public QObject {
    Q_OBJECT
public:
    explicit LibraryStore(QObject* parent = nullptr);

    bool isOpen() const { return db_.isOpen(); }
    QString error() const { return db_.error(); }

    QList<LibraryItem> items() const; // in import order
    std::optional<LibraryItem> item(qint64 id) const;
    std::optional<LibraryItem> itemByPath(const QString& path) const;
    // Stores a new item and returns its id (0 when it could not, e.g. the path is already in).
    qint64 add(const LibraryItem& item);
    void remove(qint64 id);
    // The video's own watermark design (empty = back to the studio default).
    void setWatermarkJson(qint64 id, const QString& json);

signals:
    void changed();

private:
    StudioDatabase db_;
};
