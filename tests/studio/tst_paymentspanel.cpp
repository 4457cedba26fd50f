// The Admin page's Payments tab, offscreen, against the real server and the Stripe STAND-IN
// (tests/support/PaymentMarket): a pending bank transfer is listed; the approve and reject
// buttons wait for one to be selected; approving it credits the buyer's wallet (asserted
// through the API); a webhook with the wrong amount shows as a flagged mismatch and the
// "Flagged" filter lists it alone; the details pane shows the raw notification; an approval
// the server refuses is shown in red and the red goes when the next thing works; "Reconcile
// now" settles a payment whose notification was lost.

#include "HttpClient.h"
#include "PaymentMarket.h"
#include "WindowSupport.h"
#include "admin/AdminPage.h"
#include "admin/PaymentsPanel.h"
#include "app/MainWindow.h"

#include <QComboBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>

using namespace reelgate::test;

namespace {
const QString kPassword = "long password 123"; // Marketplace's password for every account
} // namespace

class TestPaymentsPanel : public QObject {
    Q_OBJECT

    PaymentMarket pay_;
    Marketplace& market_ = pay_.market();
    std::unique_ptr<MainWindow> window_;
    PaymentsPanel* panel_ = nullptr;
    QString bankId_;     // alice's pending transfer
    QString mismatchId_; // carol's Stripe payment whose webhook said 0.02

    bool listed(const QString& id) {
        return QTest::qWaitFor([&] { return !panel_->cellText(id, PaymentsPanel::User).isEmpty(); },
                               15000);
    }
    void reloadAndWait() {
        panel_->reload();
        QVERIFY(QTest::qWaitFor([&] { return !panel_->loading(); }, 15000));
        QVERIFY(panel_->loaded());
    }
    // Picks the entry of `box` whose data is `value` and waits for the list it asks for.
    bool choose(QComboBox* box, const QString& value) {
        const int index = box->findData(value);
        if (index < 0)
            return false;
        box->setCurrentIndex(index);
        return QTest::qWaitFor([&] { return !panel_->loading(); }, 15000) && panel_->loaded();
    }
    bool isRed() const { return panel_->statusLabel()->styleSheet().contains("#b00020"); }

private slots:
    void initTestCase() {
        QVERIFY(pay_.start());
        studiotest::usePrivateHome(market_.workDir());
        const auto bank = pay_.topUp("alice", "bank", "12.00");
        QCOMPARE(bank.status, 201);
        bankId_ = bank.json()["deposit"]["id"].toString();
        const auto card = pay_.topUp("carol", "stripe", "20.00");
        QCOMPARE(card.status, 201);
        mismatchId_ = card.json()["deposit"]["id"].toString();
        QCOMPARE(pay_.standin(PaymentMarket::sessionOf(card), "pay",
                              {{"overrides", QJsonObject{{"amount_total", 2}}}}),
                 QList<int>({200}));

        window_ = studiotest::signedInWindow(market_.server().baseUrl(), "root", kPassword);
        QVERIFY(window_);
        window_->resize(1366, 768);
        QVERIFY(window_->showPage("admin"));
        AdminPage* admin = window_->adminPage();
        QVERIFY(admin);
        panel_ = admin->paymentsPanel();
        admin->tabs()->setCurrentWidget(panel_);
    }

