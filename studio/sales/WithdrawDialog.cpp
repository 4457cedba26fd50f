#include "sales/WithdrawDialog.h"

#include "reelgate/core/Currency.h"
#include "reelgate/core/Money.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

namespace {

qint64 minorOf(const QJsonObject& entry, const char* key) {
    return entry.value(key).toObject().value("amount_minor").toInteger();
}

// Minor units as "12.34 USD", the studio's usual money text.
QString moneyText(qint64 minor, const QString& code) {
    const auto currency = reelgate::core::Currency::tryFromCode(code.toStdString());
    if (!currency)
        return QString("%1 %2").arg(minor).arg(code);
    return QString::fromStdString(reelgate::core::Money(minor, *currency).format());
}

} // namespace

WithdrawDialog::WithdrawDialog(ApiClient& api, const QJsonArray& balances, QWidget* parent)
    : QDialog(parent)
    , api_(api)
    , idempotencyKey_(ApiClient::newIdempotencyKey()) {
    setWindowTitle(tr("Withdraw earnings"));
    setMinimumWidth(440);
    for (const QJsonValue& value : balances)
        if (minorOf(value.toObject(), "available") > 0)
            balances_.append(value);
    auto* layout = new QVBoxLayout(this);
    auto* explain = new QLabel(
        tr("You can withdraw what you earned (sales, affiliate commissions) once its hold has "
           "passed. Money you deposited can be spent on videos here but cannot be withdrawn."),
        this);
    explain->setObjectName("withdrawExplain");
    explain->setWordWrap(true);
    layout->addWidget(explain);

    auto* form = new QFormLayout;
    currency_ = new QComboBox(this);
    currency_->setObjectName("withdrawCurrency");
    for (const QJsonValue& value : balances_)
        currency_->addItem(value.toObject().value("currency").toString());
    amount_ = new QLineEdit(this);
    amount_->setObjectName("withdrawAmount");
    amount_->setPlaceholderText(tr("e.g. 25.00"));
    amount_->setMaxLength(24);
    available_ = new QLabel(this);
    fee_ = new QLabel(this);
    fee_->setObjectName("withdrawFee");
    fee_->setWordWrap(true);
    form->addRow(tr("Currency"), currency_);
    form->addRow(tr("Amount"), amount_);
    form->addRow(tr("Available"), available_);
    form->addRow(QString(), fee_);
    layout->addLayout(form);
    error_ = new QLabel(this);
    error_->setObjectName("withdrawError");
    error_->setStyleSheet("color: #b00020;");
    error_->setWordWrap(true);
    layout->addWidget(error_);

    buttons_ = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    withdraw_ = buttons_->addButton(tr("Withdraw"), QDialogButtonBox::AcceptRole);
    withdraw_->setObjectName("confirmWithdraw");
    layout->addWidget(buttons_);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(withdraw_, &QPushButton::clicked, this, &WithdrawDialog::send);
    connect(currency_, &QComboBox::currentIndexChanged, this, &WithdrawDialog::update);
    connect(amount_, &QLineEdit::textChanged, this, [this] {
        error_->clear(); // an edit answers the last refusal
        update();
    });
    // Starts with everything available, the common case.
    if (const auto currency =
            reelgate::core::Currency::tryFromCode(currency_->currentText().toStdString()))
        amount_->setText(QString::fromStdString(
            reelgate::core::Money(minorOf(entry(), "available"), *currency).toDecimalString()));
    update();
}

QJsonObject WithdrawDialog::entry() const {
    const int index = currency_->currentIndex();
    return index >= 0 && index < balances_.size() ? balances_[index].toObject() : QJsonObject();
}

std::optional<qint64> WithdrawDialog::amountMinor() const {
    const auto currency =
        reelgate::core::Currency::tryFromCode(currency_->currentText().toStdString());
    if (!currency)
        return std::nullopt;
    const auto money =
        reelgate::core::Money::tryParse(amount_->text().trimmed().toStdString(), *currency);
    if (!money || money->isNegative())
        return std::nullopt;
    return money->amountMinor();
}

void WithdrawDialog::update() {
    const QJsonObject balance = entry();
    const QString code = currency_->currentText();
    if (balance.isEmpty()) {
        available_->setText(tr("Nothing available to withdraw yet."));
        fee_->clear();
        withdraw_->setEnabled(false);
        return;
    }
    const qint64 available = minorOf(balance, "available");
    const bool knowsMin = balance.value("withdrawal_min").isObject();
    const bool knowsFee = balance.value("withdrawal_fee").isObject();
    const qint64 minimum = minorOf(balance, "withdrawal_min");
    const qint64 fee = minorOf(balance, "withdrawal_fee");
    available_->setText(knowsMin ? tr("%1 (at least %2 per withdrawal)")
                                       .arg(moneyText(available, code), moneyText(minimum, code))
                                 : moneyText(available, code));
    const auto amount = amountMinor();
    QString problem;
    if (!amount || *amount == 0)
        problem = tr("Type an amount such as 25.00.");
    else if (*amount > available)
        problem = tr("More than the %1 available.").arg(moneyText(available, code));
    else if (knowsMin && *amount < minimum)
        problem = tr("The minimum is %1.").arg(moneyText(minimum, code));
    else if (knowsFee && *amount <= fee)
        problem = tr("The fee of %1 would take all of it.").arg(moneyText(fee, code));
    if (!problem.isEmpty())
        fee_->setText(problem);
    else if (knowsFee)
        fee_->setText(tr("Fee %1; you receive %2.")
                          .arg(moneyText(fee, code), moneyText(*amount - fee, code)));
    else
        fee_->setText(tr("The platform's payout fee, if any, is taken from this amount."));
    withdraw_->setEnabled(problem.isEmpty() && !sending_);
}

void WithdrawDialog::send() {
    const auto amount = amountMinor();
    if (!amount || sending_)
        return;
    sending_ = true;
    update();
    error_->setText(QString());
    // One key per dialog: asking again after a lost answer withdraws once.
    api_.callOnce("POST", "/api/wallet/withdrawals",
                  {{"amount_minor", *amount}, {"currency", currency_->currentText()}},
                  idempotencyKey_, [this, self = QPointer(this)](const ApiResult& result) {
                      if (!self)
                          return; // closed before the answer came
                      sending_ = false;
                      if (!result.ok()) {
                          error_->setText(result.errorMessage);
                          // A refused amount may be retried as a new request.
                          if (result.status >= 400 && result.status < 500)
                              idempotencyKey_ = ApiClient::newIdempotencyKey();
                          update();
                          return;
                      }
                      withdrawal_ = result.body;
                      accept();
                  });
}
