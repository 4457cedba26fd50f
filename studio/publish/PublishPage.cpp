#include "publish/PublishPage.h"

#include "common/Heading.h"
#include "publish/PackageArchive.h"
#include "publish/VideoEditDialog.h"
#include "reelgate/core/BasisPoints.h"
#include "reelgate/core/Money.h"
#include "reelgate/core/SaleSplit.h"
#include "transcode/TranscodeQueue.h"

#include <QComboBox>
#include <QCryptographicHash>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableWidget>
#include <QThread>
#include <QVBoxLayout>

namespace {

std::optional<reelgate::core::Money> parsePrice(const QString& amount, const QString& currency) {
    const auto code = reelgate::core::Currency::tryFromCode(currency.toStdString());
    if (!code)
        return std::nullopt;
    return reelgate::core::Money::tryParse(amount.trimmed().toStdString(), *code);
}

QString money(const reelgate::core::Money& m) {
    return QString::fromStdString(m.format());
}

QString duration(qint64 ms) {
    if (ms < 0)
        return QObject::tr("estimating");
    const qint64 s = ms / 1000;
    return s >= 60 ? QObject::tr("%1 min %2 s").arg(s / 60).arg(s % 60)
                   : QObject::tr("%1 s").arg(s);
}

} // namespace

const QStringList& creatorCurrencies() {
    static const QStringList codes{"USD", "EUR", "GBP", "IDR", "JPY",
                                   "INR", "BRL", "CAD", "AUD", "CHF"};
    return codes;
}

