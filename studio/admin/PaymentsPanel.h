#pragma once
// Payments (GET /api/admin/deposits, newest first, at most 200): every deposit with its
// provider, status, amount (the server's formatted money), user and times; filtered by status
// or provider on the server; flagged ones (a mismatched amount, a dispute, a late payment)
// highlighted and listed alone with the "Flagged" filter. The selected deposit's details and
// raw notifications (GET /api/admin/deposits/{id}) show beside the table. A pending bank
// transfer can be approved (the buyer is credited) or rejected, with a note; the buttons are
// enabled only then. "Reconcile now" asks the providers about pending payments. Errors show
// in red until the next thing that works. GUI thread.

#include "net/ApiClient.h"

#include <QJsonObject>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

class PaymentsPanel : public QWidget {
    Q_OBJECT
public:
    static constexpr int kServerLimit = 200;

    PaymentsPanel(ApiClient& api, QWidget* parent);

    void reload();
    void clear();
    bool loaded() const { return loaded_; }
    bool needsLoad() const { return !loaded_ && !loading_; }
    bool loading() const { return loading_; }
    // Selects the row of deposit `id` (its public id); false when it is not listed.
    bool selectDeposit(const QString& id);
    QString selectedId() const;

    // For tests and automation.
    QComboBox* statusFilter() const { return statusFilter_; }
    QComboBox* providerFilter() const { return providerFilter_; }
    QTableWidget* table() const { return table_; }
    QPlainTextEdit* details() const { return details_; }
    QLineEdit* noteField() const { return note_; }
    QPushButton* approveButton() const { return approve_; }
    QPushButton* rejectButton() const { return reject_; }
    QPushButton* reconcileButton() const { return reconcile_; }
    QLabel* statusLabel() const { return status_; }
    // The text of `column` in the row of deposit `id` ("" when it is not listed).
    QString cellText(const QString& id, int column) const;
    bool rowFlagged(const QString& id) const;

    enum Column { Created, User, Provider, Purpose, Amount, Status, Settled, kColumns };

private:
    void loadProviders();
    void showDeposits(const QJsonArray& deposits);
    void setRow(int row, const QJsonObject& deposit);
    QJsonObject selectedDeposit() const;
    void selectionChanged();
    void showDetails(const QJsonObject& deposit);
    void updateActions();
    void decide(bool approve);
    void setStatus(const QString& text, bool error);

    ApiClient& api_;
    bool loaded_ = false;
    bool loading_ = false;
    bool busy_ = false;  // a decision or a reconcile is on its way
    int generation_ = 0; // a newer load or a sign-out makes older answers stale
    QList<QJsonObject> deposits_;
    QString afterLoad_; // said after the next list arrives (what a reconcile did)

    QComboBox* statusFilter_;
    QComboBox* providerFilter_;
    QPushButton* reload_;
    QPushButton* reconcile_;
    QTableWidget* table_;
    QPlainTextEdit* details_;
    QLineEdit* note_;
    QPushButton* approve_;
    QPushButton* reject_;
    QLabel* status_;
};
