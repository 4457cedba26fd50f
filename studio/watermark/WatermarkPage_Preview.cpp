// WatermarkPage: the preview side (video choice, playback clock, still grabs).

#include "library/MediaInspector.h"
#include "watermark/WatermarkPage.h"
#include "watermark/WatermarkPreview.h"

#include <QComboBox>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QMediaFormat>
#include <QMediaPlayer>
#include <QPushButton>
#include <QSlider>
#include <QTimer>
#include <QVBoxLayout>
#include <QVideoFrame>
#include <QVideoSink>
#include <QtConcurrent>

namespace {
constexpr int kStillEveryMs = 1000; // new still while "playing" without player frames
const QSize kStillSize(1280, 720);

// Whether Qt Multimedia can decode anything here. Without its decoders (a GStreamer without
// the base plugins, say) Qt 6.4 may even crash creating a QMediaPlayer, so ask first; the
// preview then runs the playback clock over still grabs instead.
bool playbackAvailable() {
    static const bool available =
        qEnvironmentVariableIsEmpty("REELGATE_STUDIO_NO_PLAYER") &&
        !QMediaFormat().supportedFileFormats(QMediaFormat::Decode).isEmpty();
    return available;
}
} // namespace

QWidget* WatermarkPage::buildPreview() {
    auto* panel = new QWidget(this);
    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    preview_->setObjectName("watermarkPreview");
    layout->addWidget(preview_, 1);
    auto* controls = new QHBoxLayout;
    play_->setEnabled(false);
    position_->setEnabled(false);
    timeLabel_->setMinimumWidth(90);
    controls->addWidget(play_);
    controls->addWidget(position_, 1);
    controls->addWidget(timeLabel_);
    layout->addLayout(controls);
    auto* note = new QLabel(tr("The mark moves exactly as it will in the buyer's player: same "
                               "places, same moments."),
                            panel);
    note->setStyleSheet("color: palette(mid);");
    note->setWordWrap(true);
    layout->addWidget(note);
    connect(play_, &QPushButton::clicked, this, [this] { setPlaying(!playing_); });
    connect(position_, &QSlider::valueChanged, this, &WatermarkPage::onSliderMoved);
    showTime(0);
    return panel;
}

void WatermarkPage::refreshVideos() {
    const qint64 current = itemId_;
    video_->blockSignals(true);
    video_->clear();
    int index = -1;
    for (const LibraryItem& item : library_.items()) {
        if (item.id == current)
            index = video_->count();
        video_->addItem(item.title, item.id);
    }
    if (video_->count() == 0)
        video_->addItem(tr("(no videos in the library yet)"), 0);
    video_->setCurrentIndex(index >= 0 ? index : 0);
    video_->blockSignals(false);
    if (video_->currentData().toLongLong() != current)
        onVideoChosen();
}

bool WatermarkPage::selectItem(qint64 libraryItemId) {
    const int index = video_->findData(libraryItemId);
    if (index < 0)
        return false;
    video_->setCurrentIndex(index);
    if (itemId_ != libraryItemId)
        onVideoChosen();
    return true;
}

qint64 WatermarkPage::selectedItemId() const {
    return itemId_;
}

void WatermarkPage::onVideoChosen() {
    setPlaying(false);
    const auto item = library_.item(video_->currentData().toLongLong());
    itemId_ = item ? item->id : 0;
    itemPath_ = item ? item->path : QString();
    durationMs_ = item ? item->durationMs : 0;
    seed_ = item ? item->watermarkSeed : 0;
    playerFrames_ = false;
    pendingStillMs_ = -1;
    lastGrabMs_ = -1;
    if (player_)
        player_->setSource(QUrl());
    preview_->setFrameSize(item ? QSize(item->widthPx, item->heightPx) : QSize(1280, 720));
    preview_->setFrame(item ? item->thumbnail : QImage());
    position_->blockSignals(true);
    position_->setRange(0, static_cast<int>(durationMs_));
    position_->setValue(0);
    position_->blockSignals(false);
    position_->setEnabled(item.has_value());
    play_->setEnabled(item.has_value());
    preview_->setTimeMs(0);
    showTime(0);
    showSpec(item ? WatermarkSpec::forItem(*item) : WatermarkSpec::studioDefault());
    if (item)
        seekStill(durationMs_ / 10);
}

