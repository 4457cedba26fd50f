#pragma once
// The media of one published video, inside its edit dialog: the poster viewers see (shown;
// "Replace poster..." sends an image file, "Use frame" a frame of the video's source, both as a
// JPEG of at most 1920x1080; the server checks it), the free preview (the first 0..120 seconds
// for anyone, 0 = none; sent by save()), and how long a recording a leak trace needs to name a
// viewer (core/TraceLength.h, from the package's segment length; none without forensic A/B).
// Errors show in red here and clear on the next change. GUI thread only.

#include "net/ApiClient.h"

#include <QImage>
#include <QWidget>

#include <functional>

class QLabel;
class QPushButton;
class QSpinBox;

class VideoMediaPanel : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxPreviewSeconds = 120;
    static constexpr int kPosterMaxWidthPx = 1920;
    static constexpr int kPosterMaxHeightPx = 1080;

    VideoMediaPanel(ApiClient& api, const QString& videoId, QWidget* parent);

    QLabel* posterView() const { return poster_; }
    QPushButton* replacePosterButton() const { return replace_; }
    QPushButton* useFrameButton() const { return frame_; }
    QSpinBox* previewBox() const { return preview_; }
    QLabel* traceLabel() const { return trace_; }
    QLabel* errorLabel() const { return error_; }
    bool loaded() const { return loaded_; }

    // Scales `image` down to fit the poster limits and sends it as a JPEG.
    void sendPoster(const QImage& image);
    // Grabs the frame at atMs of a local video (off the UI thread) and sends it as the poster.
    void usePosterFrame(const QString& videoPath, qint64 atMs);
    // Sends the preview length when it changed; done(ok) after the server answered.
    void save(std::function<void(bool ok)> done);
    // "A leak trace needs about 8 minutes of recording." for a package's facts.
    static QString traceText(qint64 segmentMs, bool forensicAb);

signals:
    void posterSent();

private:
    void loadPoster();
    void choosePosterFile();
    void chooseFrame();
    void setBusy(bool busy);
    void showError(const QString& message);

    ApiClient& api_;
    QString videoId_;
    int savedPreview_ = 0;
    bool loaded_ = false;
    QLabel* poster_;
    QPushButton* replace_;
    QPushButton* frame_;
    QSpinBox* preview_;
    QLabel* trace_;
    QLabel* error_;
};
