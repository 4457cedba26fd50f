#pragma once
// StudioDatabase: one connection to the studio's local SQLite database (Qt Sql),
// <app data>/studio.sqlite, shared by the library, the transcode queue and the upload journal.
// Each owner gets its own named connection (closed and removed in the destructor), so owners
// come and go independently. Thread: the thread that created it (Qt Sql's rule).

#include <QSqlDatabase>
#include <QString>
#include <QStringList>

class StudioDatabase {
public:
    // Opens (creating) the file and runs `schema` (CREATE TABLE IF NOT EXISTS ... statements).
    // `owner` names the connection ("library", "journal", ...). error() says why when it failed.
    StudioDatabase(const QString& owner, const QStringList& schema);
    ~StudioDatabase();
    StudioDatabase(const StudioDatabase&) = delete;
    StudioDatabase& operator=(const StudioDatabase&) = delete;

    static QString filePath();
    // A string to bind to a NOT NULL TEXT column: a null QString binds as SQL NULL.
    static QString text(const QString& value) { return value.isNull() ? QString("") : value; }
    bool isOpen() const { return error_.isEmpty(); }
    QString error() const { return error_; }
    QSqlDatabase db() const;

private:
    QString connection_;
    QString error_;
};
