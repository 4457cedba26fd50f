#include "publish/VideoEditDialog.h"

#include "publish/PublishPage.h"

#include "reelgate/core/Money.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

VideoEditDialog::VideoEditDialog(ApiClient& api, const QJsonObject& video, int maxAffiliateBps,
                                 QWidget* parent)
    : QDialog(parent)
    , api_(api)
    , videoId_(video.value("id").toString()) {
    setWindowTitle(tr("Edit \"%1\"").arg(video.value("title").toString()));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
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
    layout->addLayout(form);
    error_ = new QLabel(this);
    error_->setWordWrap(true);
    error_->setStyleSheet("color: #d9534f;");
    error_->hide();
    layout->addWidget(error_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    save_ = buttons->addButton(tr("Save"), QDialogButtonBox::AcceptRole);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(save_, &QPushButton::clicked, this, &VideoEditDialog::saveAll);

    api_.get("/api/videos/" + videoId_ + "/allowlist", [this](const ApiResult& result) {
        QStringList names;
        for (const auto& name : result.body.value("usernames").toArray())
            names.append(name.toString());
        allowlist_->setPlainText(names.join('\n'));
    });
}

void VideoEditDialog::showError(const QString& message) {
    error_->setText(message);
    error_->show();
    save_->setEnabled(true);
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
    error_->hide();
    const QJsonObject patch{
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
                          return;
                      }
                      emit this->saved();
                      accept();
                  });
    });
}
