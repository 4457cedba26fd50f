#include "sales/PayoutPanel.h"

#include "common/Heading.h"
#include "sales/PayoutDetailsDialog.h"
#include "sales/SalesTables.h"
#include "sales/WithdrawDialog.h"

#include <QDateEdit>
#include <QDateTime>
#include <QDialog>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSaveFile>
#include <QTableWidget>
#include <QVBoxLayout>

namespace {

using sales::cell;
using sales::formatted;

QString localTime(const QJsonValue& iso) {
    const QDateTime when = QDateTime::fromString(iso.toString(), Qt::ISODate);
    return when.isValid() ? QLocale().toString(when.toLocalTime(), QLocale::ShortFormat)
                          : QString();
}

QTableWidget* table(const QStringList& headers, QWidget* parent) {
    QTableWidget* t = sales::table(headers, parent);
    t->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    return t;
}

QString methodName(const QString& method) {
    if (method == "bank")
        return QObject::tr("Bank account");
    if (method == "ewallet")
        return QObject::tr("E-wallet");
    if (method == "paypal")
        return QObject::tr("PayPal");
    return method;
}

QString statusName(const QString& status) {
    if (status == "requested")
        return QObject::tr("Waiting for approval");
    if (status == "approved")
        return QObject::tr("Approved, being paid");
    if (status == "paid")
        return QObject::tr("Paid");
    if (status == "rejected")
        return QObject::tr("Rejected");
    if (status == "failed")
        return QObject::tr("Payout failed");
    return status;
}

} // namespace

PayoutPanel::PayoutPanel(ApiClient& api, QWidget* parent)
    : QWidget(parent)
    , api_(api) {
    auto* layout = new QVBoxLayout(this);
    balances_ = table({tr("Currency"), tr("Withdrawable now"), tr("On hold"), tr("In withdrawals"),
                       tr("Can be spent here")},
                      this);
    balances_->setObjectName("payoutBalances");
    balances_->setMaximumHeight(110);
    layout->addWidget(balances_);
    auto* explain = new QLabel(
        tr("Earnings become withdrawable once their hold has passed (so refunds can be covered). "
           "Money you deposited can be spent on videos here but cannot be withdrawn."),
        this);
    explain->setWordWrap(true);
    layout->addWidget(explain);

    auto* actions = new QHBoxLayout;
    withdraw_ = new QPushButton(tr("Withdraw..."), this);
    withdraw_->setObjectName("withdraw");
    editDetails_ = new QPushButton(tr("Payout details..."), this);
    editDetails_->setObjectName("payoutDetails");
    month_ = new QDateEdit(QDate::currentDate(), this);
    month_->setObjectName("statementMonth");
    month_->setDisplayFormat("MMMM yyyy");
    month_->setMaximumDate(QDate::currentDate());
    statement_ = new QPushButton(tr("Monthly statement..."), this);
    statement_->setObjectName("monthlyStatement");
    actions->addWidget(withdraw_);
    actions->addWidget(editDetails_);
    actions->addStretch(1);
    actions->addWidget(month_);
    actions->addWidget(statement_);
    layout->addLayout(actions);
    details_ = new QLabel(this);
    details_->setObjectName("payoutDetailsMasked");
    details_->setWordWrap(true);
    layout->addWidget(details_);
    status_ = new QLabel(this);
    status_->setObjectName("payoutStatus");
    status_->setWordWrap(true);
    layout->addWidget(status_);

    layout->addWidget(heading(tr("Payout history"), this, 1.1));
    history_ = table({tr("Requested"), tr("Amount"), tr("Fee"), tr("You receive"), tr("Status"),
                      tr("Paid to"), tr("Reference or reason"), tr("Resolved")},
                     this);
    history_->setObjectName("payoutHistory");
    layout->addWidget(history_, 1);

    connect(withdraw_, &QPushButton::clicked, this, &PayoutPanel::openWithdrawDialog);
    connect(editDetails_, &QPushButton::clicked, this, &PayoutPanel::openDetailsDialog);
    connect(statement_, &QPushButton::clicked, this, [this] {
        const QString name = QString("statement-%1.csv").arg(month_->date().toString("yyyy-MM"));
        const QString file = QFileDialog::getSaveFileName(this, tr("Save monthly statement"), name,
                                                          tr("CSV files (*.csv)"));
        if (!file.isEmpty())
            saveStatement(month_->date(), file);
    });
    clear();
}

void PayoutPanel::setStatus(const QString& text, bool error) {
    status_->setStyleSheet(error ? "color: #b00020;" : QString());
    status_->setText(text);
}

