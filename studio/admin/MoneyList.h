#pragma once
// One list of the admin's money desk (withdrawals, purchases, disputes, commissions, accounts,
// the audit log): GET `path` with `?limit=&offset=`, the rows of the answer's `listKey` array in
// a read-only table, Reload, and "Export CSV" (the same list asked with ?format=csv, saved as
// the server wrote it). Columns come from the rows: the `preferred` keys they have first, in
// that order, with their headers, then any other key the server sends that is not empty in every
// row; money objects show their "formatted" text, times show local time. Errors are said in red
// under the table and cleared by the next success. GUI thread; the table is owned by this widget.

#include "net/ApiClient.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QWidget>

class QHBoxLayout;
class QLabel;
class QPushButton;
class QTableWidget;

class MoneyList : public QWidget {
    Q_OBJECT
public:
    struct Column {
        QString key;
        QString header;
    };
    static constexpr int kPageLimit = 200;

    MoneyList(ApiClient& api, const QString& path, const QString& listKey,
              const QList<Column>& preferred, QWidget* parent);

    // The query (without limit/offset/format), e.g. "status=requested" or "q=night".
    void setQuery(const QString& query) { query_ = query; }
    void reload();
    void clear();
    bool loaded() const { return loaded_; }
    bool needsLoad() const { return !loaded_ && !loading_; }
    // Saves the CSV export of the current query to `file`; `done(ok)` after (the status line
    // says what happened).
    void exportCsv(const QString& file, std::function<void(bool)> done = {});

    const QJsonObject& lastAnswer() const { return answer_; }
    const QList<QJsonObject>& rows() const { return rows_; }
    // The selected row's object, or an empty one.
    QJsonObject selected() const;
    // Selects the first row whose `key` equals `value`; false when none does.
    bool selectWhere(const QString& key, const QJsonValue& value);
    // A row for the action buttons a panel adds under the table.
    QHBoxLayout* actionRow() const { return actions_; }
    void setStatus(const QString& text, bool error);

    // For tests and automation.
    QTableWidget* table() const { return table_; }
    QPushButton* reloadButton() const { return reload_; }
    QPushButton* exportButton() const { return export_; }
    QLabel* statusLabel() const { return status_; }

    // A cell's text for any JSON value (money, time, nested object, plain value).
    static QString cellText(const QString& key, const QJsonValue& value);

signals:
    void loadedRows(); // after every successful load
    void selectionChanged();

private:
    void show(const QJsonObject& answer);
    QString url(const QString& extra) const;

    ApiClient& api_;
    QString path_;
    QString listKey_;
    QList<Column> preferred_;
    QString query_;
    bool loaded_ = false;
    bool loading_ = false;
    int generation_ = 0; // a newer reload or a sign-out makes older answers stale
    QJsonObject answer_;
    QList<QJsonObject> rows_;
    QStringList keys_;

    QTableWidget* table_;
    QHBoxLayout* actions_;
    QPushButton* reload_;
    QPushButton* export_;
    QLabel* status_;
};
