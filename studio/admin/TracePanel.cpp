#include "admin/TracePanel.h"

#include "admin/TraceReport.h"

#include <QComboBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace {
constexpr int kMaxVideos = 500; // the server's largest page
constexpr int kIdRole = Qt::UserRole + 1;

// The one local file a drag carries, if it carries exactly one.
QString droppedFile(const QMimeData* mime) {
    if (!mime || mime->urls().size() != 1 || !mime->urls().first().isLocalFile())
        return {};
    const QString path = mime->urls().first().toLocalFile();
    return QFileInfo(path).isFile() ? path : QString();
}
} // namespace

TracePanel::TracePanel(ApiClient& api, QWidget* parent)
    : QWidget(parent)
    , api_(api) {
    setAcceptDrops(true);
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(
        tr("Found a copy of a video where it should not be? Give it to the server with the video "
           "it was copied from: every buyer's stream carries an invisible pattern of their own, "
           "and the server reads it back to name the viewer it came from."),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* form = new QFormLayout;
    auto* fileRow = new QHBoxLayout;
    file_ = new QLineEdit(this);
    file_->setObjectName("traceFile");
    file_->setPlaceholderText(tr("the suspect recording (or drop the file here)"));
    auto* choose = new QPushButton(tr("Choose..."), this);
    fileRow->addWidget(file_, 1);
    fileRow->addWidget(choose);
    form->addRow(tr("Suspect file"), fileRow);
    auto* videoRow = new QHBoxLayout;
    video_ = new QComboBox(this);
    video_->setObjectName("traceVideo");
    video_->setEditable(true);
    video_->setInsertPolicy(QComboBox::NoInsert);
    video_->lineEdit()->setPlaceholderText(tr("pick the video, or type its id"));
    video_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    auto* reloadVideos = new QPushButton(tr("Reload list"), this);
    videoRow->addWidget(video_, 1);
    videoRow->addWidget(reloadVideos);
    form->addRow(tr("Copy of video"), videoRow);
    videoInfo_ = new QLabel(this);
    videoInfo_->setWordWrap(true);
    videoInfo_->setEnabled(false);
    form->addRow(QString(), videoInfo_);
    layout->addLayout(form);

    auto* actions = new QHBoxLayout;
    start_ = new QPushButton(tr("Start trace"), this);
    start_->setObjectName("startTrace");
    cancel_ = new QPushButton(tr("Cancel"), this);
    cancel_->setObjectName("cancelTrace");
    actions->addWidget(start_);
    actions->addWidget(cancel_);
    actions->addStretch(1);
    layout->addLayout(actions);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setValue(0);
    layout->addWidget(progress_);
    status_ = new QLabel(this);
    status_->setObjectName("traceStatus");
    status_->setWordWrap(true);
    layout->addWidget(status_);
    result_ = new QLabel(this);
    result_->setObjectName("traceResult");
    result_->setWordWrap(true);
    result_->setTextFormat(Qt::RichText);
    result_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    result_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    result_->setFrameShape(QFrame::StyledPanel);
    result_->setMargin(10);
    result_->hide();
    layout->addWidget(result_);
    layout->addStretch(1);

    connect(choose, &QPushButton::clicked, this, &TracePanel::chooseFile);
    connect(reloadVideos, &QPushButton::clicked, this, &TracePanel::reload);
    connect(start_, &QPushButton::clicked, this, &TracePanel::startTrace);
    connect(cancel_, &QPushButton::clicked, this, [this] {
        if (job_)
            job_->cancel();
    });
    connect(file_, &QLineEdit::textChanged, this, &TracePanel::updateButtons);
    connect(video_, &QComboBox::currentTextChanged, this, &TracePanel::updateButtons);
    updateButtons();
}

QString TracePanel::chosenVideoId() const {
    const int index = video_->currentIndex();
    if (index >= 0 && video_->itemText(index) == video_->currentText())
        return video_->itemData(index, kIdRole).toString();
    return video_->currentText().trimmed();
}

void TracePanel::updateButtons() {
    const bool busy = job_ && !job_->finished();
    start_->setEnabled(!busy && !file_->text().trimmed().isEmpty() && !chosenVideoId().isEmpty());
    cancel_->setEnabled(busy);
}

void TracePanel::chooseFile() {
    const QString start = file_->text().isEmpty()
                              ? QStandardPaths::writableLocation(QStandardPaths::MoviesLocation)
                              : QFileInfo(file_->text()).path();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Suspect recording"), start,
        tr("Videos (*.mp4 *.mkv *.mov *.webm *.ts *.m4v *.avi *.flv);;All files (*)"));
    if (!path.isEmpty())
        file_->setText(QDir::toNativeSeparators(path));
}

