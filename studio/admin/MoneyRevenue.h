#pragma once
// Platform revenue (GET /api/admin/revenue?from=&to=, days inclusive, local calendar dates):
// a bar chart of one currency's revenue per day (a box picks the currency when there are
// several) above the list of days, which exports as CSV like every money list. GUI thread.

#include <QWidget>

class ApiClient;
class MoneyList;
class QBarSet;
class QChart;
class QComboBox;
class QDateEdit;

class MoneyRevenue : public QWidget {
    Q_OBJECT
public:
    static constexpr int kDefaultDays = 30;

    MoneyRevenue(ApiClient& api, QWidget* parent);

    void reload();
    void clear();
    MoneyList* list() const { return list_; }
    QDateEdit* fromBox() const { return from_; }
    QDateEdit* toBox() const { return to_; }
    QComboBox* currencyBox() const { return currency_; }
    QChart* chart() const { return chart_; }
    // Revenue per day in major units of currencyBox()'s currency, from fromBox() on; nullptr
    // when nothing is drawn.
    QBarSet* revenueBars() const { return bars_; }

private:
    void showCurrencies();
    void drawChart();

    MoneyList* list_;
    QDateEdit* from_;
    QDateEdit* to_;
    QComboBox* currency_;
    QChart* chart_;
    QBarSet* bars_ = nullptr;
};
