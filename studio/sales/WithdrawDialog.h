#pragma once
// "Withdraw": asks for an amount of one currency's available earnings, shows the fee and what
// arrives before anything is sent, keeps Withdraw disabled below the minimum or above what is
// available, says plainly that deposited money cannot be withdrawn, then POSTs
// /api/wallet/withdrawals with one Idempotency-Key per dialog (a double click or a retry asks
// once). The minimum and fee come with the wallet's balances ("withdrawal_min",
// "withdrawal_fee"); without them the server's answer says what it took. Stays open with the
// server's message in red when refused; accepts when the request is made. GUI thread.

#include "net/ApiClient.h"

#include <QDialog>
#include <QJsonArray>
#include <QJsonObject>

#include <optional>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

class WithdrawDialog : public QDialog {
    Q_OBJECT
public:
    // `balances`: the wallet's per-currency entries (currency, available, withdrawal_min, ...).
    WithdrawDialog(ApiClient& api, const QJsonArray& balances, QWidget* parent);

    QComboBox* currencyBox() const { return currency_; }
    QLineEdit* amountField() const { return amount_; }
    QLabel* feeLabel() const { return fee_; }
    QLabel* errorLabel() const { return error_; }
    QPushButton* withdrawButton() const { return withdraw_; }
    // The server's answer to the request once made ({"id","status","amount","fee","net"}).
    const QJsonObject& withdrawal() const { return withdrawal_; }

private:
    QJsonObject entry() const;
    // The typed amount in minor units of the chosen currency, if it parses.
    std::optional<qint64> amountMinor() const;
    void update();
    void send();

    ApiClient& api_;
    QJsonArray balances_;
    QString idempotencyKey_;
    QJsonObject withdrawal_;
    bool sending_ = false;

    QComboBox* currency_;
    QLineEdit* amount_;
    QLabel* available_;
    QLabel* fee_;
    QLabel* error_;
    QDialogButtonBox* buttons_;
    QPushButton* withdraw_;
};