void TracePanel::dragEnterEvent(QDragEnterEvent* event) {
    if (!droppedFile(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void TracePanel::dropEvent(QDropEvent* event) {
    const QString path = droppedFile(event->mimeData());
    if (path.isEmpty())
        return;
    file_->setText(QDir::toNativeSeparators(path));
    event->acceptProposedAction();
}

void TracePanel::reload() {
    const int generation = ++generation_;
    const QString chosen = chosenVideoId();
    video_->clear();
    video_->setEditText(chosen);
    videosLoaded_ = false;
    videosLoading_ = true;
    videoInfo_->setText(tr("Loading the video list ..."));
    loadVideos(generation);
}

void TracePanel::loadVideos(int generation) {
    api_.get(QString("/api/admin/videos?limit=%1").arg(kMaxVideos), [this, generation](
                                                                        const ApiResult& result) {
        if (generation != generation_)
            return;
        videosLoading_ = false;
        if (!result.ok()) {
            videoInfo_->setText(
                tr("Could not load the video list (%1). You can still type a video's id.")
                    .arg(result.errorMessage));
            return;
        }
        addVideos(result.body.value("videos").toArray());
        videosLoaded_ = true;
        const int count = video_->count();
        if (count == 0)
            videoInfo_->setText(tr("No video has a package on this server yet."));
        else if (count >= kMaxVideos)
            videoInfo_->setText(
                tr("The newest %1 videos are listed; type an older one's id.").arg(count));
        else
            videoInfo_->setText(
                tr("%1 video(s): every creator's, unlisted and unpublished too.").arg(count));
    });
}

void TracePanel::addVideos(const QJsonArray& videos) {
    // Arriving items must not change what the admin picked or typed (nor pick for them: an
    // empty combo takes its first item as current).
    const QString chosen = chosenVideoId();
    for (const auto& value : videos) {
        const QJsonObject v = value.toObject();
        const QString id = v.value("id").toString();
        if (id.isEmpty() || video_->findData(id, kIdRole) >= 0)
            continue;
        video_->addItem(tr("%1 - by %2 (%3)")
                            .arg(v.value("title").toString(), v.value("creator").toString(), id));
        video_->setItemData(video_->count() - 1, id, kIdRole);
    }
    const int match = chosen.isEmpty() ? -1 : video_->findData(chosen, kIdRole);
    video_->setCurrentIndex(match);
    if (match < 0)
        video_->setEditText(chosen);
    updateButtons();
}

void TracePanel::startTrace() {
    if (job_ && !job_->finished())
        return;
    const QString path = QDir::fromNativeSeparators(file_->text().trimmed());
    const QString videoId = chosenVideoId();
    result_->hide();
    result_->clear();
    status_->setStyleSheet({});
    if (path.isEmpty() || !QFileInfo(path).isFile()) {
        status_->setText(path.isEmpty() ? tr("Choose the suspect file first.")
                                        : tr("There is no file at %1.").arg(file_->text()));
        return;
    }
    if (videoId.isEmpty()) {
        status_->setText(tr("Pick the video this file is a copy of."));
        return;
    }
    // Checked here so a large file is not sent for a request the server must refuse.
    static const QRegularExpression kVideoId("^[A-Za-z0-9_-]{8,32}$");
    if (!kVideoId.match(videoId).hasMatch()) {
        status_->setText(tr("\"%1\" is not a video id; pick the video from the list, or type "
                            "the id from its page address (/v/ID).")
                             .arg(videoId));
        return;
    }
    if (job_)
        job_->deleteLater();
    job_ = new TraceJob(api_, path, videoId, this);
    connect(job_, &TraceJob::stateChanged, this, &TracePanel::showJobState);
    connect(job_, &TraceJob::progress, this, &TracePanel::showProgress);
    progress_->setRange(0, 1000);
    progress_->setValue(0);
    job_->start();
    updateButtons();
}

void TracePanel::showProgress(qint64 sent, qint64 total) {
    if (!job_ || job_->state() != TraceJob::State::Uploading || total <= 0)
        return;
    progress_->setValue(static_cast<int>(sent * 1000 / total));
    const QLocale locale;
    status_->setText(tr("Sending the file: %1 of %2")
                         .arg(locale.formattedDataSize(sent), locale.formattedDataSize(total)));
}

void TracePanel::showJobState(TraceJob::State state, const QString& message) {
    status_->setStyleSheet(state == TraceJob::State::Failed ? "color: #b00020;" : QString());
    switch (state) {
    case TraceJob::State::Uploading:
        status_->setText(message);
        break;
    case TraceJob::State::Waiting:
        progress_->setRange(0, 0); // busy: the server gives no percentage
        status_->setText(message);
        break;
    case TraceJob::State::Done:
        progress_->setRange(0, 1000);
        progress_->setValue(1000);
        status_->setText(tr("Trace finished in %1 s.").arg(job_->elapsedMs() / 1000));
        result_->setText(traceReport::describe(job_->result()));
        result_->show();
        break;
    case TraceJob::State::Failed: {
        progress_->setRange(0, 1000);
        progress_->setValue(0);
        status_->setText(tr("The trace failed: %1").arg(message));
        break;
    }
    case TraceJob::State::Cancelled:
        progress_->setRange(0, 1000);
        progress_->setValue(0);
        status_->setText(message);
        break;
    case TraceJob::State::Invalid:
        break;
    }
    updateButtons();
}

void TracePanel::clear() {
    ++generation_;
    videosLoaded_ = false;
    videosLoading_ = false;
    if (job_) {
        job_->disconnect(this);
        job_->cancel();
        job_->deleteLater();
        job_ = nullptr;
    }
    video_->clear();
    video_->clearEditText();
    file_->clear();
    videoInfo_->clear();
    status_->clear();
    status_->setStyleSheet({});
    result_->clear();
    result_->hide();
    progress_->setRange(0, 1000);
    progress_->setValue(0);
    updateButtons();
}
