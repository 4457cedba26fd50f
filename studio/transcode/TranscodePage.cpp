#include "transcode/TranscodePage.h"

#include "common/Heading.h"

#include "common/StudioSettings.h"
#include "transcode/TranscodeJobRow.h"
#include "watermark/WatermarkSpec.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

namespace {
constexpr int kIdRole = Qt::UserRole + 1;
}

TranscodePage::TranscodePage(LibraryStore& library, TranscodeQueue& queue, QWidget* parent)
    : QWidget(parent)
    , library_(library)
    , queue_(queue)
    , videos_(new QListWidget(this))
    , preset_(new QComboBox(this))
    , presetSummary_(new QLabel(this))
    , ab_(new QCheckBox(tr("Forensic A/B variants (trace a leaked copy to its viewer)"), this))
    , encrypt_(new QCheckBox(tr("AES-128 segment encryption"), this))
    , output_(new QLineEdit(StudioSettings().transcodeOutputDir(), this))
    , add_(new QPushButton(tr("Add to queue"), this))
    , queuePause_(new QPushButton(this))
    , queueState_(new QLabel(this))
    , queueList_(new QListWidget(this)) {
    auto* layout = new QVBoxLayout(this);
    usePageMargins(layout);
    layout->addWidget(pageHeading(tr("Transcode"), this));

    auto* form = new QGroupBox(tr("New transcode"), this);
    auto* formRow = new QHBoxLayout(form);
    videos_->setObjectName("transcodeVideos");
    videos_->setIconSize(QSize(64, 36));
    videos_->setMinimumWidth(260);
    videos_->setMinimumHeight(4 * 44); // four videos show without scrolling
    formRow->addWidget(videos_, 1);
    auto* fields = new QFormLayout;
    auto* presetRow = new QHBoxLayout;
    auto* importPreset = new QPushButton(tr("Import preset..."), this);
    importPreset->setToolTip(tr("Add your own ladder preset (a JSON file: renditions, segment "
                                "length, encoder settings). It is checked before it is kept."));
    presetRow->addWidget(preset_, 1);
    presetRow->addWidget(importPreset);
    fields->addRow(tr("Preset:"), presetRow);
    presetSummary_->setWordWrap(true);
    presetSummary_->setStyleSheet("color: palette(mid);");
    fields->addRow(QString(), presetSummary_);
    ab_->setToolTip(tr("Every segment is made twice with an invisible difference; each viewer "
                       "gets their own pattern. Takes longer to encode."));
    fields->addRow(tr("Options:"), ab_);
    fields->addRow(QString(), encrypt_);
    auto* outputRow = new QHBoxLayout;
    auto* browse = new QPushButton(tr("Browse..."), this);
    outputRow->addWidget(output_, 1);
    outputRow->addWidget(browse);
    fields->addRow(tr("Output folder:"), outputRow);
    fields->addRow(QString(), add_);
    formRow->addLayout(fields, 2);
    layout->addWidget(form);

    auto* queueHeader = new QHBoxLayout;
    queueHeader->addWidget(new QLabel(tr("<b>Queue</b>"), this));
    queueHeader->addWidget(queueState_, 1);
    queueHeader->addWidget(queuePause_);
    layout->addLayout(queueHeader);
    queueList_->setObjectName("transcodeQueue");
    queueList_->setSelectionMode(QAbstractItemView::NoSelection);
    queueList_->setSpacing(3);
    queueList_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    queueList_->setResizeMode(QListView::Adjust);
    layout->addWidget(queueList_, 1);

    connect(importPreset, &QPushButton::clicked, this, &TranscodePage::choosePresetFile);
    connect(browse, &QPushButton::clicked, this, &TranscodePage::chooseOutput);
    connect(add_, &QPushButton::clicked, this, [this] { addToQueue(); });
    connect(preset_, &QComboBox::currentTextChanged, this, &TranscodePage::applyPreset);
    connect(videos_, &QListWidget::itemChanged, this, &TranscodePage::updateAddButton);
    connect(queuePause_, &QPushButton::clicked, this,
            [this] { queue_.setPaused(!queue_.isPaused()); });
    connect(&library_, &LibraryStore::changed, this, &TranscodePage::refreshVideos);
    connect(&queue_, &TranscodeQueue::entriesChanged, this, &TranscodePage::rebuildQueue);
    connect(&queue_, &TranscodeQueue::entryChanged, this, &TranscodePage::updateRow);
    connect(&queue_, &TranscodeQueue::pausedChanged, this, &TranscodePage::updatePauseButton);

    refreshVideos();
    refreshPresets("default");
    rebuildQueue();
    updatePauseButton();
}

