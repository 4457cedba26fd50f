#include "publish/VideoMediaPanel.h"

#include "library/MediaInspector.h"
#include "reelgate/core/TraceLength.h"

#include <QBuffer>
#include <QFileDialog>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QImageReader>
#include <QInputDialog>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPixmap>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QtConcurrent>

VideoMediaPanel::VideoMediaPanel(ApiClient& api, const QString& videoId, QWidget* parent)
    : QWidget(parent)
    , api_(api)
    , videoId_(videoId) {
    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    auto* posterRow = new QHBoxLayout;
    poster_ = new QLabel(tr("No poster"), this);
    poster_->setObjectName("posterView");
    poster_->setFixedSize(160, 90);
    poster_->setAlignment(Qt::AlignCenter);
    poster_->setStyleSheet("background: #222; color: #bbb;");
    posterRow->addWidget(poster_);
    replace_ = new QPushButton(tr("Replace poster..."), this);
    frame_ = new QPushButton(tr("Use a frame..."), this);
    frame_->setToolTip(tr("Take the poster from a frame of the video on this computer."));
    auto* posterButtons = new QVBoxLayout;
    posterButtons->addWidget(replace_);
    posterButtons->addWidget(frame_);
    posterButtons->addStretch(1);
    posterRow->addLayout(posterButtons);
    posterRow->addStretch(1);
    form->addRow(tr("Poster"), posterRow);
    preview_ = new QSpinBox(this);
    preview_->setRange(0, kMaxPreviewSeconds);
    preview_->setSuffix(tr(" s"));
    preview_->setSpecialValueText(tr("Off"));
    preview_->setToolTip(tr("The first seconds anyone may watch on the video page, without "
                            "buying and without a personal mark. Whole segments only."));
    preview_->setEnabled(false);
    form->addRow(tr("Free preview"), preview_);
    trace_ = new QLabel(this);
    trace_->setObjectName("traceLength");
    trace_->setWordWrap(true);
    form->addRow(tr("Leak trace"), trace_);
    error_ = new QLabel(this);
    error_->setObjectName("mediaError");
    error_->setWordWrap(true);
    error_->setStyleSheet("color: #d9534f;");
    error_->hide();
    form->addRow(error_);
    connect(replace_, &QPushButton::clicked, this, &VideoMediaPanel::choosePosterFile);
    connect(frame_, &QPushButton::clicked, this, &VideoMediaPanel::chooseFrame);
    connect(preview_, &QSpinBox::valueChanged, error_, &QLabel::hide);

    api_.get("/api/videos/" + videoId_ + "/preview", [this](const ApiResult& result) {
        if (!result.ok()) {
            showError(result.errorMessage);
            return;
        }
        savedPreview_ = result.body.value("seconds").toInt();
        preview_->setValue(savedPreview_);
        preview_->setEnabled(true);
        trace_->setText(traceText(result.body.value("segment_ms").toInteger(),
                                  result.body.value("forensic_ab").toBool()));
        loaded_ = true;
    });
    loadPoster();
}

QString VideoMediaPanel::traceText(qint64 segmentMs, bool forensicAb) {
    if (!forensicAb)
        return tr("Not traceable: this package has no forensic A/B variants.");
    const double minutes = reelgate::core::minutesOfRecordingNeeded(segmentMs);
    if (minutes <= 0)
        return tr("Unknown (the package does not say its segment length).");
    return tr("A leaked recording of about %1 minutes names the viewer who made it.")
        .arg(QString::number(minutes, 'f', minutes < 10 ? 1 : 0));
}

void VideoMediaPanel::loadPoster() {
    api_.sendRaw(
        "GET", "/api/videos/" + videoId_ + "/poster", {}, {}, [this](const RawReply& reply) {
            QImage image;
            if (reply.status == 200 && image.loadFromData(reply.body))
                poster_->setPixmap(QPixmap::fromImage(
                    image.scaled(poster_->size(), Qt::KeepAspectRatio, Qt::SmoothTransformation)));
            else
                poster_->setText(tr("No poster"));
        });
}

