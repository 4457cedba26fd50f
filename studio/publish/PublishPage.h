#pragma once
// Publish: pick a transcoded package folder (or one of the finished transcodes), set title,
// description, price (in the creator's currency) and affiliate rate with a live "you receive per
// sale" split (platform fee from the server), then upload it with progress, speed, ETA, pause and
// resume. Uploads left unfinished (app closed, network lost) resume when the creator is signed in
// again. The manifest's SHA-256 travels with the new video, so the server refuses a package the
// creator already published (the refusal names that video). Below: My videos (MyVideosList).
// Errors show in red. Signing out empties the form. Observes TusUploader jobs; no I/O itself.

#include "net/ApiClient.h"
#include "net/AuthSession.h"
#include "publish/MyVideosList.h"
#include "publish/TusUploader.h"
#include "publish/UploadJournal.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;
class TranscodeQueue;
class VideoEditDialog;

// The currencies a creator can price in, most common first.
const QStringList& creatorCurrencies();

class PublishPage : public QWidget {
    Q_OBJECT
public:
    PublishPage(ApiClient& api, AuthSession& session, QWidget* parent);

    // For tests and automation.
    QLineEdit* packageField() const { return package_; }
    QLineEdit* titleField() const { return title_; }
    QLineEdit* priceField() const { return price_; }
    QComboBox* currencyBox() const { return currency_; }
    QDoubleSpinBox* affiliateBox() const { return affiliate_; }
    QLabel* splitLabel() const { return split_; }
    QPushButton* publishButton() const { return publish_; }
    QPushButton* pauseButton() const { return pause_; }
    QLabel* statusLabel() const { return status_; }
    QProgressBar* progressBar() const { return progress_; }
    QTableWidget* videoTable() const { return videos_->table(); }
    MyVideosList* myVideos() const { return videos_; }
    TusUploader* uploader() const { return uploader_; }
    void setChunkBytes(qint64 bytes) { chunkBytes_ = bytes; }

    // Offers the queue's finished packages (still on disk) as sources, newest first.
    void setTranscodeQueue(TranscodeQueue* queue);
    QComboBox* finishedBox() const { return finished_; }
    // Fills in a package to publish (and its title when none is typed yet).
    void usePackage(const QString& packagePath, const QString& title);

    void refreshVideos();
    // Opens the editor for the video in `row` (also on double-click).
    VideoEditDialog* editVideo(int row);

private:
    void onSignedIn();
    void updateSplit();
    void choosePackage();
    void listFinishedTranscodes();
    void startPublish();
    void runUpload(const PendingUpload& upload);
    void showUploadState(TusUploader::State state, const QString& message);
    void setStatus(const QString& text, bool error = false);
    void clearForm();

    ApiClient& api_;
    AuthSession& session_;
    UploadJournal journal_;
    int feeBps_ = -1;
    int maxAffiliateBps_ = 9000;
    qint64 chunkBytes_ = 4 << 20;
    TusUploader* uploader_ = nullptr;

    TranscodeQueue* queue_ = nullptr;
    QComboBox* finished_;
    QLineEdit* package_;
    QLabel* packageInfo_;
    QLineEdit* title_;
    QPlainTextEdit* description_;
    QLineEdit* price_;
    QComboBox* currency_;
    QDoubleSpinBox* affiliate_;
    QLabel* split_;
    QPushButton* publish_;
    QPushButton* becomeCreator_;
    QProgressBar* progress_;
    QLabel* status_;
    QPushButton* pause_;
    MyVideosList* videos_;
};