void TranscodePage::refreshVideos() {
    QList<qint64> checked;
    for (int i = 0; i < videos_->count(); ++i) {
        if (videos_->item(i)->checkState() == Qt::Checked)
            checked << videos_->item(i)->data(kIdRole).toLongLong();
    }
    videos_->clear();
    for (const LibraryItem& item : library_.items()) {
        auto* row =
            new QListWidgetItem(QIcon(QPixmap::fromImage(item.thumbnail)),
                                item.title + "  (" + formatDurationMs(item.durationMs) + ", " +
                                    QString("%1×%2").arg(item.widthPx).arg(item.heightPx) + ")",
                                videos_);
        row->setData(kIdRole, item.id);
        row->setFlags(row->flags() | Qt::ItemIsUserCheckable);
        row->setCheckState(checked.contains(item.id) ? Qt::Checked : Qt::Unchecked);
        row->setToolTip(item.path);
    }
    if (videos_->count() == 0) {
        auto* hint = new QListWidgetItem(tr("Import videos in the Library first."), videos_);
        hint->setFlags(Qt::NoItemFlags);
    }
    updateAddButton();
}

void TranscodePage::setVideoChecked(qint64 libraryItemId, bool checked) {
    for (int i = 0; i < videos_->count(); ++i) {
        if (videos_->item(i)->data(kIdRole).toLongLong() == libraryItemId)
            videos_->item(i)->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
    }
}

void TranscodePage::refreshPresets(const QString& select) {
    const QString current = select.isEmpty() ? preset_->currentText() : select;
    preset_->clear();
    for (const QString& name : presets_.names())
        preset_->addItem(name, name);
    const int index = preset_->findText(current);
    preset_->setCurrentIndex(index >= 0 ? index : 0);
    applyPreset(preset_->currentText());
}

void TranscodePage::updateAddButton() {
    bool ticked = false;
    for (int i = 0; i < videos_->count() && !ticked; ++i)
        ticked = videos_->item(i)->checkState() == Qt::Checked;
    add_->setEnabled(ticked);
    add_->setToolTip(ticked ? QString() : tr("Tick the videos to transcode first."));
}

// The preset decides what is ticked: A/B and AES-128 unless it turns them off.
void TranscodePage::applyPreset(const QString& name) {
    presetSummary_->setText(presets_.summary(name));
    const PresetProtection protection = presets_.protection(name);
    ab_->setChecked(protection.forensicAb);
    encrypt_->setChecked(protection.aes128);
}

void TranscodePage::choosePresetFile() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Import a preset"), QString(),
                                                      tr("Preset JSON (*.json);;All files (*)"));
    if (!path.isEmpty())
        importPreset(path);
}

bool TranscodePage::importPreset(const QString& path) {
    QString error;
    const QString name = presets_.importFile(path, &error);
    if (name.isEmpty()) {
        message(tr("Preset not imported"), error);
        return false;
    }
    refreshPresets(name);
    return true;
}

void TranscodePage::chooseOutput() {
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Where should packages go?"), output_->text());
    if (!dir.isEmpty())
        output_->setText(dir);
}