void PayoutPanel::clear() {
    ++generation_;
    for (QDialog* dialog : findChildren<QDialog*>(Qt::FindDirectChildrenOnly))
        dialog->close(); // a dialog of the previous account (each deletes itself)
    pending_ = 0;
    errors_.clear();
    balancesJson_ = {};
    hasDetails_ = false;
    balances_->setRowCount(0);
    history_->setRowCount(0);
    details_->clear();
    setStatus({}, false);
    updateActions();
    editDetails_->setEnabled(false);
    statement_->setEnabled(false);
}

void PayoutPanel::refresh() {
    const int generation = ++generation_;
    pending_ = 4;
    errors_.clear();
    const auto handle = [this, generation](void (PayoutPanel::*show)(const ApiResult&)) {
        return [this, generation, show](const ApiResult& result) {
            if (generation != generation_)
                return;
            (this->*show)(result);
            finishOne();
        };
    };
    api_.get("/api/wallet", handle(&PayoutPanel::showBalances));
    api_.get("/api/me/payout-details", handle(&PayoutPanel::showDetails));
    api_.get("/api/wallet/withdrawals?limit=100&offset=0", handle(&PayoutPanel::showHistory));
    api_.get("/api/platform", handle(&PayoutPanel::keepPlatform));
}

void PayoutPanel::keepPlatform(const ApiResult& result) {
    platform_ = result.ok() ? result.body : QJsonObject(); // optional: the wallet may say it
}

void PayoutPanel::addWithdrawalTerms() {
    for (qsizetype i = 0; i < balancesJson_.size(); ++i) {
        QJsonObject entry = balancesJson_[i].toObject();
        const QString currency = entry.value("currency").toString();
        for (const auto& [key, setting] : {std::pair{"withdrawal_min", "withdrawal_min_minor"},
                                           std::pair{"withdrawal_fee", "withdrawal_fee_minor"}}) {
            const QJsonValue minor = platform_.value(setting).toObject().value(currency);
            if (!entry.contains(key) && minor.isDouble())
                entry[key] =
                    QJsonObject{{"amount_minor", minor.toInteger()}, {"currency", currency}};
        }
        balancesJson_[i] = entry;
    }
}

void PayoutPanel::finishOne() {
    if (--pending_ > 0)
        return;
    addWithdrawalTerms();
    setStatus(errors_.join('\n'), !errors_.isEmpty());
    editDetails_->setEnabled(true);
    statement_->setEnabled(true);
    updateActions();
    emit loaded();
}

void PayoutPanel::showBalances(const ApiResult& result) {
    balances_->setRowCount(0);
    balancesJson_ = {};
    if (!result.ok()) {
        errors_ << tr("Balances could not be loaded: %1").arg(result.errorMessage);
        return;
    }
    for (const QJsonValue& value : result.body.value("balances").toArray()) {
        const QJsonObject entry = value.toObject();
        if (!entry.contains("available"))
            continue; // a server without money out: plain wallet balances only
        balancesJson_.append(entry);
        const int row = balances_->rowCount();
        balances_->insertRow(row);
        const QJsonObject pendingMoney = entry.value("pending").toObject();
        QString pending = formatted(pendingMoney);
        const QString until = localTime(entry.value("pending_until").isString()
                                            ? entry.value("pending_until")
                                            : pendingMoney.value("pending_until"));
        if (pendingMoney.value("amount_minor").toInteger() > 0 && !until.isEmpty())
            pending = tr("%1 (withdrawable from %2)").arg(pending, until);
        balances_->setItem(row, 0, cell(entry.value("currency").toString()));
        QString available = formatted(entry.value("available"));
        if (entry.value("owed").toObject().value("amount_minor").toInteger() > 0)
            available = tr("%1 (%2 owed after a refund comes out of earnings first)")
                            .arg(available, formatted(entry.value("owed")));
        balances_->setItem(row, 1, cell(available, true));
        balances_->setItem(row, 2, cell(pending, true));
        balances_->setItem(row, 3, cell(formatted(entry.value("held")), true));
        balances_->setItem(row, 4, cell(formatted(entry.value("spendable")), true));
    }
}

void PayoutPanel::showDetails(const ApiResult& result) {
    hasDetails_ = false;
    if (!result.ok()) {
        details_->clear();
        errors_ << tr("Payout details could not be loaded: %1").arg(result.errorMessage);
        return;
    }
    const QString method = result.body.value("method").toString();
    hasDetails_ = !method.isEmpty();
    if (!hasDetails_) {
        details_->setText(tr("No payout details yet: add where to pay you before withdrawing."));
        return;
    }
    QStringList parts;
    const QJsonObject masked = result.body.value("masked").toObject();
    for (auto it = masked.begin(); it != masked.end(); ++it)
        if (!it.value().toString().isEmpty())
            parts << it.value().toString();
    details_->setText(tr("Payouts go to: %1, %2").arg(methodName(method), parts.join(", ")));
    details_->setProperty("method", method);
}

