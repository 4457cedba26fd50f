#pragma once
// Watermark: design the mark every viewer sees over the video (template with {username},
// {time}, {date}; size, opacity, colours, background box, move interval, margin) and preview it
// on the creator's own video: it plays (QMediaPlayer into a QVideoSink) or, where playback
// gives no frames, shows still grabs with the playback clock running, the mark moving at the
// shared motion function's positions. Saved per video (LibraryStore) or as the default for new
// videos (WatermarkSpec::setStudioDefault); transcodes carry it into manifest.json. For a video
// already published, the design is kept on the server (WatermarkPage_Server.cpp): "Load" puts a
// published video's design in the form, "Save to published video" sends it (keeping that
// video's seed), and the player draws it from the next playback session on.
// Media work runs off the UI thread (still grabs via QtConcurrent). GUI thread.

#include "library/LibraryStore.h"
#include "net/ApiClient.h"
#include "watermark/WatermarkSpec.h"

#include <QElapsedTimer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QMediaPlayer;
class QPushButton;
class QSlider;
class QSpinBox;
class QTimer;
class QVideoFrame;
class QVideoSink;
class WatermarkPreview;

class WatermarkPage : public QWidget {
    Q_OBJECT
public:
    WatermarkPage(LibraryStore& library, QWidget* parent);
    // The server for published videos' designs; nullptr = none (the row stays disabled).
    void setApi(ApiClient* api);
    // Lists the signed-in creator's published and unpublished videos (empty when signed out).
    void refreshPublished();
    void loadFromPublished();
    void saveToPublished();

    // The design as the form shows it (with the selected video's seed).
    WatermarkSpec currentSpec() const;
    void showSpec(const WatermarkSpec& spec);
    bool selectItem(qint64 libraryItemId);
    qint64 selectedItemId() const;
    void setPlaying(bool playing);
    bool isPlaying() const { return playing_; }
    bool hasStillGrabPending() const { return grabsPending_ > 0; }

    // For tests and automation.
    WatermarkPreview* preview() const { return preview_; }
    QComboBox* videoBox() const { return video_; }
    QLineEdit* templateField() const { return template_; }
    QLineEdit* usernameField() const { return username_; }
    QDoubleSpinBox* fontSizeBox() const { return fontSize_; }
    QSpinBox* opacityBox() const { return opacity_; }
    QCheckBox* boxCheck() const { return box_; }
    QSpinBox* boxOpacityBox() const { return boxOpacity_; }
    QDoubleSpinBox* intervalBox() const { return interval_; }
    QDoubleSpinBox* marginBox() const { return margin_; }
    QPushButton* saveForVideoButton() const { return saveVideo_; }
    QPushButton* saveDefaultButton() const { return saveDefault_; }
    QPushButton* playButton() const { return play_; }
    QSlider* positionSlider() const { return position_; }
    QLabel* statusLabel() const { return status_; }
    QComboBox* publishedBox() const { return published_; }
    QPushButton* loadPublishedButton() const { return loadPublished_; }
    QPushButton* savePublishedButton() const { return savePublished_; }
    void setColor(const QColor& color);
    void setBoxColor(const QColor& color);

private:
    QWidget* buildForm();
    QWidget* buildPreview();
    void refreshVideos();
    void onVideoChosen();
    void onFormEdited();
    void tick();
    void seekStill(qint64 tMs);
    void onVideoFrame(const QVideoFrame& frame);
    void onSliderMoved(int valueMs);
    void showTime(qint64 tMs);
    void saveForVideo();
    void saveAsDefault();
    static void paintSwatch(QPushButton* button, const QColor& color);
    QLayout* buildPublishedRow();
    void enablePublishedRow();
    // Errors in red, everything else in the page's colour.
    void setStatus(const QString& text, bool error = false);
    void showEvent(QShowEvent* event) override;

    LibraryStore& library_;
    qint64 itemId_ = 0;
    qint64 durationMs_ = 0;
    QString itemPath_;
    quint32 seed_ = 0;
    QColor color_;
    QColor boxColor_;
    bool loadingForm_ = false;
    bool playing_ = false;
    bool playerFrames_ = false; // the player delivers frames, so its clock leads
    int grabsPending_ = 0;
    qint64 lastGrabMs_ = -1;
    qint64 pendingStillMs_ = -1;
    qint64 clockStartMs_ = 0;
    QElapsedTimer clock_;
    QTimer* tick_;
    QMediaPlayer* player_ = nullptr;
    QVideoSink* sink_ = nullptr;

    WatermarkPreview* preview_;
    QComboBox* video_;
    QLineEdit* template_;
    QLineEdit* username_;
    QDoubleSpinBox* fontSize_;
    QSpinBox* opacity_;
    QPushButton* colorButton_;
    QCheckBox* box_;
    QPushButton* boxColorButton_;
    QSpinBox* boxOpacity_;
    QDoubleSpinBox* interval_;
    QDoubleSpinBox* margin_;
    QLabel* seedLabel_;
    QPushButton* saveVideo_;
    QPushButton* saveDefault_;
    QPushButton* reset_;
    QPushButton* play_;
    QSlider* position_;
    QLabel* timeLabel_;
    QLabel* status_;
    ApiClient* api_ = nullptr;
    bool formValid_ = true;
    QComboBox* published_;
    QPushButton* loadPublished_;
    QPushButton* savePublished_;
};
