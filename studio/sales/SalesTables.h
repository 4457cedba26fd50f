#pragma once
// The read-only tables of the Sales page and its payouts tab: a money answer's "formatted"
// text, cells (numbers right-aligned) and a row-selecting table. GUI thread.

#include <QHeaderView>
#include <QJsonObject>
#include <QJsonValue>
#include <QTableWidget>

namespace sales {

inline QString formatted(const QJsonValue& money) {
    return money.toObject().value("formatted").toString();
}

inline QTableWidgetItem* cell(const QString& text, bool number = false) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(item->flags() & ~Qt::ItemIsEditable);
    if (number)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

inline QTableWidget* table(const QStringList& headers, QWidget* parent) {
    auto* t = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    t->setHorizontalHeaderLabels(headers);
    t->verticalHeader()->hide();
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    return t;
}

} // namespace sales
