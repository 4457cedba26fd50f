#pragma once
// Money per day as bars (the Sales page's earnings, the admin's platform revenue): one bar per
// calendar day from `first`, amounts in major units of one currency, a value axis titled with
// the currency. Helpers only; the chart owns what they add. GUI thread.

#include <QDate>
#include <QJsonObject>
#include <QList>

class QBarSet;
class QChart;

// An amount {"amount_minor","currency"} in major units (4.99 for 499 cents), for drawing only.
double majorUnits(const QJsonObject& money);

// Removes every series and axis from `chart`.
void clearChart(QChart* chart);

// Draws perDay[i] as the bar of first + i days; returns the bar set (owned by the chart).
QBarSet* drawDayBars(QChart* chart, const QDate& first, const QList<double>& perDay,
                     const QString& currency);
