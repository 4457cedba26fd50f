#pragma once
// The trial balance (GET /api/admin/trial-balance): every ledger account with its balance, and
// per currency the sum of all of them, which double-entry books keep at exactly zero. A line
// above the list says, per currency, that it balances, or in red by how much it does not.
// GUI thread.

#include <QWidget>

class ApiClient;
class MoneyList;
class QLabel;

class MoneyTrialBalance : public QWidget {
    Q_OBJECT
public:
    MoneyTrialBalance(ApiClient& api, QWidget* parent);

    MoneyList* list() const { return list_; }
    QLabel* totalsLabel() const { return totals_; }
    void clear();

private:
    void showTotals();

    MoneyList* list_;
    QLabel* totals_;
};
