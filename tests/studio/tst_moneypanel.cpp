// The admin's money desk (Admin page, Money tab), offscreen, against the real server: a creator
// with matured earnings withdraws from the Sales page, the admin approves it by hand with a bank
// reference and the creator's history shows it paid; the admin refunds part of a purchase (the
// buyer keeps access), then the rest, and the buyer's access ends (asked through the API); a CSV
// export writes the rows the list shows; the trial balance sums to zero per currency; signing out
// forgets the books. Against a server without the money-out routes the lists say so in red (and the
// money flows are skipped).

#include "HttpClient.h"
#include "Marketplace.h"
#include "WindowSupport.h"
#include "admin/AdminPage.h"
#include "admin/MoneyList.h"
#include "admin/MoneyPanel.h"
#include "admin/MoneyRefunds.h"
#include "admin/MoneyRevenue.h"
#include "admin/MoneyTrialBalance.h"
#include "admin/MoneyWithdrawals.h"
#include "app/MainWindow.h"
#include "sales/PayoutDetailsDialog.h"
#include "sales/PayoutPanel.h"
#include "sales/SalesPage.h"
#include "sales/WithdrawDialog.h"

#include <QComboBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QUuid>

using namespace reelgate::test;

namespace {

QString columnText(QTableWidget* table, int column) {
    QStringList out;
    for (int row = 0; row < table->rowCount(); ++row)
        out << (table->item(row, column) ? table->item(row, column)->text() : QString());
    return out.join('\n');
}

int columnOf(QTableWidget* table, const QString& header) {
    for (int column = 0; column < table->columnCount(); ++column)
        if (table->horizontalHeaderItem(column)->text() == header)
            return column;
    return -1;
}

bool loaded(MoneyList* list) {
    return QTest::qWaitFor([&] { return list->loaded() && list->reloadButton()->isEnabled(); },
                           15000);
}
} // namespace

class TestMoneyPanel : public QObject {
    Q_OBJECT

    Marketplace market_;
    QString video_;
    std::unique_ptr<HttpClient> adminApi_;
    bool moneyOut_ = false; // the server has the money-out routes (branch moneyout merged)

    std::unique_ptr<MainWindow> windowFor(const QString& name) {
        return studiotest::signedInWindow(market_.server().baseUrl(), name,
                                          Marketplace::password());
    }

    MoneyPanel* moneyTab(MainWindow& window) {
        if (!window.showPage("admin"))
            return nullptr;
        AdminPage* page = window.adminPage();
        auto* panel = page->findChild<MoneyPanel*>();
        if (panel)
            page->tabs()->setCurrentWidget(panel);
        return panel;
    }

    bool buy(const QString& buyer) {
        const auto reply = market_.client(buyer)->send(
            "POST", "/api/videos/" + video_ + "/purchase", "{}", "application/json",
            {{"Idempotency-Key", QUuid::createUuid().toByteArray()}});
        return reply.status == 201;
    }

    int playStatus(const QString& buyer) {
        return market_.client(buyer)
            ->send("POST", "/api/videos/" + video_ + "/play", {}, {})
            .status;
    }

    qint64 availableMinor(const QString& user, const QString& currency) {
        const auto wallet = market_.client(user)->get("/api/wallet").json().object();
        for (const QJsonValue& value : wallet["balances"].toArray())
            if (value["currency"].toString() == currency)
                return value["available"]["amount_minor"].toInteger();
        return 0;
    }

private slots:
    void initTestCase() {
        QVERIFY2(market_.start(), qPrintable(market_.server().log()));
        studiotest::usePrivateHome(market_.workDir());
        QVERIFY(market_.signUp("maker", true));
        QVERIFY(market_.signUp("ana"));
        QVERIFY(market_.signUp("ben"));
        adminApi_ = market_.createAdmin("root");
        QVERIFY(adminApi_);
        moneyOut_ = adminApi_->get("/api/admin/withdrawals?status=requested").status == 200;
        if (moneyOut_) {
            // Earnings withdrawable at once; at least 1.00 USD per withdrawal, 0.25 USD fee.
            const auto set =
                adminApi_->send("PATCH", "/api/admin/settings",
                                R"({"earnings_hold_days":0,"withdrawal_min_minor":{"USD":100},)"
                                R"("withdrawal_fee_minor":{"USD":25}})",
                                "application/json");
            QVERIFY2(set.status == 200, set.body.constData());
        }
        video_ = market_.publish("maker", "Night Train", "4.99", "USD", 0);
        QVERIFY(!video_.isEmpty());
        QVERIFY(market_.credit("ana", "10", "USD"));
        QVERIFY(market_.credit("ben", "10", "USD"));
        QVERIFY(buy("ana"));
        QVERIFY(buy("ben"));
    }

