#pragma once
// Transcode: pick library videos, a preset (built-in or imported JSON), options (A/B forensic
// variants, AES-128) and an output folder, and queue them; below, the queue with a row per job
// (progress, ETA, pause, cancel, the finished package). The work happens in TranscodeQueue's
// jobs, off the UI thread; this page only observes. GUI thread.

#include "library/LibraryStore.h"
#include "transcode/PresetCatalog.h"
#include "transcode/TranscodeQueue.h"

#include <QHash>
#include <QMessageBox>
#include <QPointer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;

class QPushButton;
class TranscodeJobRow;

class TranscodePage : public QWidget {
    Q_OBJECT
public:
    TranscodePage(LibraryStore& library, TranscodeQueue& queue, QWidget* parent);

    // Validates and imports a preset file (what "Import preset..." does after its dialog).
    // On failure shows the reason in a message and returns false.
    bool importPreset(const QString& path);
    // Queues every ticked video with the chosen preset and options; returns the new job ids.
    QList<qint64> addToQueue();
    void setVideoChecked(qint64 libraryItemId, bool checked);

    // For tests and automation.
    QListWidget* videoList() const { return videos_; }
    QComboBox* presetBox() const { return preset_; }
    QLabel* presetSummary() const { return presetSummary_; }
    QCheckBox* abBox() const { return ab_; }
    QCheckBox* encryptBox() const { return encrypt_; }
    QLineEdit* outputField() const { return output_; }
    QPushButton* addButton() const { return add_; }
    QPushButton* queuePauseButton() const { return queuePause_; }
    QListWidget* queueList() const { return queueList_; }
    TranscodeJobRow* rowFor(qint64 id) const { return rows_.value(id); }
    QMessageBox* lastMessage() const { return lastMessage_; }

signals:
    // A finished job's Publish button: the package folder and the job's title.
    void publishRequested(const QString& packagePath, const QString& title);

private:
    void refreshVideos();
    void refreshPresets(const QString& select = {});
    void applyPreset(const QString& name);
    void updateAddButton(); // enabled once a video is ticked
    void rebuildQueue();
    void updateRow(qint64 id);
    void fitRow(TranscodeJobRow* row);
    void resizeEvent(QResizeEvent* event) override;
    void updatePauseButton();
    void chooseOutput();
    void choosePresetFile();
    void message(const QString& title, const QString& text);

    LibraryStore& library_;
    TranscodeQueue& queue_;
    PresetCatalog presets_;
    QHash<qint64, TranscodeJobRow*> rows_;
    QListWidget* videos_;
    QComboBox* preset_;
    QLabel* presetSummary_;
    QCheckBox* ab_;
    QCheckBox* encrypt_;
    QLineEdit* output_;
    QPushButton* add_;
    QPushButton* queuePause_;
    QLabel* queueState_;
    QListWidget* queueList_;
    QPointer<QMessageBox> lastMessage_;
};
