#include "library/LibraryPage.h"

#include "common/Heading.h"

#include "library/MediaImportJob.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace {

constexpr int kIdRole = Qt::UserRole + 1;

QStringList localFiles(const QMimeData* mime) {
    QStringList files;
    if (!mime || !mime->hasUrls())
        return files;
    for (const QUrl& url : mime->urls()) {
        if (url.isLocalFile())
            files << url.toLocalFile();
    }
    return files;
}

} // namespace

LibraryPage::LibraryPage(LibraryStore& store, QWidget* parent)
    : QWidget(parent)
    , store_(store)
    , list_(new QListWidget(this))
    , import_(new QPushButton(tr("Import videos..."), this))
    , remove_(new QPushButton(tr("Remove from library"), this))
    , status_(new QLabel(this))
    , details_(new QLabel(this)) {
    setAcceptDrops(true);
    auto* layout = new QVBoxLayout(this);
    usePageMargins(layout);
    auto* title = pageHeading(tr("Library"), this);
    auto* hint = new QLabel(tr("Import your source videos with the button or drop them here. "
                               "The studio reads each file and keeps a thumbnail."),
                            this);
    hint->setWordWrap(true);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(import_);
    buttons->addWidget(remove_);
    buttons->addStretch(1);
    buttons->addWidget(status_);
    layout->addWidget(title);
    layout->addWidget(hint);
    layout->addLayout(buttons);

    list_->setObjectName("libraryList");
    list_->setIconSize(QSize(160, 90));
    list_->setSpacing(4);
    list_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    list_->setAlternatingRowColors(true);
    layout->addWidget(list_, 1);
    details_->setObjectName("libraryDetails");
    details_->setWordWrap(true);
    details_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    details_->setMinimumHeight(40);
    layout->addWidget(details_);

    remove_->setEnabled(false);
    connect(import_, &QPushButton::clicked, this, &LibraryPage::chooseFiles);
    connect(remove_, &QPushButton::clicked, this, &LibraryPage::removeSelected);
    connect(list_, &QListWidget::itemSelectionChanged, this, &LibraryPage::showDetails);
    connect(&store_, &LibraryStore::changed, this, &LibraryPage::refresh);
    if (!store_.isOpen()) {
        status_->setText(tr("The library database cannot be opened: %1").arg(store_.error()));
        status_->setStyleSheet("color: #d9534f;");
    }
    refresh();
}

void LibraryPage::chooseFiles() {
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Import videos"), QStandardPaths::writableLocation(QStandardPaths::MoviesLocation),
        tr("Videos (*.mp4 *.m4v *.mov *.mkv *.webm *.avi *.mts *.m2ts *.ts *.wmv *.flv *.mpg "
           "*.mpeg *.3gp);;All files (*)"));
    importFiles(files);
}

void LibraryPage::importFiles(const QStringList& paths) {
    QStringList fresh;
    for (const QString& path : paths) {
        const QString absolute = QFileInfo(path).absoluteFilePath();
        if (store_.itemByPath(absolute))
            refusals_ << QString::fromUtf8("• ") +
                             tr("%1: already in the library").arg(QFileInfo(path).fileName());
        else if (!fresh.contains(absolute))
            fresh << absolute;
    }
    auto* job = new MediaImportJob(fresh, this);
    jobs_.append(job);
    status_->setText(tr("Reading %n file(s)...", nullptr, static_cast<int>(fresh.size())));
    connect(job, &MediaImportJob::inspected, this, &LibraryPage::onInspected);
    connect(job, &MediaImportJob::refused, this,
            [this](const QString& path, const QString& message) {
                Q_UNUSED(path);
                refusals_ << QString::fromUtf8("• ") + message;
            });
    connect(job, &MediaImportJob::finished, this, [this, job] {
        jobs_.removeOne(job);
        job->deleteLater();
        if (!jobs_.isEmpty())
            return;
        status_->setText(added_ > 0 ? tr("%n video(s) added.", nullptr, added_) : QString());
        added_ = 0;
        if (!refusals_.isEmpty()) {
            auto* box = new QMessageBox(QMessageBox::Warning, tr("Not imported"),
                                        tr("These files were not added to the library:"),
                                        QMessageBox::Ok, this);
            box->setInformativeText(refusals_.join("\n"));
            box->setAttribute(Qt::WA_DeleteOnClose);
            refusals_.clear();
            lastMessage_ = box;
            box->open();
        }
        emit importFinished();
    });
    job->start();
}

void LibraryPage::onInspected(const LibraryItem& inspected) {
    LibraryItem item = inspected;
    // The viewer watermark's motion seed: chosen once per video and kept with it.
    item.watermarkSeed = QRandomGenerator::system()->generate();
    if (store_.add(item) > 0)
        ++added_;
    else
        refusals_ << QString::fromUtf8("• ") +
                         tr("%1: could not be saved in the library").arg(item.title);
}

void LibraryPage::refresh() {
    const qint64 selected =
        list_->currentItem() ? list_->currentItem()->data(kIdRole).toLongLong() : 0;
    list_->clear();
    for (const LibraryItem& item : store_.items()) {
        auto* row = new QListWidgetItem(
            QIcon(QPixmap::fromImage(item.thumbnail.isNull()
                                         ? QImage()
                                         : item.thumbnail.scaled(160, 90, Qt::KeepAspectRatio,
                                                                 Qt::SmoothTransformation))),
            item.title + "\n" + item.factsText(), list_);
        row->setData(kIdRole, item.id);
        row->setToolTip(item.path);
        if (item.id == selected)
            list_->setCurrentItem(row);
    }
    if (list_->count() == 0)
        details_->setText(tr("No videos yet."));
    showDetails();
}

void LibraryPage::showDetails() {
    const QList<QListWidgetItem*> rows = list_->selectedItems();
    remove_->setEnabled(!rows.isEmpty());
    if (rows.size() != 1) {
        if (list_->count() > 0)
            details_->setText(tr("%n video(s) in the library.", nullptr, list_->count()));
        return;
    }
    const auto item = store_.item(rows.first()->data(kIdRole).toLongLong());
    if (!item)
        return;
    details_->setText(tr("<b>%1</b><br>%2<br>%3 video, %4")
                          .arg(item->title.toHtmlEscaped(), item->path.toHtmlEscaped(),
                               item->videoCodec, item->factsText().toHtmlEscaped()));
}

void LibraryPage::removeSelected() {
    QList<qint64> ids;
    for (QListWidgetItem* row : list_->selectedItems())
        ids << row->data(kIdRole).toLongLong();
    for (qint64 id : ids)
        store_.remove(id);
}

void LibraryPage::dragEnterEvent(QDragEnterEvent* event) {
    if (!localFiles(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void LibraryPage::dropEvent(QDropEvent* event) {
    const QStringList files = localFiles(event->mimeData());
    if (files.isEmpty())
        return;
    event->acceptProposedAction();
    importFiles(files);
}
