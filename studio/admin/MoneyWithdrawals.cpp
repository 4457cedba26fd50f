#include "admin/MoneyWithdrawals.h"

#include "admin/MoneyList.h"
#include "net/ApiClient.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

MoneyWithdrawals::MoneyWithdrawals(ApiClient& api, QWidget* parent)
    : QWidget(parent)
    , api_(api) {
    auto* layout = new QVBoxLayout(this);
    list_ = new MoneyList(api_, "/api/admin/withdrawals", "withdrawals",
                          {{"id", tr("Id")},
                           {"user", tr("User")},
                           {"amount", tr("Amount")},
                           {"fee", tr("Fee")},
                           {"net", tr("To pay")},
                           {"method", tr("Payout to")},
                           {"created_at", tr("Requested")},
                           {"status", tr("Status")},
                           {"in_doubt", tr("In doubt")},
                           {"last_attempt_at", tr("Last attempt")},
                           {"reason", tr("Why")}},
                          this);
    list_->setObjectName("withdrawalQueue");
    list_->setQuery("status=requested");
    queue_ = new QComboBox(this);
    queue_->setObjectName("withdrawalQueueFilter");
    queue_->addItem(tr("Waiting for approval"), "requested");
    queue_->addItem(tr("Payouts without an answer (in doubt)"), "approved");
    queue_->addItem(tr("Sent, not confirmed yet"), "sent");
    queue_->addItem(tr("Refused by the provider"), "failed");
    layout->addWidget(queue_);
    layout->addWidget(list_);

    auto* row = list_->actionRow();
    via_ = new QComboBox(this);
    via_->setObjectName("payoutVia");
    via_->addItem(tr("Paid by hand (bank reference)"), "manual");
    via_->addItem(tr("Pay out through Xendit"), "xendit");
    via_->addItem(tr("Pay out through PayPal"), "paypal");
    reference_ = new QLineEdit(this);
    reference_->setObjectName("payoutReference");
    reference_->setPlaceholderText(tr("Bank reference of the transfer"));
    reference_->setMaxLength(120);
    note_ = new QLineEdit(this);
    note_->setObjectName("payoutNote");
    note_->setPlaceholderText(tr("Note or reason (kept in the audit log)"));
    note_->setMaxLength(500);
    approve_ = new QPushButton(tr("Approve"), this);
    approve_->setObjectName("approveWithdrawal");
    reject_ = new QPushButton(tr("Reject"), this);
    reject_->setObjectName("rejectWithdrawal");
    retry_ = new QPushButton(tr("Ask the provider again"), this);
    retry_->setObjectName("retryPayout");
    row->addWidget(via_);
    row->addWidget(reference_, 1);
    row->addWidget(note_, 2);
    row->addWidget(approve_);
    row->addWidget(reject_);
    row->addWidget(retry_);

    connect(list_, &MoneyList::selectionChanged, this, &MoneyWithdrawals::updateActions);
    connect(via_, &QComboBox::currentIndexChanged, this, &MoneyWithdrawals::updateActions);
    connect(reference_, &QLineEdit::textChanged, this, &MoneyWithdrawals::updateActions);
    connect(note_, &QLineEdit::textChanged, this, &MoneyWithdrawals::updateActions);
    connect(approve_, &QPushButton::clicked, this, [this] { resolve(true); });
    connect(reject_, &QPushButton::clicked, this, [this] { resolve(false); });
    connect(retry_, &QPushButton::clicked, this, &MoneyWithdrawals::retry);
    connect(queue_, &QComboBox::currentIndexChanged, this, [this] {
        list_->setQuery("status=" + queue_->currentData().toString());
        list_->reload();
        updateActions();
    });
    updateActions();
}