void VideoMediaPanel::choosePosterFile() {
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Poster image"), {}, tr("Images (*.jpg *.jpeg *.png *.webp *.bmp)"));
    if (file.isEmpty())
        return;
    QImageReader reader(file);
    reader.setAutoTransform(true);
    const QImage image = reader.read();
    if (image.isNull()) {
        showError(tr("%1 is not an image this studio can read.").arg(file));
        return;
    }
    sendPoster(image);
}

void VideoMediaPanel::chooseFrame() {
    const QString file = QFileDialog::getOpenFileName(
        this, tr("The video to take the poster from"), {},
        tr("Videos (*.mp4 *.mov *.mkv *.webm *.avi *.m4v);;All files (*)"));
    if (file.isEmpty())
        return;
    bool ok = false;
    const double seconds = QInputDialog::getDouble(
        this, tr("Poster frame"), tr("Seconds into the video:"), 5, 0, 86400, 1, &ok);
    if (ok)
        usePosterFrame(file, static_cast<qint64>(seconds * 1000));
}

void VideoMediaPanel::usePosterFrame(const QString& videoPath, qint64 atMs) {
    setBusy(true);
    error_->hide();
    auto* watcher = new QFutureWatcher<std::pair<QImage, QString>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        const auto [image, error] = watcher->result();
        setBusy(false);
        if (image.isNull()) {
            showError(error);
            return;
        }
        sendPoster(image);
    });
    watcher->setFuture(QtConcurrent::run([videoPath, atMs] {
        QString error;
        const QImage image = MediaInspector::grabFrame(
            videoPath, atMs, QSize(kPosterMaxWidthPx, kPosterMaxHeightPx), &error);
        return std::make_pair(image, error);
    }));
}

void VideoMediaPanel::setBusy(bool busy) {
    replace_->setEnabled(!busy);
    frame_->setEnabled(!busy);
}

void VideoMediaPanel::sendPoster(const QImage& image) {
    QImage scaled = image;
    if (image.width() > kPosterMaxWidthPx || image.height() > kPosterMaxHeightPx)
        scaled = image.scaled(kPosterMaxWidthPx, kPosterMaxHeightPx, Qt::KeepAspectRatio,
                              Qt::SmoothTransformation);
    QByteArray jpeg;
    QBuffer buffer(&jpeg);
    buffer.open(QIODevice::WriteOnly);
    if (!scaled.convertToFormat(QImage::Format_RGB888).save(&buffer, "JPG", 88)) {
        showError(tr("The image could not be turned into a JPEG."));
        return;
    }
    error_->hide();
    setBusy(true);
    api_.sendRaw("PUT", "/api/videos/" + videoId_ + "/poster", jpeg,
                 {{"Content-Type", "image/jpeg"}}, [this](const RawReply& reply) {
                     setBusy(false);
                     if (reply.status != 200) {
                         const QString message = QJsonDocument::fromJson(reply.body)
                                                     .object()
                                                     .value("error")
                                                     .toObject()
                                                     .value("message")
                                                     .toString();
                         showError(
                             reply.status == 0 ? reply.errorMessage
                             : !message.isEmpty()
                                 ? message
                                 : tr("The server refused the poster (%1).").arg(reply.status));
                         return;
                     }
                     loadPoster();
                     emit posterSent();
                 });
}

void VideoMediaPanel::save(std::function<void(bool ok)> done) {
    if (!loaded_ || preview_->value() == savedPreview_) {
        done(true);
        return;
    }
    const int seconds = preview_->value();
    api_.call("PUT", "/api/videos/" + videoId_ + "/preview", QJsonObject{{"seconds", seconds}},
              [this, seconds, done](const ApiResult& result) {
                  if (!result.ok()) {
                      showError(result.errorMessage);
                      done(false);
                      return;
                  }
                  savedPreview_ = seconds;
                  done(true);
              });
}

void VideoMediaPanel::showError(const QString& message) {
    error_->setText(message);
    error_->show();
}
