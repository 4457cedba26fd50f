// The studio's Sales page, offscreen, against the real server: a creator with sales in two
// currencies (one through an affiliate) sees the totals the test's own books expect, every
// sale, the chart of what they earned, their wallet; Refresh shows a new sale; an account that
// does not sell is told so; signing out clears the page. Earnings and payouts: money a buyer
// deposited is spendable but not withdrawable (Withdraw stays disabled), a creator's earnings
// are, and the monthly statement is saved as the server's CSV.

#include "Marketplace.h"
#include "WindowSupport.h"
#include "net/ApiClient.h"
#include "sales/PayoutPanel.h"
#include "sales/SalesPage.h"
#include "sales/WithdrawDialog.h"

#include <QBarSet>
#include <QChart>
#include <QComboBox>
#include <QDateEdit>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QUuid>

using namespace reelgate::test;

namespace {

constexpr const char* kPassword = "long password 123";

QStringList rowTexts(QTableWidget* table, int row) {
    QStringList out;
    for (int column = 0; column < table->columnCount(); ++column)
        out << (table->item(row, column) ? table->item(row, column)->text() : QString());
    return out;
}

int rowWith(QTableWidget* table, int column, const QString& text) {
    for (int row = 0; row < table->rowCount(); ++row)
        if (table->item(row, column) && table->item(row, column)->text() == text)
            return row;
    return -1;
}

double barsSum(const QBarSet* bars) {
    double sum = 0;
    for (int i = 0; bars && i < bars->count(); ++i)
        sum += bars->at(i);
    return sum;
}

} // namespace

class TestSalesPage : public QObject {
    Q_OBJECT

    Marketplace market_;
    QString train_;   // 4.99 USD, 20 % to affiliates
    QString harbour_; // 3.00 EUR, no affiliate program

    bool buy(const QString& buyer, const QString& video, const QString& ref = {}) {
        QJsonObject body;
        if (!ref.isEmpty())
            body["ref"] = ref;
        const auto reply = market_.client(buyer)->send(
            "POST", "/api/videos/" + video + "/purchase", QJsonDocument(body).toJson(),
            "application/json", {{"Idempotency-Key", QUuid::createUuid().toByteArray()}});
        if (reply.status != 201)
            qWarning() << "purchase" << reply.status << reply.body;
        return reply.status == 201;
    }

    std::unique_ptr<MainWindow> windowFor(const QString& user) {
        auto window = studiotest::signedInWindow(market_.server().baseUrl(), user, kPassword);
        if (window)
            window->showPage("sales");
        return window;
    }

    static bool loaded(SalesPage* page) {
        return QTest::qWaitFor([&] { return page->refreshButton()->isEnabled(); }, 15000);
    }

private slots:
    void initTestCase() {
        studiotest::usePrivateHome(market_.workDir());
        QVERIFY2(market_.start(), qPrintable(market_.server().log()));
        QVERIFY(market_.signUp("maker", true));
        for (const char* name : {"ana", "ben", "cleo", "pal"})
            QVERIFY(market_.signUp(name));
        train_ = market_.publish("maker", "Night Train", "4.99", "USD", 2000);
        harbour_ = market_.publish("maker", "Harbour", "3.00", "EUR", 0);
        QVERIFY(!train_.isEmpty() && !harbour_.isEmpty());
        QVERIFY(market_.credit("ana", "10", "USD"));
        QVERIFY(market_.credit("ben", "10", "USD"));
        QVERIFY(market_.credit("cleo", "10", "EUR"));
        QVERIFY(market_.credit("pal", "10", "EUR"));
        QVERIFY(buy("ana", train_, "pal"));
        QVERIFY(buy("ben", train_));
        QVERIFY(buy("cleo", harbour_));
    }

