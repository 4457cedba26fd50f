#include "common/DayBarChart.h"

#include "reelgate/core/Currency.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QLocale>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

double majorUnits(const QJsonObject& money) {
    const auto currency =
        reelgate::core::Currency::tryFromCode(money.value("currency").toString().toStdString());
    const int digits = currency ? currency->minorDigits() : 2;
    return static_cast<double>(money.value("amount_minor").toInteger()) / std::pow(10.0, digits);
}

void clearChart(QChart* chart) {
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes())
        chart->removeAxis(axis);
}

QBarSet* drawDayBars(QChart* chart, const QDate& first, const QList<double>& perDay,
                     const QString& currency) {
    auto* bars = new QBarSet(currency);
    QStringList labels;
    double highest = 0;
    for (qsizetype day = 0; day < perDay.size(); ++day) {
        *bars << perDay[day];
        highest = std::max(highest, perDay[day]);
        labels << QLocale().toString(first.addDays(day), "d MMM");
    }
    auto* series = new QBarSeries;
    series->append(bars);
    series->setBarWidth(0.8);
    chart->addSeries(series);
    auto* days = new QBarCategoryAxis;
    days->append(labels);
    days->setLabelsAngle(-90);
    chart->addAxis(days, Qt::AlignBottom);
    series->attachAxis(days);
    auto* amounts = new QValueAxis;
    amounts->setRange(0, highest > 0 ? highest * 1.1 : 1.0);
    amounts->applyNiceNumbers();
    amounts->setLabelFormat("%.2f");
    amounts->setTitleText(currency);
    chart->addAxis(amounts, Qt::AlignLeft);
    series->attachAxis(amounts);
    return bars;
}
