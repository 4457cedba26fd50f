#pragma once
// Leak trace: the admin picks a suspect recording (Choose... or drop it on the panel) and the
// video it is a copy of, then follows a TraceJob (upload with progress and Cancel, then the
// server's analysis) and reads the answer in plain words (TraceReport). The video list comes
// from the public catalog plus the admin's own videos; an unlisted video's id can be typed.
// GUI thread; observes TraceJob, does no I/O itself.

#include "admin/TraceJob.h"
#include "net/ApiClient.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

class TracePanel : public QWidget {
    Q_OBJECT
public:
    TracePanel(ApiClient& api, QWidget* parent);

    // Fills the video list (catalog pages, then the admin's own videos).
    void reload();
    // Forgets everything shown (sign-out); a running trace is cancelled.
    void clear();
    void startTrace();
    bool videosLoaded() const { return videosLoaded_; }
    bool needsLoad() const { return !videosLoaded_ && !videosLoading_; }

    // For tests and automation.
    QLineEdit* fileField() const { return file_; }
    QComboBox* videoBox() const { return video_; }
    QPushButton* startButton() const { return start_; }
    QPushButton* cancelButton() const { return cancel_; }
    QProgressBar* progressBar() const { return progress_; }
    QLabel* statusLabel() const { return status_; }
    QLabel* resultLabel() const { return result_; }
    TraceJob* job() const { return job_; }
    // The id of the chosen video: the item's, or the typed text when it names no item.
    QString chosenVideoId() const;

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void chooseFile();
    void loadVideos(int generation); // every video with a package (admin list)
    void addVideos(const QJsonArray& videos);
    void showJobState(TraceJob::State state, const QString& message);
    void showProgress(qint64 sent, qint64 total);
    void updateButtons();

    ApiClient& api_;
    TraceJob* job_ = nullptr;
    int generation_ = 0; // a reload or sign-out makes answers to older requests stale
    bool videosLoaded_ = false;
    bool videosLoading_ = false;

    QLineEdit* file_;
    QComboBox* video_;
    QLabel* videoInfo_;
    QPushButton* start_;
    QPushButton* cancel_;
    QProgressBar* progress_;
    QLabel* status_;
    QLabel* result_;
};
