#include "publish/VideoEditDialog.h"

#include "publish/PublishPage.h"
#include "publish/VideoMediaPanel.h"

#include "reelgate/core/Money.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

VideoEditDialog::VideoEditDialog(ApiClient& api, const QJsonObject& video, int maxAffiliateBps,
                                 QWidget* parent)
    : QDialog(parent)
    , api_(api)
    , videoId_(video.value("id").toString())
    , videoState_(video.value("state").toString()) {
    setWindowTitle(tr("Edit \"%1\"").arg(video.value("title").toString()));
    setMinimumWidth(460);
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    title_ = new QLineEdit(video.value("title").toString(), this);
    title_->setMaxLength(200);
    form->addRow(tr("Title"), title_);
    description_ = new QPlainTextEdit(video.value("description").toString(), this);
    description_->setMaximumHeight(90);
    form->addRow(tr("Description"), description_);
    visibility_ = new QComboBox(this);
    visibility_->addItem(tr("Public: listed in the catalog"), "public");
    visibility_->addItem(tr("Unlisted: only with its link"), "unlisted");
    visibility_->setCurrentIndex(video.value("visibility").toString() == "unlisted" ? 1 : 0);
    form->addRow(tr("Visibility"), visibility_);
    const QJsonObject price = video.value("price").toObject();
    price_ = new QLineEdit(this);
    currency_ = new QComboBox(this);
    currency_->addItems(creatorCurrencies());
    const QString code = price.value("currency").toString("USD");
    if (currency_->findText(code) < 0)
        currency_->addItem(code);
    currency_->setCurrentText(code);
    if (const auto currency = reelgate::core::Currency::tryFromCode(code.toStdString()))
        price_->setText(QString::fromStdString(
            reelgate::core::Money(price.value("amount_minor").toInteger(), *currency)
                .toDecimalString()));
    auto* priceRow = new QHBoxLayout;
    priceRow->addWidget(price_, 1);
    priceRow->addWidget(currency_);
    form->addRow(tr("Price"), priceRow);
    affiliate_ = new QDoubleSpinBox(this);
    affiliate_->setSuffix(" %");
    affiliate_->setDecimals(2);
    affiliate_->setRange(0, maxAffiliateBps / 100.0);
    affiliate_->setValue(video.value("affiliate_bps").toInt() / 100.0);
    form->addRow(tr("Affiliate rate"), affiliate_);
    allowlist_ = new QPlainTextEdit(this);
    allowlist_->setPlaceholderText(tr("usernames who watch for free, one per line"));
    allowlist_->setMaximumHeight(90);
    form->addRow(tr("Free access"), allowlist_);
    state_ = new QLabel(this);
    state_->setWordWrap(true);
    form->addRow(tr("State"), state_);
    layout->addLayout(form);
    if (videoState_ == "published" || videoState_ == "unpublished") {
        media_ = new VideoMediaPanel(api_, videoId_, this);
        media_->setObjectName("videoMedia");
        layout->addWidget(media_);
        connect(media_, &VideoMediaPanel::posterSent, this, &VideoEditDialog::changed);
    }
    error_ = new QLabel(this);
    error_->setObjectName("editError");
    error_->setWordWrap(true);
    error_->setStyleSheet("color: #d9534f;");
    error_->hide();
    layout->addWidget(error_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    save_ = buttons->addButton(tr("Save"), QDialogButtonBox::AcceptRole);
    toggle_ = buttons->addButton(tr("Unpublish"), QDialogButtonBox::ActionRole);
    delete_ = buttons->addButton(tr("Delete..."), QDialogButtonBox::DestructiveRole);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(save_, &QPushButton::clicked, this, &VideoEditDialog::saveAll);
    connect(toggle_, &QPushButton::clicked, this, &VideoEditDialog::togglePublished);
    connect(delete_, &QPushButton::clicked, this, &VideoEditDialog::askDelete);
    connect(this, &VideoEditDialog::saved, this, &VideoEditDialog::changed);
    // A refusal stays until the creator changes what it was about.
    connect(title_, &QLineEdit::textEdited, this, &VideoEditDialog::clearError);
    connect(price_, &QLineEdit::textEdited, this, &VideoEditDialog::clearError);
    connect(description_, &QPlainTextEdit::textChanged, this, &VideoEditDialog::clearError);
    connect(currency_, &QComboBox::activated, this, &VideoEditDialog::clearError);
    connect(visibility_, &QComboBox::activated, this, &VideoEditDialog::clearError);
    connect(affiliate_, &QDoubleSpinBox::valueChanged, this, &VideoEditDialog::clearError);
    showState();

    api_.get("/api/videos/" + videoId_ + "/allowlist", [this](const ApiResult& result) {
        QStringList names;
        for (const auto& name : result.body.value("usernames").toArray())
            names.append(name.toString());
        allowlist_->setPlainText(names.join('\n'));
        connect(allowlist_, &QPlainTextEdit::textChanged, this, &VideoEditDialog::clearError,
                Qt::UniqueConnection);
    });
}

void VideoEditDialog::showState() {
    toggle_->setVisible(videoState_ == "published" || videoState_ == "unpublished");
    toggle_->setText(videoState_ == "published" ? tr("Unpublish") : tr("Publish again"));
    if (videoState_ == "published")
        state_->setText(tr("Published: in the catalog and for sale."));
    else if (videoState_ == "unpublished")
        state_->setText(tr("Unpublished: nobody can buy it; people who bought it still watch it."));
    else
        state_->setText(videoState_);
}

void VideoEditDialog::showError(const QString& message) {
    error_->setText(message);
    error_->show();
    save_->setEnabled(true);
    toggle_->setEnabled(true);
    delete_->setEnabled(true);
}

void VideoEditDialog::clearError() {
    error_->clear();
    error_->hide();
}

void VideoEditDialog::saveAll() {
    const auto currency =
        reelgate::core::Currency::tryFromCode(currency_->currentText().toStdString());
    const auto price =
        currency
            ? reelgate::core::Money::tryParse(price_->text().trimmed().toStdString(), *currency)
            : std::nullopt;
    if (!price) {
        showError(tr("That is not a price in %1.").arg(currency_->currentText()));
        return;
    }
    save_->setEnabled(false);
    clearError();
    const QJsonObject patch{
        {"title", title_->text().trimmed()},
        {"description", description_->toPlainText()},
        {"visibility", visibility_->currentData().toString()},
        {"price", QJsonObject{{"amount_minor", static_cast<qint64>(price->amountMinor())},
                              {"currency", currency_->currentText()}}},
        {"affiliate_bps", static_cast<int>(qRound(affiliate_->value() * 100))}};
    QJsonArray names;
    for (const QString& name :
         allowlist_->toPlainText().split(QRegularExpression("[\\s,]+"), Qt::SkipEmptyParts))
        names.append(name);
    api_.call("PATCH", "/api/videos/" + videoId_, patch, [this, names](const ApiResult& result) {
        if (!result.ok()) {
            showError(result.errorMessage);
            return;
        }
        api_.call("PUT", "/api/videos/" + videoId_ + "/allowlist",
                  QJsonObject{{"usernames", names}}, [this](const ApiResult& saved) {
                      if (!saved.ok()) {
                          showError(saved.errorMessage);
                          emit changed(); // the fields above were saved
                          return;
                      }
                      if (!media_) {
                          emit this->saved();
                          accept();
                          return;
                      }
                      media_->save([this](bool ok) {
                          if (!ok) {
                              save_->setEnabled(true);
                              emit changed(); // the fields above were saved
                              return;
                          }
                          emit this->saved();
                          accept();
                      });
                  });
    });
}

void VideoEditDialog::togglePublished() {
    const bool unpublish = videoState_ == "published";
    toggle_->setEnabled(false);
    clearError();
    api_.call("POST", "/api/videos/" + videoId_ + (unpublish ? "/unpublish" : "/republish"), {},
              [this](const ApiResult& result) {
                  if (!result.ok()) {
                      showError(result.errorMessage);
                      return;
                  }
                  videoState_ = result.body.value("video").toObject().value("state").toString();
                  toggle_->setEnabled(true);
                  showState();
                  emit changed();
              });
}

void VideoEditDialog::askDelete() {
    confirm_ = new QMessageBox(
        QMessageBox::Warning, tr("Delete \"%1\"?").arg(title_->text()),
        tr("\"%1\" leaves the catalog and your list, and nobody can buy it any more.\n\n"
           "People who already bought it keep watching it: its package stays on the server "
           "for them.")
            .arg(title_->text()),
        QMessageBox::Cancel, this);
    QPushButton* yes = confirm_->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    confirm_->setDefaultButton(QMessageBox::Cancel);
    confirm_->setAttribute(Qt::WA_DeleteOnClose);
    connect(confirm_, &QObject::destroyed, this, [this] { confirm_ = nullptr; });
    connect(confirm_, &QMessageBox::buttonClicked, this, [this, yes](QAbstractButton* button) {
        if (button != yes)
            return;
        delete_->setEnabled(false);
        clearError();
        api_.call("DELETE", "/api/videos/" + videoId_, {}, [this](const ApiResult& result) {
            if (!result.ok()) {
                showError(result.errorMessage);
                return;
            }
            emit changed();
            accept();
        });
    });
    confirm_->open();
}
