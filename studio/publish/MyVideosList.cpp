#include "publish/MyVideosList.h"

#include "publish/VideoEditDialog.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace {

QString stateText(const QJsonObject& video) {
    const QString state = video.value("state").toString();
    if (state == "failed")
        return state + ": " + video.value("failure_reason").toString();
    if (state == "unpublished")
        return QObject::tr("unpublished (buyers keep access)");
    if (state == "published" && video.value("visibility").toString() == "unlisted")
        return QObject::tr("published, unlisted");
    return state;
}

} // namespace

MyVideosList::MyVideosList(ApiClient& api, QWidget* parent)
    : QWidget(parent)
    , api_(api) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* header = new QHBoxLayout;
    header->addWidget(new QLabel(tr("<b>My videos</b>"), this));
    header->addStretch(1);
    edit_ = new QPushButton(tr("Edit..."), this);
    edit_->setObjectName("editVideo");
    edit_->setToolTip(tr("Title, price, visibility, free access; unpublish or delete"));
    edit_->setEnabled(false);
    header->addWidget(edit_);
    auto* refreshButton = new QPushButton(tr("Refresh"), this);
    header->addWidget(refreshButton);
    layout->addLayout(header);
    table_ = new QTableWidget(0, 4, this);
    table_->setHorizontalHeaderLabels({tr("Title"), tr("State"), tr("Price"), tr("Affiliate")});
    table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->hide();
    layout->addWidget(table_, 1);

    connect(refreshButton, &QPushButton::clicked, this, &MyVideosList::refresh);
    connect(table_, &QTableWidget::cellDoubleClicked, this, [this](int row) { editVideo(row); });
    connect(table_, &QTableWidget::itemSelectionChanged, this,
            [this] { edit_->setEnabled(!table_->selectedItems().isEmpty()); });
    connect(edit_, &QPushButton::clicked, this, [this] { editVideo(table_->currentRow()); });
}

void MyVideosList::clear() {
    table_->setRowCount(0);
    edit_->setEnabled(false);
}

VideoEditDialog* MyVideosList::editVideo(int row) {
    const QTableWidgetItem* item = row >= 0 ? table_->item(row, 0) : nullptr;
    if (!item)
        return nullptr;
    auto* dialog =
        new VideoEditDialog(api_, item->data(Qt::UserRole).toJsonObject(), maxAffiliateBps_, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &VideoEditDialog::changed, this, &MyVideosList::refresh);
    dialog->open();
    return dialog;
}

void MyVideosList::refresh() {
    api_.get("/api/me/videos", [this](const ApiResult& result) {
        if (!result.ok())
            return;
        const QString selected =
            table_->currentRow() >= 0 && table_->item(table_->currentRow(), 0)
                ? table_->item(table_->currentRow(), 0)->data(Qt::UserRole + 1).toString()
                : QString();
        const QJsonArray list = result.body.value("videos").toArray();
        table_->clearSelection();
        table_->setRowCount(list.size());
        for (int row = 0; row < list.size(); ++row) {
            const QJsonObject v = list[row].toObject();
            const QStringList cells{v.value("title").toString(), stateText(v),
                                    v.value("price_display").toString(),
                                    QString("%1 %").arg(v.value("affiliate_bps").toInt() / 100.0)};
            for (int column = 0; column < cells.size(); ++column)
                table_->setItem(row, column, new QTableWidgetItem(cells[column]));
            table_->item(row, 0)->setData(Qt::UserRole, v);
            table_->item(row, 0)->setData(Qt::UserRole + 1, v.value("id").toString());
            if (!selected.isEmpty() && v.value("id").toString() == selected)
                table_->selectRow(row);
        }
        edit_->setEnabled(!table_->selectedItems().isEmpty());
    });
}
