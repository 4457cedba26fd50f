// MainWindow: signing in and out, and what the window shows of the signed-in user.

#include "account/SignInDialog.h"
#include "app/MainWindow.h"
#include "watermark/WatermarkPage.h"

#include <QAction>
#include <QLabel>
#include <QPushButton>
#include <QStatusBar>

void MainWindow::buildAccount() {
    // Signing in is a visible button, not only a menu entry.
    accountButton_ = new QPushButton(this);
    accountButton_->setObjectName("accountButton");
    statusBar()->addPermanentWidget(accountButton_);
    connect(accountButton_, &QPushButton::clicked, this, [this] {
        if (session_->isSignedIn())
            session_->signOut();
        else
            openSignIn();
    });
    connect(session_, &AuthSession::signedIn, this, [this] { updateUser(); });
    connect(session_, &AuthSession::signedOut, this, [this] { updateUser(); });
    updateUser();
}

void MainWindow::openSignIn() {
    auto* dialog = new SignInDialog(*session_, api_->baseUrl().toString(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::updateUser() {
    const bool signedIn = session_->isSignedIn();
    signInAction_->setVisible(!signedIn);
    signOutAction_->setVisible(signedIn);
    accountButton_->setText(signedIn ? tr("Sign out") : tr("Sign in..."));
    watermarkPage_->refreshPublished(); // the previous account's videos leave the form
    if (!signedIn) {
        userLabel_->setText(tr("Not signed in"));
        userLabel_->setToolTip({});
        setAdminMode(false);
        return;
    }
    const StudioUser& user = session_->user();
    QString text = tr("Signed in as %1 (%2)").arg(user.username, user.roles.join(", "));
    if (session_->tokenInFile()) {
        // Say so: without a keychain the token sits in a file only this user can read.
        text += tr(" · token in a private file (no keychain)");
        userLabel_->setToolTip(session_->tokenFilePath());
    }
    userLabel_->setText(text);
    setAdminMode(user.isAdmin());
}
