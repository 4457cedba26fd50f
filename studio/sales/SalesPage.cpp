#include "sales/SalesPage.h"

#include "common/Heading.h"
#include "net/ApiClient.h"
#include "net/AuthSession.h"
#include "reelgate/core/Currency.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QMap>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>

namespace {

QString formatted(const QJsonValue& money) {
    return money.toObject().value("formatted").toString();
}

// An amount in major units (4.99 for 499 cents) for the chart.
double majorUnits(const QJsonObject& money) {
    const auto currency =
        reelgate::core::Currency::tryFromCode(money.value("currency").toString().toStdString());
    const int digits = currency ? currency->minorDigits() : 2;
    return static_cast<double>(money.value("amount_minor").toInteger()) / std::pow(10.0, digits);
}

QDate localDay(const QString& isoUtc) {
    return QDateTime::fromString(isoUtc, Qt::ISODate).toLocalTime().date();
}

QTableWidgetItem* cell(const QString& text, bool number = false) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(item->flags() & ~Qt::ItemIsEditable);
    if (number)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QTableWidget* table(const QStringList& headers, QWidget* parent) {
    auto* t = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    t->setHorizontalHeaderLabels(headers);
    t->verticalHeader()->hide();
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    return t;
}

} // namespace

SalesPage::SalesPage(ApiClient& api, AuthSession& session, QWidget* parent)
    : QWidget(parent)
    , api_(api)
    , session_(session) {
    auto* layout = new QVBoxLayout(this);
    usePageMargins(layout);
    auto* top = new QHBoxLayout;
    top->addWidget(pageHeading(tr("Sales"), this), 0, Qt::AlignTop);
    top->addStretch(1);
    refresh_ = new QPushButton(tr("Refresh"), this);
    refresh_->setObjectName("refreshSales");
    top->addWidget(refresh_);
    layout->addLayout(top);
    status_ = new QLabel(this);
    status_->setObjectName("salesStatus");
    status_->setWordWrap(true);
    layout->addWidget(status_);

    totals_ = table({tr("Currency"), tr("Sales"), tr("Buyers paid"), tr("Platform fees"),
                     tr("Affiliate commissions"), tr("You earned")},
                    this);
    totals_->setObjectName("salesTotals");
    totals_->setMaximumHeight(110);
    totals_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    layout->addWidget(totals_);
    wallet_ = new QLabel(this);
    wallet_->setObjectName("walletBalance");
    layout->addWidget(wallet_);

    auto* chartRow = new QHBoxLayout;
    chartRow->addWidget(heading(tr("Earnings per day, last %1 days").arg(kChartDays), this, 1.1));
    chartRow->addStretch(1);
    currency_ = new QComboBox(this);
    currency_->setObjectName("chartCurrency");
    currency_->setToolTip(tr("Currency shown in the chart"));
    chartRow->addWidget(currency_);
    layout->addLayout(chartRow);
    chart_ = new QChart;
    chart_->legend()->hide();
    chart_->setBackgroundRoundness(0);
    chart_->setMargins(QMargins(4, 4, 4, 4));
    auto* chartView = new QChartView(chart_, this);
    chartView->setRenderHint(QPainter::Antialiasing);
    chartView->setMinimumHeight(200);
    layout->addWidget(chartView, 2);

    layout->addWidget(heading(tr("Recent sales"), this, 1.1));
    sales_ = table({tr("Date"), tr("Video"), tr("Buyer paid"), tr("Platform fee"), tr("Affiliate"),
                    tr("You earned")},
                   this);
    sales_->setObjectName("salesList");
    sales_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    sales_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    layout->addWidget(sales_, 3);
    affiliate_ = new QLabel(this);
    affiliate_->setObjectName("affiliateEarnings");
    affiliate_->setWordWrap(true);
    layout->addWidget(affiliate_);

    connect(refresh_, &QPushButton::clicked, this, &SalesPage::refresh);
    connect(currency_, &QComboBox::currentTextChanged, this, &SalesPage::drawChart);
    connect(&session_, &AuthSession::signedIn, this, [this] {
        if (isVisible())
            refresh();
    });
    connect(&session_, &AuthSession::signedOut, this,
            [this] { clear(tr("Sign in to see your sales.")); });
    clear(tr("Sign in to see your sales."));
}

