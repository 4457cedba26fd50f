#include "admin/MoneyList.h"

#include <QDateTime>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSaveFile>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace {

QString humanized(QString key) {
    key.replace('_', ' ');
    if (!key.isEmpty())
        key[0] = key[0].toUpper();
    return key;
}

bool isMoney(const QJsonObject& object) {
    return object.contains("amount_minor") && object.contains("currency");
}

bool isNumberish(const QJsonValue& value) {
    return value.isDouble() || (value.isObject() && isMoney(value.toObject()));
}

} // namespace

MoneyList::MoneyList(ApiClient& api, const QString& path, const QString& listKey,
                     const QList<Column>& preferred, QWidget* parent)
    : QWidget(parent)
    , api_(api)
    , path_(path)
    , listKey_(listKey)
    , preferred_(preferred) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    table_ = new QTableWidget(0, 0, this);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(table_, 1);

    actions_ = new QHBoxLayout;
    reload_ = new QPushButton(tr("Reload"), this);
    reload_->setObjectName("reload");
    export_ = new QPushButton(tr("Export CSV..."), this);
    export_->setObjectName("exportCsv");
    export_->setEnabled(false);
    auto* bottom = new QHBoxLayout;
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    bottom->addWidget(status_, 1);
    bottom->addWidget(reload_);
    bottom->addWidget(export_);
    layout->addLayout(actions_);
    layout->addLayout(bottom);

    connect(reload_, &QPushButton::clicked, this, &MoneyList::reload);
    connect(export_, &QPushButton::clicked, this, [this] {
        const QString name =
            path_.section('/', -1) + "-" + QDate::currentDate().toString(Qt::ISODate) + ".csv";
        const QString file =
            QFileDialog::getSaveFileName(this, tr("Export CSV"), name, tr("CSV files (*.csv)"));
        if (!file.isEmpty())
            exportCsv(file);
    });
    connect(table_, &QTableWidget::itemSelectionChanged, this, &MoneyList::selectionChanged);
}

void MoneyList::setStatus(const QString& text, bool error) {
    status_->setStyleSheet(error ? "color: #b00020;" : QString());
    status_->setText(text);
}

QString MoneyList::url(const QString& extra) const {
    QStringList query;
    if (!query_.isEmpty())
        query << query_;
    query << extra;
    return path_ + "?" + query.join('&');
}

void MoneyList::reload() {
    const int generation = ++generation_;
    loading_ = true;
    reload_->setEnabled(false);
    setStatus(tr("Loading..."), false);
    api_.get(url(QString("limit=%1&offset=0").arg(kPageLimit)), [this, generation](
                                                                    const ApiResult& result) {
        if (generation != generation_)
            return;
        loading_ = false;
        reload_->setEnabled(true);
        if (!result.ok()) {
            setStatus(tr("Could not load: %1").arg(result.errorMessage), true);
            return;
        }
        loaded_ = true;
        show(result.body);
        const int count = static_cast<int>(rows_.size());
        QString text = count == 0   ? tr("Nothing to show.")
                       : count == 1 ? tr("1 row.")
                                    : tr("%1 rows.").arg(count);
        if (count >= kPageLimit)
            text +=
                " " + tr("Only the first %1 are listed; Export CSV has them all.").arg(kPageLimit);
        setStatus(text, false);
        emit loadedRows();
    });
}

