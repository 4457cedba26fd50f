#pragma once
// Uploads one packed package with tus 1.0 and follows it until the server has published (or
// refused) the video. Chunks carry a SHA-256 Upload-Checksum; after a network error it waits
// (1, 2, 4 ... 30 s), asks the server for the offset (HEAD) and continues from there, so a lost
// connection, a paused upload or an app restart never sends a byte twice. The upload address
// is journaled (UploadJournal) as soon as the server gives it. Runs on the GUI thread (all I/O
// is asynchronous); widgets only observe its signals.

#include "net/ApiClient.h"
#include "publish/UploadJournal.h"

#include <QElapsedTimer>
#include <QFile>
#include <QObject>
#include <QPointer>

class QNetworkReply;
class QTimer;

class TusUploader : public QObject {
    Q_OBJECT
public:
    enum class State {
        Invalid = 0,
        Uploading,
        Paused,
        Retrying,   // waiting after a network error
        Processing, // all bytes sent; the server checks the package
        Published,
        Failed, // the server refused it (message says why) or the upload is unusable
    };

    TusUploader(ApiClient& api, UploadJournal& journal, PendingUpload upload, QObject* parent);

    void start(); // new or journaled upload alike
    void pause();
    void resume();
    void setChunkBytes(qint64 bytes) { chunkBytes_ = bytes; }

    State state() const { return state_; }
    QString message() const { return message_; }
    qint64 sentBytes() const { return offset_; }
    qint64 totalBytes() const { return total_; }
    double bytesPerSecond() const { return bytesPerSecond_; }
    qint64 etaMs() const;
    const PendingUpload& upload() const { return upload_; }

signals:
    void progress(qint64 sent, qint64 total);
    void stateChanged(TusUploader::State state, const QString& message);

private:
    void create();
    void syncOffset();
    void sendChunk();
    void followProcessing();
    void networkTrouble(const QString& why);
    void fail(const QString& why);
    void setState(State state, const QString& message);

    ApiClient& api_;
    UploadJournal& journal_;
    PendingUpload upload_;
    QFile archive_;
    State state_ = State::Invalid;
    QString message_;
    qint64 offset_ = 0;
    qint64 total_ = 0;
    qint64 chunkBytes_ = 4 << 20;
    int retries_ = 0;
    double bytesPerSecond_ = 0;
    QElapsedTimer clock_;
    QPointer<QNetworkReply> inFlight_;
    QTimer* retryTimer_;
};