void WatermarkPage::setPlaying(bool playing) {
    if (playing && itemPath_.isEmpty())
        return;
    playing_ = playing;
    play_->setText(playing ? tr("Pause") : tr("Play"));
    if (!playing) {
        tick_->stop();
        if (player_)
            player_->pause();
        return;
    }
    if (!player_ && playbackAvailable()) {
        player_ = new QMediaPlayer(this);
        sink_ = new QVideoSink(this);
        player_->setVideoSink(sink_);
        connect(sink_, &QVideoSink::videoFrameChanged, this, &WatermarkPage::onVideoFrame);
        connect(player_, &QMediaPlayer::mediaStatusChanged, this,
                [this](QMediaPlayer::MediaStatus status) {
                    if (status == QMediaPlayer::EndOfMedia && playing_) {
                        player_->setPosition(0);
                        player_->play();
                    }
                });
    }
    clockStartMs_ = preview_->timeMs();
    clock_.restart();
    if (player_) {
        const QUrl source = QUrl::fromLocalFile(itemPath_);
        if (player_->source() != source)
            player_->setSource(source);
        player_->setPosition(clockStartMs_);
        player_->play();
    }
    tick_->start();
}

void WatermarkPage::tick() {
    if (!playing_)
        return;
    qint64 t = 0;
    if (playerFrames_ && player_ && player_->playbackState() == QMediaPlayer::PlayingState) {
        t = player_->position();
    } else {
        // No frames from the player (no backend, offscreen): keep the playback clock running
        // over still grabs, looping at the end like the player does.
        t = clockStartMs_ + clock_.elapsed();
        if (durationMs_ > 0 && t >= durationMs_) {
            clockStartMs_ = 0;
            clock_.restart();
            t = 0;
        }
        if (!playerFrames_ && grabsPending_ == 0 &&
            (lastGrabMs_ < 0 || std::abs(t - lastGrabMs_) >= kStillEveryMs))
            seekStill(t);
    }
    preview_->setTimeMs(t);
    position_->blockSignals(true);
    position_->setValue(static_cast<int>(t));
    position_->blockSignals(false);
    showTime(t);
}

void WatermarkPage::onSliderMoved(int valueMs) {
    preview_->setTimeMs(valueMs);
    showTime(valueMs);
    if (playing_) {
        clockStartMs_ = valueMs;
        clock_.restart();
        if (player_)
            player_->setPosition(valueMs);
    } else {
        seekStill(valueMs);
    }
}

void WatermarkPage::seekStill(qint64 tMs) {
    if (itemPath_.isEmpty())
        return;
    if (grabsPending_ > 0) {
        pendingStillMs_ = tMs; // the latest wish wins; grabbed when the running one is done
        return;
    }
    ++grabsPending_;
    lastGrabMs_ = tMs;
    const QString path = itemPath_;
    auto* watcher = new QFutureWatcher<QImage>(this);
    connect(watcher, &QFutureWatcher<QImage>::finished, this, [this, watcher, path] {
        const QImage still = watcher->result();
        watcher->deleteLater();
        --grabsPending_;
        if (path == itemPath_ && !playerFrames_ && !still.isNull())
            preview_->setFrame(still);
        if (pendingStillMs_ >= 0 && path == itemPath_) {
            const qint64 next = pendingStillMs_;
            pendingStillMs_ = -1;
            seekStill(next);
        }
    });
    watcher->setFuture(QtConcurrent::run(
        [path, tMs] { return MediaInspector::grabFrame(path, tMs, kStillSize); }));
}

void WatermarkPage::onVideoFrame(const QVideoFrame& frame) {
    if (!playing_)
        return;
    const QImage image = frame.toImage();
    if (image.isNull())
        return;
    playerFrames_ = true;
    preview_->setFrame(image);
}

void WatermarkPage::showTime(qint64 tMs) {
    timeLabel_->setText(
        QString("%1 / %2").arg(formatDurationMs(tMs), formatDurationMs(durationMs_)));
}
