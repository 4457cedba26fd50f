#include "publish/TusUploader.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QTimer>

namespace {
using Headers = QList<QPair<QByteArray, QByteArray>>;
const QByteArray kTus = "1.0.0";

// The server's own words from its error envelope, else `fallback`.
QString serverMessage(const RawReply& reply, const QString& fallback) {
    return QJsonDocument::fromJson(reply.body)
        .object()
        .value("error")
        .toObject()
        .value("message")
        .toString(fallback);
}
} // namespace

TusUploader::TusUploader(ApiClient& api, UploadJournal& journal, PendingUpload upload,
                         QObject* parent)
    : QObject(parent)
    , api_(api)
    , journal_(journal)
    , upload_(std::move(upload))
    , archive_(upload_.archivePath)
    , retryTimer_(new QTimer(this)) {
    retryTimer_->setSingleShot(true);
    connect(retryTimer_, &QTimer::timeout, this, [this] {
        if (state_ == State::Retrying)
            upload_.uploadPath.isEmpty() ? create() : syncOffset();
    });
}

qint64 TusUploader::etaMs() const {
    if (bytesPerSecond_ <= 1)
        return -1;
    return static_cast<qint64>((total_ - offset_) / bytesPerSecond_ * 1000);
}

void TusUploader::setState(State state, const QString& message) {
    state_ = state;
    message_ = message;
    emit stateChanged(state, message);
}

void TusUploader::fail(const QString& why) {
    journal_.remove(upload_.serverUrl, upload_.videoId);
    setState(State::Failed, why);
}

void TusUploader::start() {
    if (!archive_.isOpen() && !archive_.open(QIODevice::ReadOnly)) {
        fail(tr("The packed package %1 is gone: %2")
                 .arg(upload_.archivePath, archive_.errorString()));
        return;
    }
    total_ = archive_.size();
    clock_.start();
    setState(State::Uploading, tr("Uploading ..."));
    upload_.uploadPath.isEmpty() ? create() : syncOffset();
}

void TusUploader::pause() {
    if (state_ != State::Uploading && state_ != State::Retrying)
        return;
    setState(State::Paused, tr("Paused"));
    retryTimer_->stop();
    if (inFlight_)
        inFlight_->abort();
}

void TusUploader::resume() {
    if (state_ != State::Paused)
        return;
    setState(State::Uploading, tr("Uploading ..."));
    syncOffset();
}

void TusUploader::create() {
    const QByteArray metadata = "video_id " + upload_.videoId.toUtf8().toBase64() + ",filename " +
                                QByteArray("package.tar").toBase64();
    inFlight_ = api_.sendRaw(
        "POST", "/api/uploads", {},
        Headers{{"Tus-Resumable", kTus},
                {"Upload-Length", QByteArray::number(total_)},
                {"Upload-Metadata", metadata}},
        [this](const RawReply& reply) {
            if (state_ == State::Paused)
                return;
            if (reply.status == 201) {
                upload_.uploadPath = QString::fromUtf8(reply.header("Location"));
                journal_.save(upload_);
                offset_ = 0;
                sendChunk();
            } else if (reply.status == 0) {
                networkTrouble(reply.errorMessage);
            } else {
                fail(serverMessage(
                    reply, tr("The server refused the upload (HTTP %1).").arg(reply.status)));
            }
        });
}

void TusUploader::syncOffset() {
    inFlight_ = api_.sendRaw(
        "HEAD", upload_.uploadPath, {}, Headers{{"Tus-Resumable", kTus}},
        [this](const RawReply& reply) {
            if (state_ == State::Paused)
                return;
            if (reply.status == 200) {
                offset_ = reply.header("Upload-Offset").toLongLong();
                emit progress(offset_, total_);
                if (state_ == State::Retrying)
                    setState(State::Uploading, tr("Uploading ..."));
                offset_ >= total_ ? followProcessing() : sendChunk();
            } else if (reply.status == 404 || reply.status == 410) {
                // Expired or removed on the server: start a new upload of the same bytes.
                upload_.uploadPath.clear();
                create();
            } else if (reply.status == 0) {
                networkTrouble(reply.errorMessage);
            } else {
                fail(tr("The server answered HTTP %1 about this upload.").arg(reply.status));
            }
        });
}

void TusUploader::sendChunk() {
    if (!archive_.seek(offset_)) {
        fail(tr("Cannot read the packed package."));
        return;
    }
    const QByteArray chunk = archive_.read(chunkBytes_);
    const QByteArray checksum =
        "sha256 " + QCryptographicHash::hash(chunk, QCryptographicHash::Sha256).toBase64();
    const qint64 started = clock_.elapsed();
    inFlight_ = api_.sendRaw(
        "PATCH", upload_.uploadPath, chunk,
        Headers{{"Tus-Resumable", kTus},
                {"Upload-Offset", QByteArray::number(offset_)},
                {"Upload-Checksum", checksum},
                {"Content-Type", "application/offset+octet-stream"}},
        [this, started, size = chunk.size()](const RawReply& reply) {
            if (state_ == State::Paused)
                return;
            if (reply.status == 204) {
                retries_ = 0;
                offset_ = reply.header("Upload-Offset").toLongLong();
                const double seconds = qMax<qint64>(1, clock_.elapsed() - started) / 1000.0;
                const double rate = size / seconds;
                bytesPerSecond_ = bytesPerSecond_ <= 0 ? rate : 0.7 * bytesPerSecond_ + 0.3 * rate;
                emit progress(offset_, total_);
                offset_ >= total_ ? followProcessing() : sendChunk();
            } else if (reply.status == 409 || reply.status == 460) {
                syncOffset(); // out of step, or damaged on the way: ask and resend
            } else if (reply.status == 0) {
                networkTrouble(reply.errorMessage);
            } else {
                fail(serverMessage(reply,
                                   tr("The server refused a chunk (HTTP %1).").arg(reply.status)));
            }
        });
}

void TusUploader::networkTrouble(const QString& why) {
    const int delaySeconds = qMin(30, 1 << qMin(retries_, 5));
    ++retries_;
    setState(State::Retrying,
             tr("Connection lost (%1). Retrying in %2 s ...").arg(why).arg(delaySeconds));
    retryTimer_->start(delaySeconds * 1000);
}

void TusUploader::followProcessing() {
    journal_.remove(upload_.serverUrl, upload_.videoId);
    if (state_ != State::Processing)
        setState(State::Processing, tr("Uploaded. The server is checking the package ..."));
    api_.get("/api/videos/" + upload_.videoId, [this](const ApiResult& result) {
        const QJsonObject video = result.body.value("video").toObject();
        const QString state = video.value("state").toString();
        if (state == "published") {
            setState(State::Published, tr("Published."));
        } else if (state == "failed") {
            setState(State::Failed, tr("The server refused the package: %1")
                                        .arg(video.value("failure_reason").toString()));
        } else {
            QTimer::singleShot(500, this, [this] { followProcessing(); });
        }
    });
}
