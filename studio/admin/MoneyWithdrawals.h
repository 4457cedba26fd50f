#pragma once
// The withdrawal approval queue (GET /api/admin/withdrawals?status=requested): approve the
// selected request through a payout provider or by hand with the bank transfer's reference,
// or reject it; either needs a note (the reason, kept in the audit log). Buttons are enabled
// only when what they need is filled in; each action carries its own Idempotency-Key, so a
// double click acts once. The server's answer (e.g. another admin resolved it first, or the
// provider refused the payout) is shown in red. A second box picks the queue: waiting for
// approval, payouts without an answer ("in doubt", with the time of the last attempt), sent but
// not confirmed, refused; for the in-doubt and sent ones "Ask the provider again" (POST
// /api/admin/withdrawals/{id}/retry) asks under the payout's own key, so it pays at most once.
// GUI thread.

#include <QWidget>

class ApiClient;
class MoneyList;
class QComboBox;
class QLineEdit;
class QPushButton;

class MoneyWithdrawals : public QWidget {
    Q_OBJECT
public:
    MoneyWithdrawals(ApiClient& api, QWidget* parent);

    MoneyList* list() const { return list_; }
    QComboBox* viaBox() const { return via_; }
    QComboBox* queueBox() const { return queue_; }
    QPushButton* retryButton() const { return retry_; }
    QLineEdit* referenceField() const { return reference_; }
    QLineEdit* noteField() const { return note_; }
    QPushButton* approveButton() const { return approve_; }
    QPushButton* rejectButton() const { return reject_; }
    void clear();

signals:
    void acted(); // money moved: the other lists are out of date

private:
    void updateActions();
    void resolve(bool approve);
    void retry();

    ApiClient& api_;
    bool busy_ = false;
    int generation_ = 0; // a sign-out makes answers to older actions stale
    MoneyList* list_;
    QComboBox* queue_;
    QComboBox* via_;
    QLineEdit* reference_;
    QLineEdit* note_;
    QPushButton* approve_;
    QPushButton* reject_;
    QPushButton* retry_;
};
