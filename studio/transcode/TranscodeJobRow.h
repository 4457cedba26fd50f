#pragma once
// TranscodeJobRow: one job in the queue list: title, preset and options, a progress bar with
// the ETA, the state (or the error, or the finished package folder) and its buttons (pause,
// cancel, retry, remove, show package, publish). Shows a QueueEntry; the page wires the buttons to
// TranscodeQueue. GUI thread.

#include "transcode/QueueEntry.h"

#include <QFrame>

class QLabel;
class QProgressBar;
class QPushButton;

class TranscodeJobRow : public QFrame {
    Q_OBJECT
public:
    explicit TranscodeJobRow(QWidget* parent);

    void display(const QueueEntry& entry);
    qint64 entryId() const { return id_; }

    QLabel* titleLabel() const { return title_; }
    QLabel* stateLabel() const { return state_; }
    QProgressBar* progressBar() const { return progress_; }
    QPushButton* pauseButton() const { return pause_; }
    QPushButton* cancelButton() const { return cancel_; }
    QPushButton* retryButton() const { return retry_; }
    QPushButton* removeButton() const { return remove_; }
    QPushButton* openButton() const { return open_; }
    QPushButton* publishButton() const { return publish_; }

signals:
    void pauseClicked(qint64 id);
    void cancelClicked(qint64 id);
    void retryClicked(qint64 id);
    void removeClicked(qint64 id);
    void publishClicked(qint64 id);

private:
    qint64 id_ = 0;
    QString packagePath_;
    QLabel* title_;
    QLabel* details_;
    QLabel* state_;
    QProgressBar* progress_;
    QPushButton* pause_;
    QPushButton* cancel_;
    QPushButton* retry_;
    QPushButton* remove_;
    QPushButton* open_;
    QPushButton* publish_;
};
