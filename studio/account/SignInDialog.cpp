#include "account/SignInDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

SignInDialog::SignInDialog(AuthSession& session, const QString& serverUrl, QWidget* parent)
    : QDialog(parent)
    , session_(session) {
    setWindowTitle(tr("Sign in to Reelgate"));
    setModal(true);
    setMinimumWidth(400); // the server address and the links on one line each
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(
        tr("Sign in to <b>%1</b> with your Reelgate account.").arg(serverUrl.toHtmlEscaped()),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* form = new QFormLayout;
    login_ = new QLineEdit(this);
    login_->setObjectName("login");
    login_->setPlaceholderText(tr("username or email"));
    password_ = new QLineEdit(this);
    password_->setObjectName("password");
    password_->setEchoMode(QLineEdit::Password);
    form->addRow(tr("Account"), login_);
    form->addRow(tr("Password"), password_);
    layout->addLayout(form);

    error_ = new QLabel(this);
    error_->setObjectName("signInError");
    error_->setWordWrap(true);
    error_->setStyleSheet("color: #d9534f;");
    error_->hide();
    layout->addWidget(error_);
    QString base = serverUrl;
    while (base.endsWith('/'))
        base.chop(1);
    links_ = new QLabel(tr("No account yet? <a href=\"%1/signup\">Create one</a> · "
                           "<a href=\"%1/forgot\">Forgot your password?</a>")
                            .arg(base.toHtmlEscaped()),
                        this);
    links_->setObjectName("signInLinks");
    links_->setTextFormat(Qt::RichText);
    links_->setOpenExternalLinks(true);
    links_->setWordWrap(true);
    layout->addWidget(links_);

    auto* buttons = new QDialogButtonBox(this);
    signIn_ = buttons->addButton(tr("Sign in"), QDialogButtonBox::AcceptRole);
    signIn_->setObjectName("signInButton");
    signIn_->setDefault(true);
    buttons->addButton(QDialogButtonBox::Cancel);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(signIn_, &QPushButton::clicked, this, [this] {
        error_->hide();
        signIn_->setEnabled(false);
        signIn_->setText(tr("Signing in ..."));
        session_.signIn(login_->text(), password_->text());
    });
    connect(&session_, &AuthSession::signInFailed, this, [this](const QString& message) {
        error_->setText(message);
        error_->show();
        signIn_->setEnabled(true);
        signIn_->setText(tr("Sign in"));
        password_->selectAll();
        password_->setFocus();
    });
    connect(&session_, &AuthSession::signedIn, this, [this] {
        password_->clear();
        accept();
    });
}
