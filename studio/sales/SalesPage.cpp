#include "sales/SalesPage.h"

#include "common/DayBarChart.h"
#include "common/Heading.h"
#include "net/ApiClient.h"
#include "net/AuthSession.h"
#include "sales/PayoutPanel.h"
#include "sales/SalesTables.h"

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
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace {

using sales::cell;
using sales::formatted;
using sales::table;

QDate localDay(const QString& isoUtc) {
    return QDateTime::fromString(isoUtc, Qt::ISODate).toLocalTime().date();
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
    tabs_ = new QTabWidget(this);
    tabs_->setObjectName("salesTabs");
    auto* salesTab = new QWidget(tabs_);
    payouts_ = new PayoutPanel(api_, tabs_);
    tabs_->addTab(salesTab, tr("Sales"));
    tabs_->addTab(payouts_, tr("Earnings and payouts"));
    layout->addWidget(tabs_, 1);
    layout = new QVBoxLayout(salesTab); // the sections below live in the Sales tab

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
        clear(tr("Loading...")); // never the previous account's books
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
    payouts_->clear();
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
    payouts_->refresh();
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
    for (const QJsonValue& value : result.body.value("balances").toArray()) {
        // One money each (its total, earnings on hold included), or, without a total, what
        // can be spent.
        const QJsonObject entry = value.toObject();
        balances << formatted(entry.contains("formatted") ? value : entry.value("spendable"));
    }
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
    clearChart(chart_);
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
    bars_ = drawDayBars(chart_, first, perDay, currency);
}
