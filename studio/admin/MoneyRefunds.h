#pragma once
// Refunds: search purchases (GET /api/admin/purchases?q= by buyer, video title or id), refund
// the selected one with a reason and an amount (POST /api/admin/purchases/{id}/refund, with an
// Idempotency-Key; the amount field empty: the whole remainder, else a part in the purchase's
// currency, sent as amount_minor), and see the reversal the server booked: one line per
// account and amount. The buyer's access ends on the server with the last part; the list
// reloads to show what is left.
// GUI thread.

#include <QJsonArray>
#include <QWidget>

#include <optional>

class ApiClient;
class MoneyList;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;
class QTimer;

class MoneyRefunds : public QWidget {
    Q_OBJECT
public:
    MoneyRefunds(ApiClient& api, QWidget* parent);

    MoneyList* list() const { return list_; }
    QLineEdit* searchField() const { return search_; }
    QLineEdit* reasonField() const { return reason_; }
    QLineEdit* amountField() const { return amount_; }
    QPushButton* refundButton() const { return refund_; }
    // The reversal of the last refund: account, amount.
    QTableWidget* reversalTable() const { return reversal_; }
    QLabel* reversalLabel() const { return reversalTitle_; }
    void reload();
    void clear();

signals:
    void acted(); // money moved: the other lists are out of date

private:
    void updateActions();
    // amount_minor for the amount field: nullopt when empty (the whole remainder), -1 when it
    // is not an amount of the purchase's currency.
    std::optional<qint64> amountMinor(const QJsonObject& purchase) const;
    void refund();
    void showReversal(const QJsonObject& answer);

    ApiClient& api_;
    bool busy_ = false;
    int generation_ = 0;
    MoneyList* list_;
    QLineEdit* search_;
    QTimer* searchDelay_;
    QLineEdit* reason_;
    QLineEdit* amount_;
    QPushButton* refund_;
    QLabel* reversalTitle_;
    QTableWidget* reversal_;
};