    void aPendingBankTransferIsListedAndApprovedWithANote() {
        QVERIFY(listed(bankId_));
        QCOMPARE(panel_->cellText(bankId_, PaymentsPanel::Provider), QString("bank"));
        QCOMPARE(panel_->cellText(bankId_, PaymentsPanel::Status), QString("Pending"));
        QVERIFY(panel_->cellText(bankId_, PaymentsPanel::Amount).contains("12.00"));
        QCOMPARE(panel_->cellText(bankId_, PaymentsPanel::User), QString("alice"));
        // Nothing selected, or a card payment selected: no bank decision to take.
        panel_->table()->clearSelection();
        QVERIFY(!panel_->approveButton()->isEnabled() && !panel_->rejectButton()->isEnabled());
        QVERIFY(panel_->selectDeposit(mismatchId_));
        QVERIFY(!panel_->approveButton()->isEnabled());

        QVERIFY(panel_->selectDeposit(bankId_));
        QVERIFY(panel_->approveButton()->isEnabled() && panel_->rejectButton()->isEnabled());
        studiotest::snapshot(*window_, "admin-payments-bank-selected");
        QTest::keyClicks(panel_->noteField(), "Seen on the bank statement of 29 Nov");
        QCOMPARE(market_.balance("alice", "USD"), 0);
        QTest::mouseClick(panel_->approveButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(market_.balance("alice", "USD"), qint64(1200), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(panel_->cellText(bankId_, PaymentsPanel::Status), QString("Paid"),
                                  15000);
        QVERIFY(!isRed());
        QVERIFY(panel_->statusLabel()->text().contains("alice"));
        QVERIFY(!panel_->approveButton()->isEnabled()); // settled: nothing more to decide
        QTRY_VERIFY_WITH_TIMEOUT(
            panel_->details()->toPlainText().contains("Seen on the bank statement"), 15000);
        const auto deposit = market_.client("alice")->get("/api/wallet/deposits/" + bankId_);
        QCOMPARE(deposit.json()["deposit"]["status"].toString(), QString("posted"));
        QCOMPARE(deposit.json()["deposit"]["admin_note"].toString(),
                 QString("Seen on the bank statement of 29 Nov"));
    }

    void aMismatchIsHighlightedAndFilterable() {
        reloadAndWait();
        QVERIFY(listed(mismatchId_));
        QVERIFY(panel_->rowFlagged(mismatchId_));
        QVERIFY(panel_->cellText(mismatchId_, PaymentsPanel::Status).contains("flagged"));
        QVERIFY(!panel_->rowFlagged(bankId_));
        QVERIFY(panel_->statusLabel()->text().contains("flagged"));
        // The details show why, and the notification as the provider sent it.
        QVERIFY(panel_->selectDeposit(mismatchId_));
        QTRY_VERIFY_WITH_TIMEOUT(panel_->details()->toPlainText().contains("mismatch"), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(panel_->details()->toPlainText().contains("\"amount_total\": 2"),
                                 15000);
        QVERIFY(panel_->details()->toPlainText().contains("Nothing was credited"));
        studiotest::snapshot(*window_, "admin-payments-mismatch");

        // Filters are answered by the server: flagged alone, pending (the mismatch was never
        // credited; the approved transfer is not pending any more), one provider.
        QComboBox* filter = panel_->statusFilter();
        QVERIFY(choose(filter, "flagged"));
        QCOMPARE(panel_->table()->rowCount(), 1);
        QVERIFY(!panel_->cellText(mismatchId_, PaymentsPanel::User).isEmpty());
        QVERIFY(choose(filter, "pending"));
        QVERIFY(!panel_->cellText(mismatchId_, PaymentsPanel::User).isEmpty());
        QVERIFY(panel_->cellText(bankId_, PaymentsPanel::User).isEmpty());
        QVERIFY(choose(filter, ""));
        QComboBox* provider = panel_->providerFilter();
        QTRY_VERIFY_WITH_TIMEOUT(provider->findData("bank") > 0, 15000);
        QVERIFY(choose(provider, "bank"));
        QVERIFY(panel_->cellText(mismatchId_, PaymentsPanel::User).isEmpty());
        QVERIFY(!panel_->cellText(bankId_, PaymentsPanel::User).isEmpty());
        QVERIFY(choose(provider, ""));
        QVERIFY(!panel_->cellText(mismatchId_, PaymentsPanel::User).isEmpty());
    }

    void aRefusedDecisionIsShownInRedUntilSomethingWorks() {
        const auto bank = pay_.topUp("bob", "bank", "3.00");
        QCOMPARE(bank.status, 201);
        const QString id = bank.json()["deposit"]["id"].toString();
        reloadAndWait();
        QVERIFY(listed(id));
        QVERIFY(panel_->selectDeposit(id));
        // Another admin rejects it first; this panel still shows it pending.
        QCOMPARE(market_.client("root")
                     ->postJson("/api/admin/deposits/" + id + "/reject", {{"note", "no money"}})
                     .status,
                 200);
        QTest::mouseClick(panel_->approveButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(isRed(), 15000);
        QVERIFY(panel_->statusLabel()->text().contains("already"));
        QCOMPARE(market_.balance("bob", "USD"), 0);
        reloadAndWait();
        QVERIFY(!isRed());
        QCOMPARE(panel_->cellText(id, PaymentsPanel::Status), QString("Voided"));
    }

    void reconcileNowSettlesALostNotification() {
        const auto card = pay_.topUp("dave", "stripe", "6.00");
        QCOMPARE(card.status, 201);
        const QString id = card.json()["deposit"]["id"].toString();
        QCOMPARE(pay_.standin(PaymentMarket::sessionOf(card), "pay", {{"silent", true}}),
                 QList<int>());
        reloadAndWait();
        QCOMPARE(panel_->cellText(id, PaymentsPanel::Status), QString("Pending"));
        QTest::mouseClick(panel_->reconcileButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(panel_->cellText(id, PaymentsPanel::Status), QString("Paid"),
                                  30000);
        QCOMPARE(market_.balance("dave", "USD"), 600);
        QVERIFY(panel_->statusLabel()->text().contains("settled"));
        QVERIFY(panel_->selectDeposit(id));
        studiotest::snapshot(*window_, "admin-payments");
    }
};

QTEST_MAIN(TestPaymentsPanel)
#include "tst_paymentspanel.moc"
