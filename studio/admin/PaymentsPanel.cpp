#include "admin/PaymentsPanel.h"

#include "admin/DepositText.h"

#include <QBrush>
#include <QColor>
#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

using namespace depositText;

namespace {

constexpr int kNoteMaxChars = 500; // the server's limit for an admin note
const QColor kFlaggedBackground("#fde7e9");
const QColor kErrorColor("#b00020");

bool isPendingBankTransfer(const QJsonObject& d) {
    return d.value("provider").toString() == "bank" && d.value("status").toString() == "pending";
}

} // namespace

PaymentsPanel::PaymentsPanel(ApiClient& api, QWidget* parent)
    : QWidget(parent)
    , api_(api) {
    auto* layout = new QVBoxLayout(this);
    auto* filters = new QHBoxLayout;
    statusFilter_ = new QComboBox(this);
    statusFilter_->setObjectName("paymentStatusFilter");
    const QList<QPair<QString, QString>> statuses = {
        {tr("All statuses"), ""},    {tr("Flagged (mismatches, disputes)"), "flagged"},
        {tr("Pending"), "pending"},  {tr("Paid"), "posted"},
        {tr("Voided"), "voided"},    {tr("Refunded"), "refunded"},
        {tr("Disputed"), "disputed"}};
    for (const auto& [label, value] : statuses)
        statusFilter_->addItem(label, value);
    providerFilter_ = new QComboBox(this);
    providerFilter_->setObjectName("paymentProviderFilter");
    providerFilter_->addItem(tr("All providers"), QString());
    reload_ = new QPushButton(tr("Reload"), this);
    reconcile_ = new QPushButton(tr("Reconcile now"), this);
    reconcile_->setObjectName("reconcilePayments");
    reconcile_->setToolTip(tr("Ask the providers now about every payment still pending"));
    filters->addWidget(statusFilter_);
    filters->addWidget(providerFilter_);
    filters->addStretch(1);
    filters->addWidget(reload_);
    filters->addWidget(reconcile_);
    layout->addLayout(filters);

    auto* split = new QSplitter(Qt::Horizontal, this);
    table_ = new QTableWidget(0, kColumns, split);
    table_->setObjectName("deposits");
    table_->setHorizontalHeaderLabels({tr("Created"), tr("User"), tr("Provider"), tr("For"),
                                       tr("Amount"), tr("Status"), tr("Settled")});
    table_->horizontalHeader()->setSectionResizeMode(Purpose, QHeaderView::Stretch);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->hide();
    table_->setWordWrap(false);
    details_ = new QPlainTextEdit(split);
    details_->setObjectName("depositDetails");
    details_->setReadOnly(true);
    details_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    details_->setPlaceholderText(tr("Select a payment to see its details and notifications."));
    split->addWidget(table_);
    split->addWidget(details_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({720, 380});
    layout->addWidget(split, 1);

    auto* decision = new QHBoxLayout;
    note_ = new QLineEdit(this);
    note_->setObjectName("bankTransferNote");
    note_->setMaxLength(kNoteMaxChars);
    note_->setPlaceholderText(tr("Note for the record (what you checked, why you refuse)"));
    approve_ = new QPushButton(tr("Approve bank transfer"), this);
    approve_->setObjectName("approveTransfer");
    reject_ = new QPushButton(tr("Reject"), this);
    reject_->setObjectName("rejectTransfer");
    decision->addWidget(note_, 1);
    decision->addWidget(approve_);
    decision->addWidget(reject_);
    layout->addLayout(decision);
    status_ = new QLabel(this);
    status_->setObjectName("paymentsStatus");
    status_->setWordWrap(true);
    layout->addWidget(status_);

    connect(statusFilter_, &QComboBox::currentIndexChanged, this, &PaymentsPanel::reload);
    connect(providerFilter_, &QComboBox::currentIndexChanged, this, &PaymentsPanel::reload);
    connect(reload_, &QPushButton::clicked, this, &PaymentsPanel::reload);
    connect(table_, &QTableWidget::itemSelectionChanged, this, &PaymentsPanel::selectionChanged);
    connect(approve_, &QPushButton::clicked, this, [this] { decide(true); });
    connect(reject_, &QPushButton::clicked, this, [this] { decide(false); });
    connect(reconcile_, &QPushButton::clicked, this, [this] {
        const int generation = generation_;
        busy_ = true;
        updateActions();
        setStatus(tr("Asking the providers ..."), false);
        api_.call(
            "POST", "/api/admin/payments/reconcile", {},
            [this, generation](const ApiResult& result) {
                if (generation != generation_)
                    return;
                busy_ = false;
                if (!result.ok()) {
                    setStatus(tr("Reconciling failed: %1").arg(result.errorMessage), true);
                    updateActions();
                    return;
                }
                const int settled = result.body.value("settled").toInt();
                reload();
                afterLoad_ = settled == 0 ? tr("Reconciled: no pending payment changed.")
                                          : tr("Reconciled: %n payment(s) settled.", "", settled);
            },
            120000);
    });
    updateActions();
}

void PaymentsPanel::setStatus(const QString& text, bool error) {
    status_->setStyleSheet(error ? "color: " + kErrorColor.name() + ";" : QString());
    status_->setText(text);
}

void PaymentsPanel::loadProviders() {
    const int generation = generation_;
    api_.get("/api/payments/providers", [this, generation](const ApiResult& result) {
        if (generation != generation_ || !result.ok())
            return; // the filter keeps "All providers"; the list still loads
        providerFilter_->blockSignals(true);
        const QString current = providerFilter_->currentData().toString();
        while (providerFilter_->count() > 1)
            providerFilter_->removeItem(1);
        for (const auto& p : result.body.value("providers").toArray())
            providerFilter_->addItem(p.toObject().value("label").toString(),
                                     p.toObject().value("name").toString());
        providerFilter_->setCurrentIndex(std::max(0, providerFilter_->findData(current)));
        providerFilter_->blockSignals(false);
    });
}

void PaymentsPanel::reload() {
    const int generation = ++generation_;
    if (providerFilter_->count() <= 1)
        loadProviders();
    loading_ = true;
    QString query = QString("?limit=%1").arg(kServerLimit);
    if (const QString status = statusFilter_->currentData().toString(); !status.isEmpty())
        query += "&filter=" + QUrl::toPercentEncoding(status);
    if (const QString provider = providerFilter_->currentData().toString(); !provider.isEmpty())
        query += "&provider=" + QUrl::toPercentEncoding(provider);
    api_.get("/api/admin/deposits" + query, [this, generation](const ApiResult& result) {
        if (generation != generation_)
            return;
        loading_ = false;
        if (!result.ok()) {
            afterLoad_.clear();
            setStatus(tr("Could not load the payments: %1").arg(result.errorMessage), true);
            return;
        }
        loaded_ = true;
        const QJsonArray deposits = result.body.value("deposits").toArray();
        showDeposits(deposits);
        int flagged = 0;
        for (const auto& d : deposits)
            flagged += d.toObject().value("flagged").toBool() ? 1 : 0;
        QString text = tr("%n payment(s)", "", static_cast<int>(deposits.size()));
        if (flagged > 0)
            text += tr(", %n flagged for review (highlighted)", "", flagged);
        text += ".";
        if (!afterLoad_.isEmpty())
            text = afterLoad_ + " " + text;
        afterLoad_.clear();
        if (deposits.size() >= kServerLimit)
            text +=
                " " + tr("Only the newest %1 are listed; filter to see others.").arg(kServerLimit);
        setStatus(text, false);
    });
}

void PaymentsPanel::showDeposits(const QJsonArray& deposits) {
    const QString selected = selectedId();
    table_->blockSignals(true);
    table_->setRowCount(0);
    deposits_.clear();
    table_->setRowCount(static_cast<int>(deposits.size()));
    for (int row = 0; row < deposits.size(); ++row) {
        deposits_.append(deposits[row].toObject());
        setRow(row, deposits_.last());
    }
    table_->blockSignals(false);
    for (int column = 0; column < kColumns; ++column)
        if (column != Purpose)
            table_->resizeColumnToContents(column);
    if (selected.isEmpty() || !selectDeposit(selected))
        selectionChanged();
}

void PaymentsPanel::setRow(int row, const QJsonObject& d) {
    deposits_[row] = d;
    const bool flagged = d.value("flagged").toBool();
    QString status = statusText(d.value("status").toString());
    if (flagged)
        status += " " + tr("(flagged)");
    const QString texts[kColumns] = {
        shortTime(d.value("created_at")),
        d.value("user").toString(),
        d.value("provider").toString(),
        purposeText(d),
        amountText(d),
        status,
        d.value("settled_at").isNull() ? QString() : shortTime(d.value("settled_at"))};
    for (int column = 0; column < kColumns; ++column) {
        auto* item = new QTableWidgetItem(texts[column]);
        if (column == Amount)
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        if (flagged) {
            item->setBackground(kFlaggedBackground);
            item->setToolTip(d.value("status_reason").toString());
        }
        if (flagged && column == Status)
            item->setForeground(kErrorColor);
        table_->setItem(row, column, item);
    }
}

bool PaymentsPanel::selectDeposit(const QString& id) {
    for (int row = 0; row < deposits_.size(); ++row)
        if (deposits_[row].value("id").toString() == id) {
            table_->selectRow(row);
            selectionChanged();
            return true;
        }
    return false;
}

QJsonObject PaymentsPanel::selectedDeposit() const {
    const auto rows = table_->selectionModel()->selectedRows();
    if (rows.isEmpty() || rows.first().row() >= deposits_.size())
        return {};
    return deposits_[rows.first().row()];
}

QString PaymentsPanel::selectedId() const {
    return selectedDeposit().value("id").toString();
}

QString PaymentsPanel::cellText(const QString& id, int column) const {
    for (int row = 0; row < deposits_.size(); ++row)
        if (deposits_[row].value("id").toString() == id && table_->item(row, column))
            return table_->item(row, column)->text();
    return {};
}

bool PaymentsPanel::rowFlagged(const QString& id) const {
    for (const auto& d : deposits_)
        if (d.value("id").toString() == id)
            return d.value("flagged").toBool();
    return false;
}

void PaymentsPanel::selectionChanged() {
    updateActions();
    const QJsonObject d = selectedDeposit();
    if (d.isEmpty()) {
        details_->clear();
        return;
    }
    showDetails(d); // the list's copy at once, then the full one with raw notifications
    const QString id = d.value("id").toString();
    const int generation = generation_;
    api_.get("/api/admin/deposits/" + id, [this, id, generation](const ApiResult& result) {
        if (generation != generation_ || selectedId() != id)
            return;
        if (!result.ok()) {
            setStatus(
                tr("Could not load this payment's notifications: %1").arg(result.errorMessage),
                true);
            return;
        }
        showDetails(result.body.value("deposit").toObject());
    });
}

void PaymentsPanel::showDetails(const QJsonObject& deposit) {
    details_->setPlainText(detailsText(deposit));
}

void PaymentsPanel::updateActions() {
    const bool bank = isPendingBankTransfer(selectedDeposit()) && !busy_;
    approve_->setEnabled(bank);
    reject_->setEnabled(bank);
    note_->setEnabled(bank);
    reconcile_->setEnabled(!busy_);
    const QString why = tr("Select a pending bank transfer to approve or reject it.");
    approve_->setToolTip(bank ? tr("The money arrived: credit the buyer") : why);
    reject_->setToolTip(bank ? tr("The money did not arrive: void this transfer") : why);
}

void PaymentsPanel::decide(bool approve) {
    const QJsonObject d = selectedDeposit();
    if (!isPendingBankTransfer(d) || busy_)
        return;
    const QString id = d.value("id").toString();
    const int generation = generation_;
    busy_ = true;
    updateActions();
    const QString path = "/api/admin/deposits/" + id + (approve ? "/approve" : "/reject");
    api_.call(
        "POST", path, {{"note", note_->text().trimmed()}},
        [this, approve, d, generation](const ApiResult& result) {
            if (generation != generation_)
                return;
            busy_ = false;
            if (!result.ok()) {
                setStatus(result.errorMessage, true);
                updateActions();
                return;
            }
            note_->clear();
            const QJsonObject changed = result.body.value("deposit").toObject();
            for (int row = 0; row < deposits_.size(); ++row)
                if (deposits_[row].value("id") == changed.value("id"))
                    setRow(row, changed);
            selectionChanged();
            setStatus(
                approve
                    ? tr("Approved: %1 credited to %2.")
                          .arg(amountText(d), d.value("user").toString())
                    : tr("Rejected: the transfer from %1 is void.").arg(d.value("user").toString()),
                false);
        });
}

void PaymentsPanel::clear() {
    ++generation_;
    loaded_ = false;
    loading_ = false;
    busy_ = false;
    afterLoad_.clear();
    deposits_.clear();
    table_->setRowCount(0);
    details_->clear();
    note_->clear();
    setStatus({}, false);
    updateActions();
}
