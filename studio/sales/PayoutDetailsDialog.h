#pragma once
// Where withdrawals are paid: a bank account, an e-wallet (OVO, DANA, GoPay...) or a PayPal
// address, sent with the account's password (PUT /api/me/payout-details). The server stores
// them encrypted, answers them masked and mails the account about the change; a wrong password
// (403) or refused fields are shown in red and the dialog stays open. Fields are checked for
// length and control characters before anything is sent. GUI thread.

#include "net/ApiClient.h"

#include <QDialog>
#include <QJsonObject>
#include <QMap>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;

class PayoutDetailsDialog : public QDialog {
    Q_OBJECT
public:
    PayoutDetailsDialog(ApiClient& api, const QString& currentMethod, QWidget* parent);

    QComboBox* methodBox() const { return method_; }
    // The field of `key` for the current method ("account_name", "phone", "email"...).
    QLineEdit* field(const QString& key) const;
    QLineEdit* passwordField() const { return password_; }
    QLabel* errorLabel() const { return error_; }
    QPushButton* saveButton() const { return save_; }
    // The server's answer once saved ({"method","masked","updated_at"}).
    const QJsonObject& saved() const { return saved_; }

private:
    struct Field {
        QString method;
        QString key;
        QString label;
        bool optional = false;
        QLineEdit* edit = nullptr;
    };
    void addField(QWidget* page, const QString& method, const QString& key, const QString& label,
                  const QString& hint, bool optional = false);
    QString method() const;
    void update();
    void send();

    ApiClient& api_;
    QJsonObject saved_;
    bool sending_ = false;
    QList<Field> fields_;

    QComboBox* method_;
    QStackedWidget* pages_;
    QLineEdit* password_;
    QLabel* error_;
    QPushButton* save_;
};
