#include "sales/PayoutDetailsDialog.h"

#include "reelgate/core/Text.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace {
constexpr int kMaxFieldChars = 120;
}

PayoutDetailsDialog::PayoutDetailsDialog(ApiClient& api, const QString& currentMethod,
                                         QWidget* parent)
    : QDialog(parent)
    , api_(api) {
    setWindowTitle(tr("Payout details"));
    auto* layout = new QVBoxLayout(this);
    auto* explain = new QLabel(tr("Withdrawals are paid here. They are stored encrypted and shown "
                                  "masked; a mail tells you whenever they change."),
                               this);
    explain->setWordWrap(true);
    layout->addWidget(explain);
    method_ = new QComboBox(this);
    method_->setObjectName("payoutMethod");
    method_->addItem(tr("Bank account"), "bank");
    method_->addItem(tr("E-wallet"), "ewallet");
    method_->addItem(tr("PayPal"), "paypal");
    layout->addWidget(method_);

    pages_ = new QStackedWidget(this);
    auto* bank = new QWidget(pages_);
    new QFormLayout(bank);
    addField(bank, "bank", "account_name", tr("Account holder"), tr("As the bank knows it"));
    addField(bank, "bank", "bank_name", tr("Bank"), tr("e.g. BCA, Chase"));
    addField(bank, "bank", "account_number", tr("Account number or IBAN"), QString());
    addField(bank, "bank", "swift", tr("SWIFT / BIC"), tr("optional"), true);
    auto* ewallet = new QWidget(pages_);
    new QFormLayout(ewallet);
    addField(ewallet, "ewallet", "provider", tr("Provider"), tr("e.g. OVO, DANA, GOPAY"));
    addField(ewallet, "ewallet", "phone", tr("Phone"), tr("e.g. +62812345678"));
    auto* paypal = new QWidget(pages_);
    new QFormLayout(paypal);
    addField(paypal, "paypal", "email", tr("PayPal email"), tr("name@example.com"));
    pages_->addWidget(bank);
    pages_->addWidget(ewallet);
    pages_->addWidget(paypal);
    layout->addWidget(pages_);

    auto* passwordForm = new QFormLayout;
    password_ = new QLineEdit(this);
    password_->setObjectName("payoutPassword");
    password_->setEchoMode(QLineEdit::Password);
    password_->setPlaceholderText(tr("Your account's password"));
    passwordForm->addRow(tr("Password"), password_);
    layout->addLayout(passwordForm);
    error_ = new QLabel(this);
    error_->setObjectName("payoutDetailsError");
    error_->setStyleSheet("color: #b00020;");
    error_->setWordWrap(true);
    layout->addWidget(error_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    save_ = buttons->addButton(tr("Save"), QDialogButtonBox::AcceptRole);
    save_->setObjectName("savePayoutDetails");
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(save_, &QPushButton::clicked, this, &PayoutDetailsDialog::send);
    connect(method_, &QComboBox::currentIndexChanged, pages_, &QStackedWidget::setCurrentIndex);
    connect(method_, &QComboBox::currentIndexChanged, this, &PayoutDetailsDialog::update);
    connect(password_, &QLineEdit::textChanged, this, &PayoutDetailsDialog::update);
    if (const int index = method_->findData(currentMethod); index >= 0)
        method_->setCurrentIndex(index);
    update();
}

void PayoutDetailsDialog::addField(QWidget* page, const QString& method, const QString& key,
                                   const QString& label, const QString& hint, bool optional) {
    auto* edit = new QLineEdit(page);
    edit->setObjectName(key);
    edit->setPlaceholderText(hint);
    edit->setMaxLength(kMaxFieldChars);
    static_cast<QFormLayout*>(page->layout())->addRow(label, edit);
    fields_.append({method, key, label, optional, edit});
    connect(edit, &QLineEdit::textChanged, this, &PayoutDetailsDialog::update);
}

QLineEdit* PayoutDetailsDialog::field(const QString& key) const {
    for (const Field& field : fields_)
        if (field.key == key && field.method == method())
            return field.edit;
    return nullptr;
}

QString PayoutDetailsDialog::method() const {
    return method_->currentData().toString();
}

void PayoutDetailsDialog::update() {
    error_->clear(); // an edit answers the last refusal
    bool complete = !password_->text().isEmpty();
    for (const Field& field : fields_)
        if (field.method == method() && !field.optional && field.edit->text().trimmed().isEmpty())
            complete = false;
    save_->setEnabled(complete && !sending_);
}

void PayoutDetailsDialog::send() {
    QJsonObject details;
    for (const Field& field : fields_) {
        if (field.method != method())
            continue;
        const QString text = field.edit->text().trimmed();
        const reelgate::core::TextRules rules{.maxChars = kMaxFieldChars};
        const auto problem = reelgate::core::checkText(text.toStdString(), rules);
        if (problem != reelgate::core::TextProblem::None) {
            error_->setText(tr("%1 %2.").arg(
                field.label, QString::fromStdString(reelgate::core::describe(problem, rules))));
            return;
        }
        if (!text.isEmpty())
            details[field.key] = text;
    }
    sending_ = true;
    update();
    api_.callOnce("PUT", "/api/me/payout-details",
                  {{"method", method()}, {"details", details}, {"password", password_->text()}},
                  ApiClient::newIdempotencyKey(),
                  [this, self = QPointer(this)](const ApiResult& result) {
                      if (!self)
                          return;
                      sending_ = false;
                      update();
                      if (!result.ok()) {
                          error_->setText(result.status == 403 ? tr("That password is not right.")
                                                               : result.errorMessage);
                          password_->selectAll();
                          return;
                      }
                      saved_ = result.body;
                      accept();
                  });
}
