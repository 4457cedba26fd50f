#include "admin/MoneyPanel.h"

#include "admin/MoneyList.h"
#include "admin/MoneyRefunds.h"
#include "admin/MoneyRevenue.h"
#include "admin/MoneyTrialBalance.h"
#include "admin/MoneyWithdrawals.h"
#include "net/AuthSession.h"

#include <QTabWidget>
#include <QVBoxLayout>

MoneyPanel::MoneyPanel(ApiClient& api, AuthSession& session, QWidget* parent)
    : QWidget(parent)
    , session_(session) {
    auto* layout = new QVBoxLayout(this);
    tabs_ = new QTabWidget(this);
    tabs_->setObjectName("moneyTabs");
    tabs_->setDocumentMode(true);
    withdrawals_ = new MoneyWithdrawals(api, tabs_);
    refunds_ = new MoneyRefunds(api, tabs_);
    disputes_ = new MoneyList(api, "/api/admin/disputes", "disputes",
                              {{"received_at", tr("Received")},
                               {"provider", tr("Provider")},
                               {"user", tr("Buyer")},
                               {"video", tr("Video")},
                               {"charge", tr("Charged back")},
                               {"reversed", tr("Reversed")},
                               {"status", tr("Status")},
                               {"outcome", tr("Outcome")}},
                              tabs_);
    disputes_->setObjectName("disputes");
    commissions_ = new MoneyList(api, "/api/admin/commissions", "commissions",
                                 {{"created_at", tr("Earned")},
                                  {"affiliate", tr("Affiliate")},
                                  {"video", tr("Video")},
                                  {"buyer", tr("Buyer")},
                                  {"amount", tr("Commission")},
                                  {"purchase", tr("Purchase")}},
                                 tabs_);
    commissions_->setObjectName("commissions");
    revenue_ = new MoneyRevenue(api, tabs_);
    trial_ = new MoneyTrialBalance(api, tabs_);
    audit_ = new MoneyList(api, "/api/admin/audit", "entries",
                           {{"at", tr("When")},
                            {"admin", tr("Admin")},
                            {"action", tr("Action")},
                            {"subject", tr("Subject")},
                            {"note", tr("Note")},
                            {"details", tr("Details")}},
                           tabs_);
    audit_->setObjectName("audit");
    tabs_->addTab(withdrawals_, tr("Withdrawals"));
    tabs_->addTab(refunds_, tr("Refunds"));
    tabs_->addTab(disputes_, tr("Disputes"));
    tabs_->addTab(commissions_, tr("Commissions"));
    tabs_->addTab(revenue_, tr("Revenue"));
    tabs_->addTab(trial_, tr("Trial balance"));
    tabs_->addTab(audit_, tr("Audit log"));
    layout->addWidget(tabs_);
    connect(tabs_, &QTabWidget::currentChanged, this, &MoneyPanel::loadCurrent);
    // After an approval or a refund the reports are stale: they load again when next shown.
    const auto stale = [this] {
        disputes_->clear();
        commissions_->clear();
        revenue_->clear();
        trial_->clear();
        audit_->clear();
    };
    connect(withdrawals_, &MoneyWithdrawals::acted, this, stale);
    connect(refunds_, &MoneyRefunds::acted, this, stale);
    connect(&session_, &AuthSession::signedIn, this, [this] {
        clear(); // another account's books are never shown to the next one
        if (isVisible())
            reload();
    });
    connect(&session_, &AuthSession::signedOut, this, &MoneyPanel::clear);
}

bool MoneyPanel::adminSignedIn() const {
    return session_.isSignedIn() && session_.user().isAdmin();
}

void MoneyPanel::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    reload();
}

void MoneyPanel::reload() {
    loadCurrent();
}

void MoneyPanel::showTab(QWidget* page) {
    tabs_->setCurrentWidget(page);
    loadCurrent();
}

void MoneyPanel::loadCurrent() {
    if (!adminSignedIn())
        return;
    QWidget* page = tabs_->currentWidget();
    if (page == withdrawals_ && withdrawals_->list()->needsLoad())
        withdrawals_->list()->reload();
    else if (page == refunds_ && refunds_->list()->needsLoad())
        refunds_->reload();
    else if (page == revenue_ && revenue_->list()->needsLoad())
        revenue_->reload();
    else if (page == trial_ && trial_->list()->needsLoad())
        trial_->list()->reload();
    else if (auto* list = qobject_cast<MoneyList*>(page); list && list->needsLoad())
        list->reload();
}

void MoneyPanel::clear() {
    withdrawals_->clear();
    refunds_->clear();
    disputes_->clear();
    commissions_->clear();
    revenue_->clear();
    trial_->clear();
    audit_->clear();
}