void PayoutPanel::showHistory(const ApiResult& result) {
    history_->setRowCount(0);
    if (!result.ok()) {
        errors_ << tr("Payout history could not be loaded: %1").arg(result.errorMessage);
        return;
    }
    for (const QJsonValue& value : result.body.value("withdrawals").toArray()) {
        const QJsonObject w = value.toObject();
        const int row = history_->rowCount();
        history_->insertRow(row);
        const QString status = w.value("status").toString();
        QString note = w.value("reference").toString();
        if (!w.value("reason").toString().isEmpty())
            note = w.value("reason").toString();
        history_->setItem(row, 0, cell(localTime(w.value("created_at"))));
        history_->setItem(row, 1, cell(formatted(w.value("amount")), true));
        history_->setItem(row, 2, cell(formatted(w.value("fee")), true));
        history_->setItem(row, 3, cell(formatted(w.value("net")), true));
        auto* statusCell = cell(statusName(status));
        if (status == "rejected" || status == "failed")
            statusCell->setForeground(QColor("#b00020"));
        history_->setItem(row, 4, statusCell);
        history_->setItem(row, 5, cell(methodName(w.value("method").toString())));
        history_->setItem(row, 6, cell(note));
        history_->setItem(row, 7, cell(localTime(w.value("resolved_at"))));
    }
}

void PayoutPanel::updateActions() {
    bool any = false;
    for (const QJsonValue& value : balancesJson_) {
        const QJsonObject entry = value.toObject();
        const qint64 available =
            entry.value("available").toObject().value("amount_minor").toInteger();
        const qint64 minimum =
            entry.value("withdrawal_min").toObject().value("amount_minor").toInteger();
        any = any || (available > 0 && available >= minimum);
    }
    withdraw_->setEnabled(!loading() && any && hasDetails_);
    withdraw_->setToolTip(!hasDetails_ ? tr("Add your payout details first.")
                          : !any       ? tr("Nothing is withdrawable yet (or it is below the "
                                                  "minimum).")
                                       : QString());
}

WithdrawDialog* PayoutPanel::openWithdrawDialog() {
    auto* dialog = new WithdrawDialog(api_, balancesJson_, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const QJsonObject w = dialog->withdrawal();
        refresh();
        connect(
            this, &PayoutPanel::loaded, this,
            [this, w] {
                if (errors_.isEmpty())
                    setStatus(tr("Withdrawal of %1 requested (you receive %2); an admin pays "
                                 "it out.")
                                  .arg(formatted(w.value("amount")), formatted(w.value("net"))),
                              false);
            },
            Qt::SingleShotConnection);
    });
    dialog->open();
    return dialog;
}

PayoutDetailsDialog* PayoutPanel::openDetailsDialog() {
    auto* dialog = new PayoutDetailsDialog(api_, details_->property("method").toString(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        ApiResult saved;
        saved.status = 200;
        saved.body = dialog->saved();
        showDetails(saved);
        updateActions();
        setStatus(tr("Payout details saved; a mail confirms the change."), false);
    });
    dialog->open();
    return dialog;
}

void PayoutPanel::saveStatement(const QDate& month, const QString& file,
                                std::function<void(bool)> done) {
    const int generation = generation_;
    statement_->setEnabled(false);
    api_.download(
        "/api/me/statement?month=" + month.toString("yyyy-MM"),
        [this, generation, file, month, done](int, const QByteArray& bytes, const QString& error) {
            if (generation != generation_)
                return;
            statement_->setEnabled(true);
            bool ok = error.isEmpty();
            if (!ok) {
                setStatus(tr("The statement could not be made: %1").arg(error), true);
            } else {
                QSaveFile out(file);
                ok = out.open(QIODevice::WriteOnly) && out.write(bytes) == bytes.size() &&
                     out.commit();
                setStatus(ok ? tr("Statement for %1 saved to %2.")
                                   .arg(QLocale().toString(month, "MMMM yyyy"),
                                        QDir::toNativeSeparators(file))
                             : tr("Could not write %1: %2")
                                   .arg(QDir::toNativeSeparators(file), out.errorString()),
                          !ok);
            }
            if (done)
                done(ok);
        });
}