QList<qint64> TranscodePage::addToQueue() {
    QList<qint64> ids;
    QList<LibraryItem> chosen;
    for (int i = 0; i < videos_->count(); ++i) {
        if (videos_->item(i)->checkState() != Qt::Checked)
            continue;
        if (auto item = library_.item(videos_->item(i)->data(kIdRole).toLongLong()))
            chosen << *item;
    }
    if (chosen.isEmpty())
        return ids; // the Add button waits for a ticked video
    const QString outputDir = output_->text().trimmed();
    if (outputDir.isEmpty() || !QDir::isAbsolutePath(outputDir)) {
        message(tr("No output folder"), tr("Choose the folder the packages go into."));
        return ids;
    }
    StudioSettings().setTranscodeOutputDir(outputDir);
    for (const LibraryItem& item : chosen) {
        QueueEntry entry;
        entry.libraryItemId = item.id;
        entry.sourcePath = item.path;
        entry.title = item.title;
        entry.presetName = preset_->currentText();
        entry.abVariants = ab_->isChecked();
        entry.encrypt = encrypt_->isChecked();
        entry.outputDir = outputDir;
        entry.watermarkJson = QString::fromUtf8(WatermarkSpec::forItem(item).toJsonText());
        if (const qint64 id = queue_.enqueue(entry))
            ids << id;
    }
    for (int i = 0; i < videos_->count(); ++i) {
        if (videos_->item(i)->flags() & Qt::ItemIsUserCheckable)
            videos_->item(i)->setCheckState(Qt::Unchecked);
    }
    return ids;
}

void TranscodePage::rebuildQueue() {
    queueList_->clear();
    rows_.clear();
    for (const QueueEntry& entry : queue_.entries()) {
        auto* item = new QListWidgetItem(queueList_);
        auto* row = new TranscodeJobRow(queueList_);
        row->display(entry);
        connect(row, &TranscodeJobRow::pauseClicked, &queue_, &TranscodeQueue::pause);
        connect(row, &TranscodeJobRow::cancelClicked, &queue_, &TranscodeQueue::cancel);
        connect(row, &TranscodeJobRow::retryClicked, &queue_, &TranscodeQueue::retry);
        connect(row, &TranscodeJobRow::removeClicked, &queue_, &TranscodeQueue::remove);
        connect(row, &TranscodeJobRow::publishClicked, this, [this](qint64 id) {
            if (const auto job = queue_.entry(id))
                emit publishRequested(job->packagePath, job->title);
        });
        queueList_->setItemWidget(item, row);
        rows_.insert(entry.id, row);
        fitRow(row);
    }
    if (queue_.entries().isEmpty()) {
        auto* hint = new QListWidgetItem(tr("The queue is empty."), queueList_);
        hint->setFlags(Qt::NoItemFlags);
    }
    updatePauseButton();
}

void TranscodePage::updateRow(qint64 id) {
    TranscodeJobRow* row = rows_.value(id);
    const auto entry = queue_.entry(id);
    if (row && entry) {
        row->display(*entry);
        fitRow(row);
    }
    updatePauseButton();
}

void TranscodePage::fitRow(TranscodeJobRow* row) {
    // A row grows when its text wraps or buttons appear ("Finished: <path>", Retry...): its
    // item must grow with it, at the list's width, or the row is cut off behind a scrollbar.
    for (int i = 0; i < queueList_->count(); ++i) {
        QListWidgetItem* item = queueList_->item(i);
        if (queueList_->itemWidget(item) != row)
            continue;
        const int width = queueList_->viewport()->width() - 2 * queueList_->spacing();
        const int height =
            row->hasHeightForWidth() ? row->heightForWidth(width) : row->sizeHint().height();
        item->setSizeHint(QSize(width, std::max(height, row->minimumSizeHint().height())));
        return;
    }
}

void TranscodePage::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    for (TranscodeJobRow* row : rows_)
        fitRow(row);
}

void TranscodePage::updatePauseButton() {
    const bool paused = queue_.isPaused();
    queuePause_->setText(paused ? tr("Resume queue") : tr("Pause queue"));
    int waiting = 0;
    for (const QueueEntry& e : queue_.entries())
        waiting += e.state == QueueState::Queued ? 1 : 0;
    QString state = paused ? tr("paused") : (queue_.runningId() ? tr("running") : tr("idle"));
    queueState_->setText(tr("  %1 · %n waiting · one job at a time", nullptr, waiting).arg(state));
}

void TranscodePage::message(const QString& title, const QString& text) {
    auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    lastMessage_ = box;
    box->open();
}
