#include "transcode/TranscodeJobRow.h"

#include <QDesktopServices>
#include <QDir>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QUrl>

namespace {

QString etaText(qint64 ms) {
    if (ms < 0)
        return QObject::tr("estimating time left");
    const qint64 s = (ms + 999) / 1000;
    return s >= 60 ? QObject::tr("%1 min %2 s left").arg(s / 60).arg(s % 60)
                   : QObject::tr("%1 s left").arg(s);
}

} // namespace

TranscodeJobRow::TranscodeJobRow(QWidget* parent)
    : QFrame(parent)
    , title_(new QLabel(this))
    , details_(new QLabel(this))
    , state_(new QLabel(this))
    , progress_(new QProgressBar(this))
    , pause_(new QPushButton(tr("Pause"), this))
    , cancel_(new QPushButton(tr("Cancel"), this))
    , retry_(new QPushButton(tr("Retry"), this))
    , remove_(new QPushButton(tr("Remove"), this))
    , open_(new QPushButton(tr("Show package"), this))
    , publish_(new QPushButton(tr("Publish..."), this)) {
    setFrameShape(QFrame::StyledPanel);
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(10, 8, 10, 8);
    grid->setVerticalSpacing(4);
    details_->setStyleSheet("color: palette(mid);");
    title_->setTextFormat(Qt::RichText);
    state_->setTextFormat(Qt::PlainText);
    details_->setTextFormat(Qt::PlainText);
    state_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    state_->setWordWrap(true);
    progress_->setRange(0, 1000);
    progress_->setTextVisible(true);
    progress_->setMinimumWidth(220);
    pause_->setToolTip(tr("Stop this encode and put it back at the front of the queue, and pause "
                          "the queue. It restarts from the beginning when you resume: the "
                          "work done so far is not kept."));
    cancel_->setToolTip(tr("Stop this encode for good; the unfinished package is deleted."));
    auto* buttons = new QHBoxLayout;
    buttons->setSpacing(6);
    publish_->setToolTip(tr("Open the Publish page with this package"));
    for (QPushButton* b : {pause_, cancel_, retry_, remove_, open_, publish_})
        buttons->addWidget(b);
    grid->addWidget(title_, 0, 0);
    grid->addWidget(details_, 1, 0);
    grid->addWidget(progress_, 0, 1);
    grid->addWidget(state_, 2, 0, 1, 2);
    grid->addLayout(buttons, 1, 1, Qt::AlignRight);
    grid->setColumnStretch(0, 1);

    connect(pause_, &QPushButton::clicked, this, [this] { emit pauseClicked(id_); });
    connect(cancel_, &QPushButton::clicked, this, [this] { emit cancelClicked(id_); });
    connect(retry_, &QPushButton::clicked, this, [this] { emit retryClicked(id_); });
    connect(remove_, &QPushButton::clicked, this, [this] { emit removeClicked(id_); });
    connect(publish_, &QPushButton::clicked, this, [this] { emit publishClicked(id_); });
    connect(open_, &QPushButton::clicked, this,
            [this] { QDesktopServices::openUrl(QUrl::fromLocalFile(packagePath_)); });
}

void TranscodeJobRow::display(const QueueEntry& e) {
    id_ = e.id;
    packagePath_ = e.packagePath;
    title_->setText(QString("<b>%1</b>").arg(e.title.toHtmlEscaped()));
    QStringList options{tr("preset %1").arg(e.presetName)};
    if (e.abVariants)
        options << tr("A/B forensic variants");
    if (e.encrypt)
        options << tr("AES-128");
    options << tr("into %1").arg(QDir::toNativeSeparators(e.outputDir));
    details_->setText(options.join(" · "));

    progress_->setValue(static_cast<int>(e.fraction * 1000 + 0.5));
    // A failure reads in red; any other state clears that (a retried job is no longer failed).
    state_->setStyleSheet(e.state == QueueState::Failed ? "color: #d9534f;" : QString());
    switch (e.state) {
    case QueueState::Running:
        progress_->setFormat(QString("%p% · %1").arg(etaText(e.etaMs)));
        state_->setText(e.stage.isEmpty() ? tr("Encoding...") : tr("Running: %1").arg(e.stage));
        break;
    case QueueState::Queued:
        progress_->setFormat(tr("queued"));
        state_->setText(tr("Waiting in the queue."));
        break;
    case QueueState::Succeeded:
        progress_->setFormat(tr("done"));
        state_->setText(tr("Finished: %1").arg(QDir::toNativeSeparators(e.packagePath)));
        break;
    case QueueState::Failed:
        progress_->setFormat(tr("failed"));
        state_->setText(tr("Failed: %1").arg(e.error));
        break;
    case QueueState::Cancelled:
    case QueueState::Invalid:
        progress_->setFormat(tr("cancelled"));
        state_->setText(tr("Cancelled."));
        break;
    }
    pause_->setVisible(e.state == QueueState::Running);
    cancel_->setVisible(e.isActive());
    retry_->setVisible(e.state == QueueState::Failed || e.state == QueueState::Cancelled);
    remove_->setVisible(e.state != QueueState::Running);
    open_->setVisible(e.state == QueueState::Succeeded);
    publish_->setVisible(e.state == QueueState::Succeeded);
}