PublishPage::PublishPage(ApiClient& api, AuthSession& session, QWidget* parent)
    : QWidget(parent)
    , api_(api)
    , session_(session) {
    auto* layout = new QVBoxLayout(this);
    usePageMargins(layout);
    layout->addWidget(pageHeading(tr("Publish"), this));

    auto* form = new QFormLayout;
    finished_ = new QComboBox(this);
    finished_->setObjectName("finishedTranscodes");
    finished_->setToolTip(tr("Packages the Transcode page finished on this computer"));
    form->addRow(tr("Transcoded"), finished_);
    auto* packageRow = new QHBoxLayout;
    package_ = new QLineEdit(this);
    package_->setObjectName("packageFolder");
    package_->setPlaceholderText(tr("a transcoded package folder (it holds manifest.json)"));
    auto* choose = new QPushButton(tr("Choose..."), this);
    packageRow->addWidget(package_, 1);
    packageRow->addWidget(choose);
    form->addRow(tr("Package"), packageRow);
    packageInfo_ = new QLabel(this);
    packageInfo_->setEnabled(false);
    form->addRow(QString(), packageInfo_);
    title_ = new QLineEdit(this);
    title_->setMaxLength(200);
    form->addRow(tr("Title"), title_);
    description_ = new QPlainTextEdit(this);
    description_->setMaximumHeight(70);
    form->addRow(tr("Description"), description_);
    auto* priceRow = new QHBoxLayout;
    price_ = new QLineEdit(this);
    price_->setPlaceholderText("4.99");
    currency_ = new QComboBox(this);
    currency_->addItems(creatorCurrencies());
    priceRow->addWidget(price_, 1);
    priceRow->addWidget(currency_);
    form->addRow(tr("Price"), priceRow);
    affiliate_ = new QDoubleSpinBox(this);
    affiliate_->setSuffix(" %");
    affiliate_->setDecimals(2);
    affiliate_->setSingleStep(0.5);
    affiliate_->setRange(0, 90);
    affiliate_->setValue(10);
    form->addRow(tr("Affiliate rate"), affiliate_);
    split_ = new QLabel(this);
    split_->setObjectName("split");
    split_->setWordWrap(true);
    form->addRow(QString(), split_);
    layout->addLayout(form);

    auto* actions = new QHBoxLayout;
    publish_ = new QPushButton(tr("Upload and publish"), this);
    publish_->setObjectName("publishButton");
    becomeCreator_ = new QPushButton(tr("Turn on creator mode"), this);
    becomeCreator_->hide();
    pause_ = new QPushButton(tr("Pause"), this);
    pause_->setEnabled(false);
    actions->addWidget(publish_);
    actions->addWidget(becomeCreator_);
    actions->addWidget(pause_);
    actions->addStretch(1);
    layout->addLayout(actions);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setValue(0);
    layout->addWidget(progress_);
    status_ = new QLabel(tr("Sign in as a creator to publish."), this);
    status_->setObjectName("publishStatus");
    status_->setWordWrap(true);
    layout->addWidget(status_);

    videos_ = new MyVideosList(api_, this);
    layout->addWidget(videos_, 1);

    connect(choose, &QPushButton::clicked, this, &PublishPage::choosePackage);
    connect(finished_, &QComboBox::activated, this, [this](int index) {
        const QString dir = finished_->itemData(index).toString();
        if (!dir.isEmpty())
            usePackage(dir, finished_->itemData(index, Qt::UserRole + 1).toString());
    });
    listFinishedTranscodes();
    connect(package_, &QLineEdit::textChanged, this, [this](const QString& dir) {
        QFile file(QDir(dir).filePath("manifest.json"));
        if (!file.open(QIODevice::ReadOnly)) {
            packageInfo_->setText(dir.isEmpty() ? QString()
                                                : tr("No manifest.json in this folder."));
            return;
        }
        const QJsonObject m = QJsonDocument::fromJson(file.readAll()).object();
        packageInfo_->setText(tr("%1 renditions, %2, %3 segments%4")
                                  .arg(m.value("renditions").toArray().size())
                                  .arg(duration(m.value("duration_ms").toInteger()))
                                  .arg(m.value("segment_count").toInt())
                                  .arg(m.value("variants").toObject().value("ab").toBool()
                                           ? tr(", forensic A/B")
                                           : QString()));
    });
    connect(price_, &QLineEdit::textChanged, this, &PublishPage::updateSplit);
    connect(currency_, &QComboBox::currentTextChanged, this, &PublishPage::updateSplit);
    connect(affiliate_, &QDoubleSpinBox::valueChanged, this, &PublishPage::updateSplit);
    connect(publish_, &QPushButton::clicked, this, &PublishPage::startPublish);
    // A refusal goes away once the creator changes what it was about.
    for (QLineEdit* field : {package_, title_, price_})
        connect(field, &QLineEdit::textEdited, this, [this] {
            if (!status_->styleSheet().isEmpty())
                setStatus(QString());
        });
    connect(pause_, &QPushButton::clicked, this, [this] {
        if (!uploader_)
            return;
        uploader_->state() == TusUploader::State::Paused ? uploader_->resume() : uploader_->pause();
    });
    connect(becomeCreator_, &QPushButton::clicked, this, [this] {
        api_.call("POST", "/api/me/creator", {}, [this](const ApiResult& result) {
            if (result.ok())
                session_.restore();
        });
    });
    connect(&session_, &AuthSession::signedIn, this, &PublishPage::onSignedIn);
    connect(&session_, &AuthSession::signedOut, this, [this] {
        videos_->clear();
        clearForm();
        setStatus(tr("Sign in as a creator to publish."));
    });
    updateSplit();
}

void PublishPage::onSignedIn() {
    const bool creator = session_.user().isCreator();
    becomeCreator_->setVisible(!creator);
    if (!creator) {
        setStatus(tr("Publishing needs creator mode on your account."));
        return;
    }
    const bool busy = uploader_ && uploader_->state() != TusUploader::State::Published &&
                      uploader_->state() != TusUploader::State::Failed;
    if (!busy && publish_->isEnabled())
        setStatus(tr("Ready."));
    api_.get("/api/platform", [this](const ApiResult& result) {
        if (!result.ok())
            return;
        feeBps_ = result.body.value("platform_fee_bps").toInt();
        maxAffiliateBps_ = result.body.value("max_affiliate_bps").toInt();
        videos_->setMaxAffiliateBps(maxAffiliateBps_);
        affiliate_->setMaximum(maxAffiliateBps_ / 100.0);
        updateSplit();
    });
    refreshVideos();
    if (!journal_.isOpen())
        setStatus(tr("Uploads cannot resume after a restart: %1").arg(journal_.error()), true);
    const auto pending = journal_.pendingFor(api_.baseUrl().toString());
    if (!pending.isEmpty() && !uploader_)
        runUpload(pending.first());
}

