#pragma once
// Settings: which Reelgate server this studio talks to, checked against its /healthz.

#include "net/ServerConnection.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;

class SettingsPage : public QWidget {
    Q_OBJECT
public:
    SettingsPage(ServerConnection& connection, const QString& url, QWidget* parent);

    QLineEdit* urlField() const { return url_; }
    QPushButton* checkButton() const { return check_; }
    QLabel* statusLabel() const { return status_; }

signals:
    // The user asked to use (and check) this address.
    void serverUrlChosen(const QString& url);

private:
    QLineEdit* url_;
    QPushButton* check_;
    QLabel* status_;
};