    void creatorSeesTheirBooks() {
        auto window = windowFor("maker");
        QVERIFY(window);
        SalesPage* page = window->salesPage();
        QVERIFY(loaded(page));
        QVERIFY2(page->statusLabel()->text().startsWith("Updated"),
                 qPrintable(page->statusLabel()->text()));

        // Our own books: 10 % platform fee and 20 % commission, each floored to the cent.
        // USD: 2 x 4.99 = 9.98; fees 2 x 0.49; one commission 0.99; the creator 8.01.
        // EUR: 3.00; fee 0.30; the creator 2.70.
        QCOMPARE(page->totalsTable()->rowCount(), 2);
        QCOMPARE(rowTexts(page->totalsTable(), rowWith(page->totalsTable(), 0, "USD")),
                 (QStringList{"USD", "2", "9.98 USD", "0.98 USD", "0.99 USD", "8.01 USD"}));
        QCOMPARE(rowTexts(page->totalsTable(), rowWith(page->totalsTable(), 0, "EUR")),
                 (QStringList{"EUR", "1", "3.00 EUR", "0.30 EUR", "0.00 EUR", "2.70 EUR"}));

        // Every sale, newest first; the affiliate sale names the affiliate and their share.
        QTableWidget* sales = page->salesTable();
        QCOMPARE(sales->rowCount(), 3);
        QCOMPARE(sales->item(0, 1)->text(), QString("Harbour"));
        QCOMPARE(rowTexts(sales, 2).mid(1), (QStringList{"Night Train", "4.99 USD", "0.49 USD",
                                                         "pal (0.99 USD)", "3.51 USD"}));
        QCOMPARE(rowTexts(sales, 1).mid(1),
                 (QStringList{"Night Train", "4.99 USD", "0.49 USD", "none", "4.50 USD"}));

        // The chart: what they earned per day, per currency, over the last 30 days.
        QCOMPARE(page->currencyBox()->count(), 2);
        QVERIFY(page->earningsBars());
        QCOMPARE(page->earningsBars()->count(), SalesPage::kChartDays);
        page->currencyBox()->setCurrentText("USD");
        QVERIFY(qFuzzyCompare(barsSum(page->earningsBars()), 8.01));
        QVERIFY(qFuzzyCompare(page->earningsBars()->at(SalesPage::kChartDays - 1) + 1.0,
                              8.01 + 1.0) ||
                QDate::currentDate() != page->chartLastDay()); // sold today (unless midnight)
        page->currencyBox()->setCurrentText("EUR");
        QVERIFY(qFuzzyCompare(barsSum(page->earningsBars()), 2.70));

        // The money is in their wallet.
        const QString wallet = page->walletLabel()->text();
        QVERIFY2(wallet.contains("8.01 USD") && wallet.contains("2.70 EUR"), qPrintable(wallet));

        // A new sale shows after Refresh.
        QVERIFY(buy("pal", harbour_));
        QTest::mouseClick(page->refreshButton(), Qt::LeftButton);
        QVERIFY(loaded(page));
        QCOMPARE(rowTexts(page->totalsTable(), rowWith(page->totalsTable(), 0, "EUR")),
                 (QStringList{"EUR", "2", "6.00 EUR", "0.60 EUR", "0.00 EUR", "5.40 EUR"}));
        QCOMPARE(page->salesTable()->rowCount(), 4);
        QVERIFY(qFuzzyCompare(barsSum(page->earningsBars()), 5.40));

        // Signing out forgets it all.
        window->session().signOut();
        QVERIFY(QTest::qWaitFor([&] { return page->totalsTable()->rowCount() == 0; }, 10000));
        QCOMPARE(page->salesTable()->rowCount(), 0);
        QVERIFY(page->walletLabel()->text().isEmpty());
        QVERIFY(page->statusLabel()->text().contains("Sign in"));
    }

    // What a person (or a paste) may type as an amount: only a plain decimal within what is
    // available, at or above the minimum and above the fee enables Withdraw.
    void withdrawAmounts_data() {
        QTest::addColumn<QString>("amount");
        QTest::addColumn<bool>("enabled");
        QTest::addColumn<QString>("says");
        QTest::newRow("everything") << "9.00" << true << "you receive 8.75 USD";
        QTest::newRow("the minimum") << "1.00" << true << "you receive 0.75 USD";
        QTest::newRow("below the minimum") << "0.99" << false << "minimum is 1.00 USD";
        QTest::newRow("more than available") << "9.01" << false << "More than the 9.00 USD";
        QTest::newRow("negative") << "-5.00" << false << "Type an amount";
        QTest::newRow("zero") << "0" << false << "Type an amount";
        QTest::newRow("too many decimals") << "1.001" << false << "Type an amount";
        QTest::newRow("exponent") << "1e3" << false << "Type an amount";
        QTest::newRow("beyond int64") << "99999999999999999999" << false << "Type an amount";
        QTest::newRow("thousands separator") << "1,000.00" << false << "Type an amount";
        QTest::newRow("not a number") << "all of it" << false << "Type an amount";
    }
    void withdrawAmounts() {
        QFETCH(QString, amount);
        QFETCH(bool, enabled);
        QFETCH(QString, says);
        const auto money = [](qint64 minor) {
            return QJsonObject{{"amount_minor", minor}, {"currency", "USD"}};
        };
        const QJsonArray balances{QJsonObject{{"currency", "USD"},
                                              {"available", money(900)},
                                              {"spendable", money(900)},
                                              {"withdrawal_min", money(100)},
                                              {"withdrawal_fee", money(25)}}};
        ApiClient api(nullptr);
        WithdrawDialog dialog(api, balances, nullptr);
        QCOMPARE(dialog.amountField()->text(), QString("9.00")); // starts with all of it
        dialog.amountField()->setText(amount);
        QCOMPARE(dialog.withdrawButton()->isEnabled(), enabled);
        QVERIFY2(dialog.feeLabel()->text().contains(says), qPrintable(dialog.feeLabel()->text()));
    }