void PublishPage::updateSplit() {
    const auto price = parsePrice(price_->text(), currency_->currentText());
    if (!price) {
        split_->setText(price_->text().isEmpty()
                            ? tr("Enter a price.")
                            : tr("That is not a price in %1.").arg(currency_->currentText()));
        return;
    }
    if (feeBps_ < 0) {
        split_->setText(tr("Sign in to see what you receive per sale."));
        return;
    }
    using namespace reelgate::core;
    const int affiliateBps = static_cast<int>(qRound(affiliate_->value() * 100));
    const SaleSplit withAffiliate =
        splitSale(*price, BasisPoints(feeBps_), BasisPoints(affiliateBps));
    const SaleSplit direct = splitSale(*price, BasisPoints(feeBps_), BasisPoints(0));
    split_->setText(tr("Per sale you receive %1 (%2 when a buyer comes through an affiliate, who "
                       "gets %3). Platform fee: %4.")
                        .arg(money(direct.creatorNet), money(withAffiliate.creatorNet),
                             money(withAffiliate.affiliateCommission), money(direct.platformFee)));
}

void PublishPage::setTranscodeQueue(TranscodeQueue* queue) {
    if (queue_)
        disconnect(queue_, nullptr, this, nullptr);
    queue_ = queue;
    if (queue_) {
        connect(queue_, &TranscodeQueue::entriesChanged, this,
                &PublishPage::listFinishedTranscodes);
        connect(queue_, &TranscodeQueue::entryChanged, this, [this](qint64 id) {
            const auto entry = queue_->entry(id);
            if (entry && entry->state == QueueState::Succeeded)
                listFinishedTranscodes();
        });
    }
    listFinishedTranscodes();
}

void PublishPage::listFinishedTranscodes() {
    const QString current = finished_->currentData().toString();
    finished_->clear();
    QList<QueueEntry> done;
    if (queue_) {
        for (const QueueEntry& entry : queue_->entries())
            if (entry.state == QueueState::Succeeded && !entry.packagePath.isEmpty() &&
                QFileInfo::exists(QDir(entry.packagePath).filePath("manifest.json")))
                done.prepend(entry); // the queue lists oldest first
    }
    finished_->addItem(done.isEmpty() ? tr("No finished transcodes yet (or pick a folder)")
                                      : tr("Choose a finished transcode..."));
    for (const QueueEntry& entry : done) {
        finished_->addItem(tr("%1 (%2%3)")
                               .arg(entry.title, entry.presetName,
                                    entry.abVariants ? tr(", forensic A/B") : QString()),
                           entry.packagePath);
        finished_->setItemData(finished_->count() - 1, entry.title, Qt::UserRole + 1);
        finished_->setItemData(finished_->count() - 1, entry.packagePath, Qt::ToolTipRole);
    }
    const int keep = finished_->findData(current);
    finished_->setCurrentIndex(keep > 0 ? keep : 0);
    finished_->setEnabled(!done.isEmpty());
}

void PublishPage::usePackage(const QString& packagePath, const QString& title) {
    package_->setText(packagePath);
    if (title_->text().trimmed().isEmpty())
        title_->setText(title);
    const int listed = finished_->findData(packagePath);
    if (listed > 0)
        finished_->setCurrentIndex(listed);
}

void PublishPage::choosePackage() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Choose a package folder"));
    if (!dir.isEmpty())
        package_->setText(dir);
}

