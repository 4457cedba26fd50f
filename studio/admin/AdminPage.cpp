#include "admin/AdminPage.h"

#include "admin/MoneyPanel.h"
#include "admin/PaymentsPanel.h"
#include "admin/SettingsPanel.h"
#include "admin/TracePanel.h"
#include "admin/UsersPanel.h"
#include "common/Heading.h"
#include "net/ApiClient.h"
#include "net/AuthSession.h"

#include <QLabel>
#include <QTabWidget>
#include <QVBoxLayout>

AdminPage::AdminPage(ApiClient& api, AuthSession& session, QWidget* parent)
    : QWidget(parent)
    , api_(api)
    , session_(session) {
    auto* layout = new QVBoxLayout(this);
    usePageMargins(layout);
    layout->addWidget(pageHeading(tr("Admin"), this));
    notice_ = new QLabel(this);
    notice_->setObjectName("adminNotice");
    notice_->setWordWrap(true);
    layout->addWidget(notice_);

    tabs_ = new QTabWidget(this);
    trace_ = new TracePanel(api_, tabs_);
    settings_ = new SettingsPanel(api_, tabs_);
    users_ = new UsersPanel(api_, tabs_);
    tabs_->addTab(trace_, tr("Leak trace"));
    tabs_->addTab(settings_, tr("Platform settings"));
    tabs_->addTab(users_, tr("Users"));
    payments_ = new PaymentsPanel(api_, tabs_);
    tabs_->addTab(payments_, tr("Payments"));
    tabs_->addTab(new MoneyPanel(api_, session_, tabs_), tr("Money"));
    layout->addWidget(tabs_, 1);

    connect(&session_, &AuthSession::signedIn, this, [this] {
        clearAll();
        loadMissing();
    });
    connect(&session_, &AuthSession::signedOut, this, &AdminPage::clearAll);
    clearAll();
}

bool AdminPage::adminSignedIn() const {
    return session_.isSignedIn() && session_.user().isAdmin();
}

void AdminPage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    loadMissing();
}

void AdminPage::loadMissing() {
    if (!adminSignedIn())
        return;
    notice_->setText(tr("Signed in as %1. Changes here apply to the whole platform at once.")
                         .arg(session_.user().username));
    tabs_->setEnabled(true);
    if (trace_->needsLoad())
        trace_->reload();
    if (settings_->needsLoad())
        settings_->reload();
    if (users_->needsLoad())
        users_->reload();
    if (payments_->needsLoad())
        payments_->reload();
}

void AdminPage::clearAll() {
    trace_->clear();
    settings_->clear();
    users_->clear();
    payments_->clear();
    tabs_->setEnabled(adminSignedIn());
    if (!adminSignedIn())
        notice_->setText(tr("Sign in with an admin account to use admin mode."));
}