void MoneyList::show(const QJsonObject& answer) {
    const QJsonObject keep = selected();
    answer_ = answer;
    QJsonArray list = answer.value(listKey_).toArray();
    if (!answer.contains(listKey_)) { // an answer under another name: its first list
        for (const QJsonValue& value : answer) {
            if (value.isArray()) {
                list = value.toArray();
                break;
            }
        }
    }
    rows_.clear();
    keys_.clear();
    QStringList seen;
    for (const QJsonValue& value : list) {
        rows_ << value.toObject();
        for (const QString& key : rows_.last().keys())
            if (!seen.contains(key))
                seen << key;
    }
    QStringList headers;
    for (const Column& column : preferred_) {
        if (rows_.isEmpty() || seen.contains(column.key)) { // no column that stays empty
            keys_ << column.key;
            headers << column.header;
        }
    }
    const auto emptyEverywhere = [this](const QString& key) {
        return std::all_of(rows_.begin(), rows_.end(), [&](const QJsonObject& row) {
            const QJsonValue value = row.value(key);
            return value.isNull() || value.isUndefined() || value.toString("x").isEmpty();
        });
    };
    for (const QString& key : seen) {
        if (!keys_.contains(key) && !emptyEverywhere(key)) {
            keys_ << key;
            headers << humanized(key);
        }
    }
    table_->clear();
    table_->setColumnCount(static_cast<int>(keys_.size()));
    table_->setHorizontalHeaderLabels(headers);
    table_->setRowCount(static_cast<int>(rows_.size()));
    for (int row = 0; row < rows_.size(); ++row) {
        for (int column = 0; column < keys_.size(); ++column) {
            const QJsonValue value = rows_[row].value(keys_[column]);
            auto* item = new QTableWidgetItem(cellText(keys_[column], value));
            if (isNumberish(value))
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            table_->setItem(row, column, item);
        }
    }
    table_->resizeColumnsToContents();
    export_->setEnabled(true);
    if (!keep.isEmpty())
        selectWhere("id", keep.value("id"));
    emit selectionChanged();
}

QString MoneyList::cellText(const QString& key, const QJsonValue& value) {
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        if (isMoney(object))
            return object.value("formatted")
                .toString(QString("%1 %2 (minor units)")
                              .arg(object.value("amount_minor").toInteger())
                              .arg(object.value("currency").toString()));
        for (const char* name : {"username", "title", "name", "id"})
            if (object.contains(name))
                return cellText(name, object.value(name));
        return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
    }
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    if (value.isDouble())
        return QString::number(value.toInteger(static_cast<qint64>(value.toDouble())));
    if (value.isBool())
        return value.toBool() ? tr("yes") : tr("no");
    const QString text = value.toString();
    if ((key.endsWith("_at") || key == "at") && !text.isEmpty()) {
        const QDateTime when = QDateTime::fromString(text, Qt::ISODate);
        if (when.isValid())
            return QLocale().toString(when.toLocalTime(), QLocale::ShortFormat);
    }
    return text;
}

QJsonObject MoneyList::selected() const {
    const auto rows = table_->selectionModel()->selectedRows();
    if (rows.isEmpty() || rows.first().row() >= rows_.size())
        return {};
    return rows_[rows.first().row()];
}

bool MoneyList::selectWhere(const QString& key, const QJsonValue& value) {
    for (int row = 0; row < rows_.size(); ++row) {
        if (rows_[row].value(key) == value) {
            table_->selectRow(row);
            return true;
        }
    }
    return false;
}

void MoneyList::exportCsv(const QString& file, std::function<void(bool)> done) {
    const int generation = generation_;
    export_->setEnabled(false);
    setStatus(tr("Exporting..."), false);
    api_.download(url("format=csv"), [this, generation, file, done](int, const QByteArray& bytes,
                                                                    const QString& error) {
        if (generation != generation_)
            return;
        export_->setEnabled(loaded_);
        bool ok = error.isEmpty();
        if (!ok) {
            setStatus(tr("Could not export: %1").arg(error), true);
        } else {
            QSaveFile out(file);
            ok = out.open(QIODevice::WriteOnly) && out.write(bytes) == bytes.size() && out.commit();
            if (ok)
                setStatus(tr("Saved %1.").arg(QDir::toNativeSeparators(file)), false);
            else
                setStatus(tr("Could not write %1: %2")
                              .arg(QDir::toNativeSeparators(file), out.errorString()),
                          true);
        }
        if (done)
            done(ok);
    });
}

void MoneyList::clear() {
    ++generation_;
    loaded_ = false;
    loading_ = false;
    answer_ = {};
    rows_.clear();
    keys_.clear();
    table_->clear();
    table_->setRowCount(0);
    table_->setColumnCount(0);
    reload_->setEnabled(true);
    export_->setEnabled(false);
    setStatus({}, false);
    emit selectionChanged();
}
