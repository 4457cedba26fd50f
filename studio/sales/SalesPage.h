#pragma once
// Sales (creators): what the signed-in creator sold and earned, from the server's own books —
// totals per currency (sales, gross, platform fees, affiliate commissions, what they earned),
// a chart of earnings per day over the last 30 days, every recent sale, the wallet the earnings
// go to, and what they earned as an affiliate of other creators; a second tab holds earnings
// and payouts (PayoutPanel: withdraw, payout details, history, statements). Loads when shown,
// after sign-in and on Refresh; forgets everything on sign-out or another sign-in. Errors are
// said on the page.

#include <QDate>
#include <QJsonArray>
#include <QWidget>

class ApiClient;
class AuthSession;
class PayoutPanel;
class QBarSet;
class QChart;
class QComboBox;
class QLabel;
class QPushButton;
class QTabWidget;
class QTableWidget;
struct ApiResult;

class SalesPage : public QWidget {
    Q_OBJECT
public:
    SalesPage(ApiClient& api, AuthSession& session, QWidget* parent);

    // Asks the server again (what Refresh does).
    void refresh();

    // Days shown in the chart, ending today.
    static constexpr int kChartDays = 30;

    QLabel* statusLabel() const { return status_; }
    QChart* chart() const { return chart_; }
    QLabel* walletLabel() const { return wallet_; }
    QLabel* affiliateLabel() const { return affiliate_; }
    QPushButton* refreshButton() const { return refresh_; }
    QTableWidget* totalsTable() const { return totals_; }
    QTableWidget* salesTable() const { return sales_; }
    QComboBox* currencyBox() const { return currency_; }
    QTabWidget* tabs() const { return tabs_; }
    PayoutPanel* payoutPanel() const { return payouts_; }
    // The chart's bars: earnings per day in major units of currencyBox()'s currency, oldest
    // first; the last day is `chartLastDay()`.
    QBarSet* earningsBars() const { return bars_; }
    QDate chartLastDay() const { return lastDay_; }

protected:
    void showEvent(QShowEvent* event) override;

private:
    void clear(const QString& message);
    void showSales(const ApiResult& result);
    void showWallet(const ApiResult& result);
    void showAffiliate(const ApiResult& result);
    void drawChart();

    ApiClient& api_;
    AuthSession& session_;
    int generation_ = 0; // replies of an older refresh (or user) are dropped
    int pending_ = 0;
    QJsonArray salesJson_;

    QLabel* status_;
    QPushButton* refresh_;
    QTabWidget* tabs_;
    PayoutPanel* payouts_;
    QTableWidget* totals_;
    QComboBox* currency_;
    QChart* chart_;
    QBarSet* bars_ = nullptr;
    QDate lastDay_;
    QTableWidget* sales_;
    QLabel* wallet_;
    QLabel* affiliate_;
};