void SalesPage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    refresh();
}

void SalesPage::clear(const QString& message) {
    ++generation_;
    pending_ = 0;
    salesJson_ = {};
    status_->setText(message);
    totals_->setRowCount(0);
    sales_->setRowCount(0);
    wallet_->clear();
    affiliate_->clear();
    currency_->clear();
    drawChart();
    refresh_->setEnabled(session_.isSignedIn());
}

void SalesPage::refresh() {
    if (!session_.isSignedIn()) {
        clear(tr("Sign in to see your sales."));
        return;
    }
    const int generation = ++generation_;
    pending_ = 3;
    refresh_->setEnabled(false);
    status_->setText(tr("Loading..."));
    const auto handle = [this, generation](void (SalesPage::*show)(const ApiResult&)) {
        return [this, generation, show](const ApiResult& result) {
            if (generation != generation_)
                return;
            (this->*show)(result);
            if (--pending_ == 0)
                refresh_->setEnabled(true);
        };
    };
    api_.get("/api/me/sales", handle(&SalesPage::showSales));
    api_.get("/api/wallet", handle(&SalesPage::showWallet));
    api_.get("/api/me/affiliate", handle(&SalesPage::showAffiliate));
}

void SalesPage::showSales(const ApiResult& result) {
    totals_->setRowCount(0);
    sales_->setRowCount(0);
    salesJson_ = {};
    if (!result.ok()) {
        status_->setText(
            result.status == 403
                ? tr("This account does not sell videos yet: %1").arg(result.errorMessage)
                : tr("Sales could not be loaded: %1").arg(result.errorMessage));
        currency_->clear();
        drawChart();
        return;
    }
    const QJsonArray totals = result.body.value("totals").toArray();
    QStringList currencies;
    QString busiest; // the chart starts with the currency of most sales
    qint64 mostSales = 0;
    for (const QJsonValue& value : totals) {
        const QJsonObject total = value.toObject();
        const int row = totals_->rowCount();
        totals_->insertRow(row);
        currencies << total.value("currency").toString();
        if (total.value("sales").toInteger() > mostSales) {
            mostSales = total.value("sales").toInteger();
            busiest = currencies.last();
        }
        totals_->setItem(row, 0, cell(currencies.last()));
        totals_->setItem(row, 1, cell(QLocale().toString(total.value("sales").toInteger()), true));
        totals_->setItem(row, 2, cell(formatted(total.value("gross")), true));
        totals_->setItem(row, 3, cell(formatted(total.value("fees")), true));
        totals_->setItem(row, 4, cell(formatted(total.value("commissions")), true));
        totals_->setItem(row, 5, cell(formatted(total.value("net")), true));
    }

    salesJson_ = result.body.value("sales").toArray();
    for (const QJsonValue& value : salesJson_) {
        const QJsonObject sale = value.toObject();
        const int row = sales_->rowCount();
        sales_->insertRow(row);
        const QDateTime when =
            QDateTime::fromString(sale.value("created_at").toString(), Qt::ISODate).toLocalTime();
        sales_->setItem(row, 0, cell(QLocale().toString(when, QLocale::ShortFormat)));
        sales_->setItem(row, 1, cell(sale.value("video").toObject().value("title").toString()));
        sales_->setItem(row, 2, cell(formatted(sale.value("price")), true));
        sales_->setItem(row, 3, cell(formatted(sale.value("fee")), true));
        const QString affiliate = sale.value("affiliate").toString();
        sales_->setItem(
            row, 4,
            cell(affiliate.isEmpty()
                     ? tr("none")
                     : tr("%1 (%2)").arg(affiliate, formatted(sale.value("commission")))));
        sales_->setItem(row, 5, cell(formatted(sale.value("net")), true));
    }

    const QString keep = currency_->currentText();
    {
        const QSignalBlocker block(currency_);
        currency_->clear();
        currency_->addItems(currencies);
        currency_->setCurrentText(currencies.contains(keep) ? keep : busiest);
    }
    currency_->setVisible(currencies.size() > 1);
    drawChart();
    status_->setText(
        totals.isEmpty()
            ? tr("No sales yet. Share your video pages (and affiliate links) to sell.")
            : tr("Updated %1.")
                  .arg(QLocale().toString(QTime::currentTime(), QLocale::ShortFormat)));
}