    void depositsAreNotWithdrawable() {
        const bool moneyOut = market_.client("ana")->get("/api/wallet/withdrawals").status == 200;
        auto window = windowFor("ana");
        QVERIFY(window);
        SalesPage* page = window->salesPage();
        page->tabs()->setCurrentWidget(page->payoutPanel());
        PayoutPanel* payouts = page->payoutPanel();
        QVERIFY(QTest::qWaitFor([&] { return !payouts->loading(); }, 15000));
        QVERIFY(!payouts->withdrawButton()->isEnabled());
        window->resize(1366, 768);
        studiotest::snapshot(*window, "sales-payouts-buyer");
        if (!moneyOut) {
            // The server has no payouts yet: said in red, nothing offered.
            QVERIFY(payouts->statusLabel()->styleSheet().contains("#b00020"));
            QCOMPARE(payouts->balancesTable()->rowCount(), 0);
            QFAIL("the server answers no money-out routes");
        }
        // ana deposited 10 USD and spent 4.99: 5.01 spendable, nothing withdrawable.
        QCOMPARE(payouts->balancesTable()->rowCount(), 1);
        QCOMPARE(payouts->balancesTable()->item(0, 4)->text(), QString("5.01 USD"));
        QCOMPARE(payouts->balancesTable()->item(0, 1)->text(), QString("0.00 USD"));
        // Even opened anyway, the dialog has nothing to withdraw and says why.
        WithdrawDialog* dialog = payouts->openWithdrawDialog();
        QVERIFY(!dialog->withdrawButton()->isEnabled());
        QVERIFY(
            dialog->findChild<QLabel*>("withdrawExplain")->text().contains("cannot be withdrawn"));
        dialog->close();
        // The monthly statement: the server's CSV, saved where asked.
        const QString file = market_.workDir() + "/statement.csv";
        bool saved = false;
        payouts->saveStatement(QDate::currentDate(), file, [&](bool ok) { saved = ok; });
        QVERIFY(QTest::qWaitFor([&] { return saved; }, 15000));
        QFile csv(file);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QByteArray text = csv.readAll();
        QVERIFY2(text.startsWith("date,kind,description,amount,currency,balance"),
                 text.constData());
        QVERIFY2(text.contains("4.99"), text.constData());
        QVERIFY(payouts->statusLabel()->text().contains("saved"));

        // Signing out closes a dialog left open and forgets the balances.
        const QPointer<WithdrawDialog> open = payouts->openWithdrawDialog();
        window->session().signOut();
        QVERIFY(QTest::qWaitFor([&] { return open.isNull(); }, 10000));
        QCOMPARE(payouts->balancesTable()->rowCount(), 0);
        QVERIFY(!payouts->withdrawButton()->isEnabled());
    }

    void othersAreToldWhy() {
        // An affiliate who does not sell: told so, and shown what they earned as an affiliate.
        auto window = windowFor("pal");
        QVERIFY(window);
        SalesPage* page = window->salesPage();
        QVERIFY(loaded(page));
        QVERIFY2(page->statusLabel()->text().contains("does not sell videos yet"),
                 qPrintable(page->statusLabel()->text()));
        QCOMPARE(page->totalsTable()->rowCount(), 0);
        QCOMPARE(page->salesTable()->rowCount(), 0);
        QVERIFY2(page->affiliateLabel()->text().contains("0.99 USD from 1 sale"),
                 qPrintable(page->affiliateLabel()->text()));
        window->session().signOut();
        QVERIFY(QTest::qWaitFor([&] { return !window->session().isSignedIn(); }, 10000));
        // Signed out, the chart says why it is empty instead of being a blank box.
        QCOMPARE(page->chart()->title(), QString("Sign in to see your sales"));
        studiotest::snapshot(*page, "sales-signed-out");

        // The server gone: the page says the sales could not be loaded.
        auto maker = windowFor("maker");
        QVERIFY(maker);
        QVERIFY(loaded(maker->salesPage()));
        QCOMPARE(market_.server().stop(), 0);
        QTest::mouseClick(maker->salesPage()->refreshButton(), Qt::LeftButton);
        QVERIFY(loaded(maker->salesPage()));
        QVERIFY2(maker->salesPage()->statusLabel()->text().startsWith("Sales could not be loaded"),
                 qPrintable(maker->salesPage()->statusLabel()->text()));
        QCOMPARE(maker->salesPage()->totalsTable()->rowCount(), 0);
    }
};

QTEST_MAIN(TestSalesPage)
#include "tst_salespage.moc"
