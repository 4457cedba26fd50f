#include "admin/MoneyRevenue.h"

#include "admin/MoneyList.h"
#include "common/DayBarChart.h"

#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateEdit>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace {
constexpr int kMaxDays = 366; // one bar per day stays readable up to a year
} // namespace

MoneyRevenue::MoneyRevenue(ApiClient& api, QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    auto* range = new QHBoxLayout;
    from_ = new QDateEdit(QDate::currentDate().addDays(-(kDefaultDays - 1)), this);
    from_->setObjectName("revenueFrom");
    to_ = new QDateEdit(QDate::currentDate(), this);
    to_->setObjectName("revenueTo");
    for (QDateEdit* box : {from_, to_}) {
        box->setCalendarPopup(true);
        box->setDisplayFormat("yyyy-MM-dd");
    }
    currency_ = new QComboBox(this);
    currency_->setObjectName("revenueCurrency");
    currency_->setToolTip(tr("Currency shown in the chart"));
    range->addWidget(new QLabel(tr("From"), this));
    range->addWidget(from_);
    range->addWidget(new QLabel(tr("to"), this));
    range->addWidget(to_);
    range->addStretch(1);
    range->addWidget(currency_);
    layout->addLayout(range);

    chart_ = new QChart;
    chart_->legend()->hide();
    chart_->setBackgroundRoundness(0);
    chart_->setMargins(QMargins(4, 4, 4, 4));
    auto* view = new QChartView(chart_, this);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(180);
    layout->addWidget(view, 3);

    list_ = new MoneyList(
        api, "/api/admin/revenue", "days",
        {{"day", tr("Day")}, {"currency", tr("Currency")}, {"revenue", tr("Platform revenue")}},
        this);
    list_->setObjectName("revenue");
    layout->addWidget(list_, 2);

    connect(from_, &QDateEdit::dateChanged, this, &MoneyRevenue::reload);
    connect(to_, &QDateEdit::dateChanged, this, &MoneyRevenue::reload);
    connect(list_, &MoneyList::loadedRows, this, &MoneyRevenue::showCurrencies);
    connect(currency_, &QComboBox::currentTextChanged, this, &MoneyRevenue::drawChart);
    drawChart();
}

void MoneyRevenue::reload() {
    if (from_->date() > to_->date() || from_->date().daysTo(to_->date()) >= kMaxDays) {
        list_->setStatus(tr("Choose a range of 1 to %1 days, the first day first.").arg(kMaxDays),
                         true);
        return;
    }
    list_->setQuery(
        QString("from=%1&to=%2")
            .arg(from_->date().toString(Qt::ISODate), to_->date().toString(Qt::ISODate)));
    list_->reload();
}

void MoneyRevenue::showCurrencies() {
    QStringList currencies;
    for (const QJsonObject& day : list_->rows()) {
        const QString currency = day.value("currency").toString();
        if (!currency.isEmpty() && !currencies.contains(currency))
            currencies << currency;
    }
    currencies.sort();
    const QString keep = currency_->currentText();
    {
        const QSignalBlocker block(currency_);
        currency_->clear();
        currency_->addItems(currencies);
        if (currencies.contains(keep))
            currency_->setCurrentText(keep);
    }
    currency_->setVisible(currencies.size() > 1);
    drawChart();
}

void MoneyRevenue::drawChart() {
    clearChart(chart_);
    bars_ = nullptr;
    const QString currency = currency_->currentText();
    if (currency.isEmpty()) {
        chart_->setTitle(list_->loaded() ? tr("No revenue in these days")
                                         : tr("Revenue shows here once loaded"));
        return;
    }
    chart_->setTitle(tr("Platform revenue per day (%1)").arg(currency));
    const QDate first = from_->date();
    const int days = static_cast<int>(first.daysTo(to_->date())) + 1;
    QList<double> perDay(days, 0.0);
    for (const QJsonObject& row : list_->rows()) {
        if (row.value("currency").toString() != currency)
            continue;
        const qint64 day =
            first.daysTo(QDate::fromString(row.value("day").toString(), Qt::ISODate));
        if (day >= 0 && day < days)
            perDay[day] += majorUnits(row.value("revenue").toObject());
    }
    bars_ = drawDayBars(chart_, first, perDay, currency);
}

void MoneyRevenue::clear() {
    list_->clear();
    {
        const QSignalBlocker block(currency_);
        currency_->clear();
    }
    drawChart();
}