void PublishPage::startPublish() {
    if (uploader_ && uploader_->state() != TusUploader::State::Published &&
        uploader_->state() != TusUploader::State::Failed) {
        setStatus(tr("An upload is already running."), true);
        return;
    }
    const auto price = parsePrice(price_->text(), currency_->currentText());
    const QString dir = package_->text().trimmed();
    QString problem;
    if (!session_.isSignedIn() || !session_.user().isCreator())
        problem = tr("Sign in as a creator first.");
    else if (!QFileInfo::exists(QDir(dir).filePath("manifest.json")))
        problem = tr("Choose a package folder (it holds manifest.json).");
    else if (title_->text().trimmed().isEmpty())
        problem = tr("Give the video a title.");
    else if (!price)
        problem = tr("Enter a valid price.");
    if (!problem.isEmpty()) {
        setStatus(problem, true);
        return;
    }
    QFile manifest(QDir(dir).filePath("manifest.json"));
    if (!manifest.open(QIODevice::ReadOnly)) {
        setStatus(tr("Cannot read %1.").arg(manifest.fileName()), true);
        return;
    }
    const QString packageHash = QString::fromLatin1(
        QCryptographicHash::hash(manifest.readAll(), QCryptographicHash::Sha256).toHex());
    publish_->setEnabled(false);
    progress_->setValue(0);
    setStatus(tr("Creating the video ..."));
    const QJsonObject body{
        {"package_sha256", packageHash},
        {"title", title_->text().trimmed()},
        {"description", description_->toPlainText()},
        {"price", QJsonObject{{"amount_minor", static_cast<qint64>(price->amountMinor())},
                              {"currency", currency_->currentText()}}},
        {"affiliate_bps", static_cast<int>(qRound(affiliate_->value() * 100))}};
    api_.call("POST", "/api/videos", body, [this, dir](const ApiResult& result) {
        if (!result.ok()) {
            publish_->setEnabled(true);
            setStatus(result.errorMessage, true);
            return;
        }
        PendingUpload upload;
        upload.serverUrl = api_.baseUrl().toString();
        upload.videoId = result.body.value("video").toObject().value("id").toString();
        upload.title = title_->text().trimmed();
        const QString cache =
            QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + "/uploads";
        QDir().mkpath(cache);
        upload.archivePath = cache + "/" + upload.videoId + ".tar";
        setStatus(tr("Packing the package ..."));
        auto* result_ = new PackageArchiveResult;
        QThread* packer = QThread::create([dir, path = upload.archivePath, result_] {
            *result_ = writePackageArchive(dir, path);
        });
        connect(packer, &QThread::finished, this, [this, packer, result_, upload] {
            packer->deleteLater();
            const PackageArchiveResult packed = *result_;
            delete result_;
            if (!packed.ok) {
                publish_->setEnabled(true);
                setStatus(packed.error, true);
                return;
            }
            journal_.save(upload);
            runUpload(upload);
        });
        packer->start();
    });
}

void PublishPage::runUpload(const PendingUpload& upload) {
    if (uploader_)
        uploader_->deleteLater();
    uploader_ = new TusUploader(api_, journal_, upload, this);
    uploader_->setChunkBytes(chunkBytes_);
    connect(uploader_, &TusUploader::progress, this, [this](qint64 sent, qint64 total) {
        progress_->setValue(total > 0 ? static_cast<int>(sent * 1000 / total) : 0);
        setStatus(
            tr("Uploading \"%1\": %2 of %3 MB, %4/s, %5 left")
                .arg(uploader_->upload().title)
                .arg(sent / 1e6, 0, 'f', 1)
                .arg(total / 1e6, 0, 'f', 1)
                .arg(QLocale().formattedDataSize(static_cast<qint64>(uploader_->bytesPerSecond())))
                .arg(duration(uploader_->etaMs())));
    });
    connect(uploader_, &TusUploader::stateChanged, this, &PublishPage::showUploadState);
    pause_->setEnabled(true);
    publish_->setEnabled(false);
    uploader_->start();
}

void PublishPage::showUploadState(TusUploader::State state, const QString& message) {
    using State = TusUploader::State;
    pause_->setText(state == State::Paused ? tr("Resume") : tr("Pause"));
    pause_->setEnabled(state == State::Uploading || state == State::Paused ||
                       state == State::Retrying);
    if (state != State::Uploading)
        setStatus(message, state == State::Failed);
    if (state == State::Published || state == State::Failed) {
        publish_->setEnabled(true);
        if (state == State::Published) {
            progress_->setValue(1000);
            QFile::remove(uploader_->upload().archivePath);
        }
        refreshVideos();
    }
}

VideoEditDialog* PublishPage::editVideo(int row) {
    return videos_->editVideo(row);
}

void PublishPage::refreshVideos() {
    videos_->refresh();
}

void PublishPage::setStatus(const QString& text, bool error) {
    status_->setText(text);
    status_->setStyleSheet(error ? "color: #d9534f;" : QString());
}

// Nothing of the previous account stays in the form for the next one.
void PublishPage::clearForm() {
    package_->clear();
    title_->clear();
    description_->clear();
    price_->clear();
    currency_->setCurrentIndex(0);
    affiliate_->setValue(10);
    progress_->setValue(0);
    feeBps_ = -1;
    updateSplit();
}