void SalesPage::showWallet(const ApiResult& result) {
    if (!result.ok()) {
        wallet_->setText(tr("Wallet could not be loaded: %1").arg(result.errorMessage));
        return;
    }
    QStringList balances;
    for (const QJsonValue& value : result.body.value("balances").toArray())
        balances << formatted(value);
    wallet_->setText(
        balances.isEmpty()
            ? tr("Your earnings are credited to your wallet; it is empty so far.")
            : tr("In your wallet (earnings are credited there): %1").arg(balances.join(", ")));
}

void SalesPage::showAffiliate(const ApiResult& result) {
    if (!result.ok()) {
        affiliate_->setText(
            tr("Affiliate earnings could not be loaded: %1").arg(result.errorMessage));
        return;
    }
    QStringList earned;
    for (const QJsonValue& value : result.body.value("earnings").toArray()) {
        const QJsonObject money = value.toObject();
        const int sales = money.value("sales").toInt();
        const QString amount = money.value("formatted").toString();
        earned << (sales == 1 ? tr("%1 from 1 sale").arg(amount)
                              : tr("%1 from %2 sales").arg(amount).arg(sales));
    }
    affiliate_->setText(
        earned.isEmpty()
            ? QString()
            : tr("As an affiliate of other creators you earned %1.").arg(earned.join(", ")));
}

void SalesPage::drawChart() {
    chart_->removeAllSeries();
    for (QAbstractAxis* axis : chart_->axes())
        chart_->removeAxis(axis);
    bars_ = nullptr;
    lastDay_ = QDate::currentDate();
    const QString currency = currency_->currentText();
    if (currency.isEmpty()) {
        // Never a blank box: say why there is nothing to draw.
        chart_->setTitle(session_.isSignedIn() ? tr("No sales to show yet")
                                               : tr("Sign in to see your sales"));
        return;
    }
    chart_->setTitle(QString());
    const QDate first = lastDay_.addDays(-(kChartDays - 1));
    QList<double> perDay(kChartDays, 0.0);
    for (const QJsonValue& value : salesJson_) {
        const QJsonObject sale = value.toObject();
        const QJsonObject net = sale.value("net").toObject();
        if (net.value("currency").toString() != currency)
            continue;
        const qint64 day = first.daysTo(localDay(sale.value("created_at").toString()));
        if (day >= 0 && day < kChartDays)
            perDay[day] += majorUnits(net);
    }
    bars_ = new QBarSet(currency);
    QStringList labels;
    double highest = 0;
    for (int day = 0; day < kChartDays; ++day) {
        *bars_ << perDay[day];
        highest = std::max(highest, perDay[day]);
        labels << QLocale().toString(first.addDays(day), "d MMM");
    }
    auto* series = new QBarSeries;
    series->append(bars_);
    series->setBarWidth(0.8);
    chart_->addSeries(series);
    auto* days = new QBarCategoryAxis;
    days->append(labels);
    days->setLabelsAngle(-90);
    chart_->addAxis(days, Qt::AlignBottom);
    series->attachAxis(days);
    auto* amounts = new QValueAxis;
    amounts->setRange(0, highest > 0 ? highest * 1.1 : 1.0);
    amounts->applyNiceNumbers();
    amounts->setLabelFormat("%.2f");
    amounts->setTitleText(currency);
    chart_->addAxis(amounts, Qt::AlignLeft);
    series->attachAxis(amounts);
}
