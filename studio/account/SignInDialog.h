#pragma once
// Sign-in against the configured server: username or email, password, a readable error, and
// links to the server's sign-up and password-reset pages (in the browser). Closes itself once
// signed in.

#include "net/AuthSession.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

class SignInDialog : public QDialog {
    Q_OBJECT
public:
    SignInDialog(AuthSession& session, const QString& serverUrl, QWidget* parent);

    QLineEdit* loginField() const { return login_; }
    QLineEdit* passwordField() const { return password_; }
    QPushButton* signInButton() const { return signIn_; }
    QLabel* errorLabel() const { return error_; }
    QLabel* linksLabel() const { return links_; }

private:
    AuthSession& session_;
    QLineEdit* login_;
    QLineEdit* password_;
    QPushButton* signIn_;
    QLabel* error_;
    QLabel* links_;
};
