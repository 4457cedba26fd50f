#include "common/StudioDatabase.h"

#include <QDir>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QUuid>

StudioDatabase::StudioDatabase(const QString& owner, const QStringList& schema)
    : connection_(owner + "-" + QUuid::createUuid().toString()) {
    QDir().mkpath(QFileInfo(filePath()).path());
    QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", connection_);
    db.setDatabaseName(filePath());
    // Several connections share the file; wait for each other's writes instead of failing.
    db.setConnectOptions("QSQLITE_BUSY_TIMEOUT=5000");
    if (!db.open()) {
        error_ = db.lastError().text();
        return;
    }
    for (const QString& statement : schema) {
        QSqlQuery query(db);
        if (!query.exec(statement)) {
            error_ = query.lastError().text();
            return;
        }
    }
}

StudioDatabase::~StudioDatabase() {
    QSqlDatabase::database(connection_, false).close();
    QSqlDatabase::removeDatabase(connection_);
}

QString StudioDatabase::filePath() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/studio.sqlite";
}

QSqlDatabase StudioDatabase::db() const {
    return QSqlDatabase::database(connection_);
}