    void moneyTabLoadsForAdminsOnly() {
        auto window = windowFor("root");
        QVERIFY(window);
        MoneyPanel* panel = moneyTab(*window);
        QVERIFY(panel);
        MoneyList* queue = panel->withdrawals()->list();
        window->resize(1366, 768);
        if (!moneyOut_) {
            // A server without money out: said in red, nothing to export.
            QVERIFY(QTest::qWaitFor(
                [&] { return queue->statusLabel()->text().contains("Could not load"); }, 15000));
            QVERIFY(queue->statusLabel()->styleSheet().contains("#b00020"));
            QVERIFY(!queue->exportButton()->isEnabled());
            studiotest::snapshot(*window, "money-tab-no-server-support");
            QFAIL("the server answers no money-out routes");
        }
        QVERIFY(loaded(queue));
        QVERIFY(queue->exportButton()->isEnabled());
        studiotest::snapshot(*window, "money-tab");
        // Nothing selected: the actions are disabled, not answered with a dialog.
        QVERIFY(!panel->withdrawals()->approveButton()->isEnabled());
        QVERIFY(!panel->withdrawals()->rejectButton()->isEnabled());
        window->session().signOut();
        QVERIFY(QTest::qWaitFor([&] { return !queue->loaded(); }, 10000));
        QCOMPARE(queue->table()->rowCount(), 0);
    }