void MoneyWithdrawals::updateActions() {
    const bool manual = via_->currentData().toString() == "manual";
    reference_->setEnabled(manual);
    const QString status = list_->selected().value("status").toString();
    const bool open = status == "requested" || status == "failed";
    const bool ready = !busy_ && open && !note_->text().trimmed().isEmpty();
    approve_->setEnabled(ready && (!manual || !reference_->text().trimmed().isEmpty()));
    reject_->setEnabled(ready);
    retry_->setEnabled(!busy_ && (status == "approved" || status == "sent"));
    approve_->setToolTip(manual && reference_->text().trimmed().isEmpty()
                             ? tr("A payment made by hand needs the bank transfer's reference.")
                             : QString());
}

void MoneyWithdrawals::resolve(bool approve) {
    const QJsonObject withdrawal = list_->selected();
    if (withdrawal.isEmpty())
        return;
    const QString id = MoneyList::cellText("id", withdrawal.value("id"));
    QJsonObject body;
    const QString note = note_->text().trimmed();
    if (approve) {
        body["via"] = via_->currentData().toString();
        body["note"] = note;
        if (body["via"] == "manual")
            body["reference"] = reference_->text().trimmed();
    } else {
        body["reason"] = note;
    }
    busy_ = true;
    const int generation = generation_;
    updateActions();
    list_->setStatus(approve ? tr("Approving %1...").arg(id) : tr("Rejecting %1...").arg(id),
                     false);
    api_.callOnce(
        "POST", QString("/api/admin/withdrawals/%1/%2").arg(id, approve ? "approve" : "reject"),
        body, ApiClient::newIdempotencyKey(),
        [this, id, approve, generation](const ApiResult& result) {
            if (generation != generation_)
                return;
            busy_ = false;
            if (!result.ok()) {
                list_->setStatus(tr("Withdrawal %1: %2").arg(id, result.errorMessage), true);
                updateActions();
                return;
            }
            reference_->clear();
            note_->clear();
            emit acted();
            const QString status = result.body.value("status").toString(
                result.body.value("withdrawal").toObject().value("status").toString());
            list_->reload();
            // After the reload's own status line: say what was done.
            connect(
                list_, &MoneyList::loadedRows, this,
                [this, id, approve, status] {
                    list_->setStatus(approve ? tr("Withdrawal %1 approved (%2).")
                                                   .arg(id, status.isEmpty() ? tr("paid") : status)
                                             : tr("Withdrawal %1 rejected; the money is back in "
                                                  "the user's balance.")
                                                   .arg(id),
                                     false);
                },
                Qt::SingleShotConnection);
        });
}

void MoneyWithdrawals::retry() {
    const QJsonObject withdrawal = list_->selected();
    if (withdrawal.isEmpty())
        return;
    const QString id = MoneyList::cellText("id", withdrawal.value("id"));
    busy_ = true;
    const int generation = generation_;
    updateActions();
    list_->setStatus(tr("Asking the provider about %1...").arg(id), false);
    api_.callOnce("POST", QString("/api/admin/withdrawals/%1/retry").arg(id),
                  {{"note", note_->text().trimmed()}}, ApiClient::newIdempotencyKey(),
                  [this, id, generation](const ApiResult& result) {
                      if (generation != generation_)
                          return;
                      busy_ = false;
                      if (!result.ok()) {
                          list_->setStatus(tr("Withdrawal %1: %2").arg(id, result.errorMessage),
                                           true);
                          updateActions();
                          return;
                      }
                      emit acted();
                      const QString status =
                          result.body.value("withdrawal").toObject().value("status").toString();
                      list_->reload();
                      connect(
                          list_, &MoneyList::loadedRows, this,
                          [this, id, status] {
                              list_->setStatus(tr("Withdrawal %1: %2.").arg(id, status), false);
                          },
                          Qt::SingleShotConnection);
                  });
}

void MoneyWithdrawals::clear() {
    ++generation_;
    busy_ = false;
    list_->clear();
    reference_->clear();
    note_->clear();
    via_->setCurrentIndex(0);
    {
        const QSignalBlocker quiet(queue_); // no load after a sign-out
        queue_->setCurrentIndex(0);
    }
    list_->setQuery("status=requested");
    updateActions();
}
