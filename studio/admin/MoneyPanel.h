#pragma once
// The admin's money desk (the Admin page's Money tab), one inner tab per job: the withdrawal
// approval queue, refunds, disputes, affiliate commissions, platform revenue per day, the trial
// balance and the audit log of every admin action on money. Each list loads the first time its
// tab is shown while an admin is signed in (and on Reload), exports CSV, and is forgotten when
// the account changes or signs out. Wires itself to the session, so the Admin page only adds
// it as a tab. GUI thread.

#include <QWidget>

class ApiClient;
class AuthSession;
class MoneyList;
class MoneyRefunds;
class MoneyRevenue;
class MoneyTrialBalance;
class MoneyWithdrawals;
class QTabWidget;

class MoneyPanel : public QWidget {
    Q_OBJECT
public:
    MoneyPanel(ApiClient& api, AuthSession& session, QWidget* parent);

    // Loads the shown inner tab when it is not loaded yet (an admin must be signed in).
    void reload();
    void clear();

    // For tests and automation.
    QTabWidget* tabs() const { return tabs_; }
    MoneyWithdrawals* withdrawals() const { return withdrawals_; }
    MoneyRefunds* refunds() const { return refunds_; }
    MoneyList* disputes() const { return disputes_; }
    MoneyList* commissions() const { return commissions_; }
    MoneyRevenue* revenue() const { return revenue_; }
    MoneyTrialBalance* trialBalance() const { return trial_; }
    MoneyList* audit() const { return audit_; }
    // Shows the inner tab holding `page` (loading it when needed).
    void showTab(QWidget* page);

protected:
    void showEvent(QShowEvent* event) override;

private:
    bool adminSignedIn() const;
    void loadCurrent();

    AuthSession& session_;
    QTabWidget* tabs_;
    MoneyWithdrawals* withdrawals_;
    MoneyRefunds* refunds_;
    MoneyList* disputes_;
    MoneyList* commissions_;
    MoneyRevenue* revenue_;
    MoneyTrialBalance* trial_;
    MoneyList* audit_;
};