    void creatorWithdrawsAndAdminPaysByHand() {
        if (!moneyOut_)
            QFAIL("the server answers no money-out routes");
        QVERIFY(QTest::qWaitFor([&] { return availableMinor("maker", "USD") == 900; }, 20000));

        // The creator: payout details (wrong password refused), then a withdrawal of 5.00 USD.
        auto maker = windowFor("maker");
        QVERIFY(maker && maker->showPage("sales"));
        SalesPage* sales = maker->salesPage();
        sales->tabs()->setCurrentWidget(sales->payoutPanel());
        PayoutPanel* payouts = sales->payoutPanel();
        QVERIFY(QTest::qWaitFor(
            [&] { return !payouts->loading() && payouts->detailsButton()->isEnabled(); }, 15000));
        QVERIFY(!payouts->withdrawButton()->isEnabled()); // no payout details yet
        PayoutDetailsDialog* details = payouts->openDetailsDialog();
        details->methodBox()->setCurrentIndex(details->methodBox()->findData("bank"));
        details->field("account_name")->setText("Mara Maker");
        details->field("bank_name")->setText("Harbour Bank");
        details->field("account_number")->setText("DE89370400440532013000");
        details->passwordField()->setText("not my password");
        QTest::mouseClick(details->saveButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return !details->errorLabel()->text().isEmpty(); }, 10000));
        QVERIFY(details->isVisible());
        details->passwordField()->setText(Marketplace::password());
        QTest::mouseClick(details->saveButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor(
            [&] { return payouts->detailsLabel()->text().startsWith("Payouts go to"); }, 10000));
        QVERIFY2(!payouts->detailsLabel()->text().contains("0532013000"),
                 qPrintable(payouts->detailsLabel()->text())); // masked

        QVERIFY(QTest::qWaitFor([&] { return payouts->withdrawButton()->isEnabled(); }, 5000));
        WithdrawDialog* withdraw = payouts->openWithdrawDialog();
        withdraw->amountField()->setText("100.00");
        QVERIFY(!withdraw->withdrawButton()->isEnabled()); // more than is available
        withdraw->amountField()->setText("0.50");
        if (withdraw->withdrawButton()->isEnabled()) {
            // The server did not tell the minimum beforehand: it refuses, said in red, and the
            // dialog stays open for another amount.
            QTest::mouseClick(withdraw->withdrawButton(), Qt::LeftButton);
            QVERIFY(
                QTest::qWaitFor([&] { return !withdraw->errorLabel()->text().isEmpty(); }, 10000));
            QVERIFY(withdraw->isVisible());
        }
        withdraw->amountField()->setText("5.00");
        QVERIFY(withdraw->errorLabel()->text().isEmpty()); // an edit clears the refusal
        QVERIFY(withdraw->withdrawButton()->isEnabled());
        if (!withdraw->feeLabel()->text().contains("Fee")) // fee known only when the server says
            qWarning("the wallet does not tell the withdrawal fee before the request");
        else
            QCOMPARE(withdraw->feeLabel()->text(), QString("Fee 0.25 USD; you receive 4.75 USD."));
        studiotest::snapshot(*withdraw, "withdraw-dialog");
        QTest::mouseClick(withdraw->withdrawButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return payouts->historyTable()->rowCount() == 1; }, 15000));
        QCOMPARE(payouts->historyTable()->item(0, 4)->text(), QString("Waiting for approval"));
        QCOMPARE(payouts->historyTable()->item(0, 1)->text(), QString("5.00 USD"));
        QCOMPARE(payouts->historyTable()->item(0, 2)->text(), QString("0.25 USD"));
        QCOMPARE(payouts->historyTable()->item(0, 3)->text(), QString("4.75 USD"));
        QCOMPARE(availableMinor("maker", "USD"), 400);

        // The admin: the request is in the queue; manual approval needs a reference and a note.
        auto root = windowFor("root");
        QVERIFY(root);
        MoneyPanel* panel = moneyTab(*root);
        QVERIFY(panel);
        MoneyWithdrawals* queue = panel->withdrawals();
        QVERIFY(loaded(queue->list()));
        QCOMPARE(queue->list()->table()->rowCount(), 1);
        queue->list()->table()->selectRow(0);
        queue->viaBox()->setCurrentIndex(queue->viaBox()->findData("manual"));
        queue->noteField()->setText("weekly payout run");
        QVERIFY(!queue->approveButton()->isEnabled()); // no bank reference yet
        queue->referenceField()->setText("HB-2026-11-0042");
        QVERIFY(queue->approveButton()->isEnabled());
        root->resize(1366, 768);
        studiotest::snapshot(*root, "money-withdrawals");
        QTest::mouseClick(queue->approveButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor(
            [&] { return queue->list()->statusLabel()->text().contains("approved"); }, 15000));
        QCOMPARE(queue->list()->table()->rowCount(), 0);

        // The creator's history shows it paid, with the reference.
        sales->refresh();
        QVERIFY(QTest::qWaitFor(
            [&] {
                return payouts->historyTable()->rowCount() == 1 &&
                       payouts->historyTable()->item(0, 4)->text() == "Paid";
            },
            15000));
        QCOMPARE(payouts->historyTable()->item(0, 6)->text(), QString("HB-2026-11-0042"));
        maker->resize(1366, 768);
        studiotest::snapshot(*maker, "sales-payouts");

        // The audit log names it; its CSV export holds the rows shown.
        panel->showTab(panel->audit());
        QVERIFY(loaded(panel->audit()));
        const int notes = columnOf(panel->audit()->table(), "Note");
        QVERIFY(columnText(panel->audit()->table(), notes).contains("weekly payout run"));
        const QString file = market_.workDir() + "/audit.csv";
        bool saved = false;
        panel->audit()->exportCsv(file, [&](bool ok) { saved = ok; });
        QVERIFY(QTest::qWaitFor([&] { return saved; }, 15000));
        QFile csv(file);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QByteArray bytes = csv.readAll();
        QVERIFY2(bytes.contains("weekly payout run"), bytes.constData());
        QCOMPARE(bytes.count('\n') - 1, panel->audit()->table()->rowCount()); // header + rows
    }

    void rejectedWithdrawalComesBack() {
        if (!moneyOut_)
            QFAIL("the server answers no money-out routes");
        const qint64 before = availableMinor("maker", "USD");
        QVERIFY(before >= 100);
        const auto asked = market_.client("maker")->send(
            "POST", "/api/wallet/withdrawals", R"({"amount_minor":100,"currency":"USD"})",
            "application/json", {{"Idempotency-Key", QUuid::createUuid().toByteArray()}});
        QVERIFY2(asked.status == 201, asked.body.constData());
        QCOMPARE(availableMinor("maker", "USD"), before - 100); // held at once

        auto root = windowFor("root");
        QVERIFY(root);
        MoneyPanel* panel = moneyTab(*root);
        QVERIFY(panel);
        MoneyWithdrawals* queue = panel->withdrawals();
        QVERIFY(loaded(queue->list()));
        QCOMPARE(queue->list()->table()->rowCount(), 1);
        queue->list()->table()->selectRow(0);
        QVERIFY(!queue->rejectButton()->isEnabled()); // a rejection needs its reason
        // A payout provider this server cannot pay out through: the admin is told why in red,
        // the request stays in the queue and the money stays held.
        queue->viaBox()->setCurrentIndex(queue->viaBox()->findData("xendit"));
        QVERIFY(!queue->referenceField()->isEnabled()); // a provider brings its own reference
        queue->noteField()->setText("try the provider");
        QTest::mouseClick(queue->approveButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor(
            [&] { return queue->list()->statusLabel()->styleSheet().contains("#b00020"); }, 15000));
        QVERIFY(queue->list()->statusLabel()->text().startsWith("Withdrawal "));
        QCOMPARE(queue->list()->table()->rowCount(), 1);
        QCOMPARE(availableMinor("maker", "USD"), before - 100);
        QVERIFY(queue->rejectButton()->isEnabled()); // the selection and note are kept
        queue->noteField()->setText("payout details do not match the account holder");
        QTest::mouseClick(queue->rejectButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor(
            [&] { return queue->list()->statusLabel()->text().contains("rejected"); }, 15000));
        QCOMPARE(availableMinor("maker", "USD"), before); // the hold released

        // The creator's history says so, with the reason.
        auto maker = windowFor("maker");
        QVERIFY(maker && maker->showPage("sales"));
        PayoutPanel* payouts = maker->salesPage()->payoutPanel();
        QVERIFY(QTest::qWaitFor(
            [&] { return !payouts->loading() && payouts->historyTable()->rowCount() == 2; },
            15000));
        QCOMPARE(payouts->historyTable()->item(0, 4)->text(), QString("Rejected"));
        QCOMPARE(payouts->historyTable()->item(0, 6)->text(),
                 QString("payout details do not match the account holder"));

        // The other lists load too (nothing in red).
        for (MoneyList* list : {panel->disputes(), panel->commissions()}) {
            panel->showTab(list);
            QVERIFY(loaded(list));
            QVERIFY2(!list->statusLabel()->styleSheet().contains("#b00020"),
                     qPrintable(list->statusLabel()->text()));
        }
    }

    void anInDoubtPayoutIsShownAndAskedAgain() {
        if (!moneyOut_)
            QFAIL("the server answers no money-out routes");
        const auto asked = market_.client("maker")->send(
            "POST", "/api/wallet/withdrawals", R"({"amount_minor":100,"currency":"USD"})",
            "application/json", {{"Idempotency-Key", QUuid::createUuid().toByteArray()}});
        QVERIFY2(asked.status == 201, asked.body.constData());
        const QString id = asked.json()["id"].toString();
        // As a server that died during the Xendit call leaves it.
        market_.sql("UPDATE withdrawals SET status = 'approved', via = 'xendit', "
                    "payout_attempt = 1, payout_key = 'wd_' || public_id || '_1', "
                    "payout_attempted_at = now(), resolved_by = (SELECT id FROM users WHERE "
                    "username = 'root') WHERE public_id = '" +
                    id + "'");
        auto root = windowFor("root");
        QVERIFY(root);
        MoneyPanel* panel = moneyTab(*root);
        QVERIFY(panel);
        panel->showTab(panel->withdrawals());
        MoneyWithdrawals* queue = panel->withdrawals();
        queue->queueBox()->setCurrentIndex(queue->queueBox()->findData("approved"));
        QVERIFY(QTest::qWaitFor(
            [&] { return queue->list()->loaded() && queue->list()->table()->rowCount() == 1; },
            15000));
        queue->list()->table()->selectRow(0);
        QVERIFY(queue->list()->selected()["in_doubt"].toBool());
        QVERIFY(!queue->list()->selected()["last_attempt_at"].toString().isEmpty());
        QVERIFY(!queue->approveButton()->isEnabled()); // it is not open: no second approval
        QVERIFY(queue->retryButton()->isEnabled());
        // This server pays nothing through Xendit: it says so in red, the payout stays.
        QTest::mouseClick(queue->retryButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor(
            [&] { return queue->list()->statusLabel()->styleSheet().contains("#b00020"); }, 15000));
        QVERIFY(queue->list()->statusLabel()->text().contains("Xendit", Qt::CaseInsensitive));
        QCOMPARE(market_.sql("SELECT status FROM withdrawals WHERE public_id = '" + id + "'"),
                 QString("approved"));
        queue->queueBox()->setCurrentIndex(queue->queueBox()->findData("requested"));
    }

    void adminRefundsAPurchase() {
        if (!moneyOut_)
            QFAIL("the server answers no money-out routes");
        QCOMPARE(playStatus("ben"), 201);
        const qint64 before = market_.balance("ben", "USD");
        auto root = windowFor("root");
        QVERIFY(root);
        MoneyPanel* panel = moneyTab(*root);
        QVERIFY(panel);
        panel->showTab(panel->refunds());
        MoneyRefunds* refunds = panel->refunds();
        refunds->searchField()->setText("ben");
        QVERIFY(QTest::qWaitFor(
            [&] { return refunds->list()->loaded() && refunds->list()->table()->rowCount() == 1; },
            15000));
        refunds->list()->table()->selectRow(0);
        QVERIFY(!refunds->refundButton()->isEnabled()); // a refund needs a reason
        refunds->reasonField()->setText("charged twice, support ticket 77");
        QVERIFY(refunds->refundButton()->isEnabled());
        // A part first: not an amount of USD (three decimals, letters) cannot be sent.
        for (const char* bad : {"1.505", "abc", "-1", "0"}) {
            refunds->amountField()->setText(bad);
            QVERIFY2(!refunds->refundButton()->isEnabled(), bad);
        }
        refunds->amountField()->setText("1.50");
        QVERIFY(refunds->refundButton()->isEnabled());
        QTest::mouseClick(refunds->refundButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return refunds->reversalTable()->rowCount() > 0; }, 15000));
        QVERIFY2(refunds->reversalLabel()->text().contains("keeps access"),
                 qPrintable(refunds->reversalLabel()->text()));
        QCOMPARE(playStatus("ben"), 201);
        QCOMPARE(market_.balance("ben", "USD"), before + 150);
        // Then the rest: the amount field left empty refunds all that is left.
        QVERIFY(QTest::qWaitFor(
            [&] { return refunds->list()->loaded() && refunds->list()->table()->rowCount() == 1; },
            15000));
        refunds->list()->table()->selectRow(0);
        QVERIFY(refunds->amountField()->text().isEmpty());
        QVERIFY2(refunds->amountField()->placeholderText().contains("3.49"),
                 qPrintable(refunds->amountField()->placeholderText()));
        refunds->reasonField()->setText("the rest of it");
        refunds->reversalTable()->setRowCount(0);
        QTest::mouseClick(refunds->refundButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return refunds->reversalTable()->rowCount() > 0; }, 15000));
        QVERIFY(refunds->reversalLabel()->text().contains("access has ended"));
        root->resize(1366, 768);
        studiotest::snapshot(*root, "money-refund");

        // The buyer: access ended, the price back in the wallet.
        QVERIFY(playStatus("ben") != 201);
        QCOMPARE(market_.balance("ben", "USD"), before + 499);

        // The books still balance, per currency.
        panel->showTab(panel->trialBalance());
        QVERIFY(loaded(panel->trialBalance()->list()));
        QVERIFY2(panel->trialBalance()->totalsLabel()->text().contains(
                     "USD: the accounts sum to 0.00 USD, the books balance"),
                 qPrintable(panel->trialBalance()->totalsLabel()->text()));
        panel->showTab(panel->revenue());
        QVERIFY(loaded(panel->revenue()->list()));
        studiotest::snapshot(*root, "money-revenue");
    }
};

QTEST_MAIN(TestMoneyPanel)
#include "tst_moneypanel.moc"
