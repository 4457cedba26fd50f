#pragma once
// Earnings and payouts (the Sales page's second tab): per currency what can be withdrawn now,
// what is still on hold (and until when), what is held in withdrawals awaiting payout and what
// can be spent; Withdraw (WithdrawDialog), where payouts go (PayoutDetailsDialog, shown masked),
// the payout history, and a month's statement saved as CSV. Loads from GET /api/wallet,
// /api/me/payout-details, /api/wallet/withdrawals and /api/platform (the withdrawal minimum
// and fee per currency, "withdrawal_min_minor"/"withdrawal_fee_minor", when the wallet's
// balances do not carry them); clear() forgets everything (sign-out,
// another account). Errors are said in red under the buttons and cleared by the next success.
// GUI thread.

#include "net/ApiClient.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QWidget>

#include <functional>

class PayoutDetailsDialog;
class QDateEdit;
class QLabel;
class QPushButton;
class QTableWidget;
class WithdrawDialog;

class PayoutPanel : public QWidget {
    Q_OBJECT
public:
    PayoutPanel(ApiClient& api, QWidget* parent);

    void refresh();
    void clear();
    bool loading() const { return pending_ > 0; }

    // Opens the dialog (window-modal, not blocking); it deletes itself when closed and a
    // request it makes reloads this panel.
    WithdrawDialog* openWithdrawDialog();
    PayoutDetailsDialog* openDetailsDialog();
    // Saves the statement of `month` (its year and month) to `file`; `done(ok)` after.
    void saveStatement(const QDate& month, const QString& file,
                       std::function<void(bool)> done = {});

    // For tests and automation.
    QTableWidget* balancesTable() const { return balances_; }
    QTableWidget* historyTable() const { return history_; }
    QLabel* detailsLabel() const { return details_; }
    QLabel* statusLabel() const { return status_; }
    QPushButton* withdrawButton() const { return withdraw_; }
    QPushButton* detailsButton() const { return editDetails_; }
    QPushButton* statementButton() const { return statement_; }
    QDateEdit* monthBox() const { return month_; }

signals:
    void loaded(); // every answer of a refresh is in

private:
    void showBalances(const ApiResult& result);
    void showDetails(const ApiResult& result);
    void showHistory(const ApiResult& result);
    void keepPlatform(const ApiResult& result);
    void addWithdrawalTerms();
    void finishOne();
    void setStatus(const QString& text, bool error);
    void updateActions();

    ApiClient& api_;
    int generation_ = 0; // answers for an older refresh (or account) are dropped
    int pending_ = 0;
    QStringList errors_;
    QJsonArray balancesJson_;
    QJsonObject platform_;
    bool hasDetails_ = false;

    QTableWidget* balances_;
    QLabel* details_;
    QPushButton* withdraw_;
    QPushButton* editDetails_;
    QDateEdit* month_;
    QPushButton* statement_;
    QLabel* status_;
    QTableWidget* history_;
};
