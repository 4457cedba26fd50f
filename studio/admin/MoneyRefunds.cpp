#include "admin/MoneyRefunds.h"

#include "admin/MoneyList.h"
#include "net/ApiClient.h"
#include "reelgate/core/Money.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

namespace {
constexpr int kSearchDelayMs = 300; // wait for a pause in typing before asking the server

bool refunded(const QJsonObject& purchase) {
    const QString status = purchase.value("status").toString();
    const bool refundedAt =
        purchase.contains("refunded_at") && !purchase.value("refunded_at").isNull();
    return status == "refunded" || status == "disputed" || status == "reversed" ||
           purchase.value("refunded").toBool() || refundedAt;
}
} // namespace

MoneyRefunds::MoneyRefunds(ApiClient& api, QWidget* parent)
    : QWidget(parent)
    , api_(api)
    , searchDelay_(new QTimer(this)) {
    auto* layout = new QVBoxLayout(this);
    search_ = new QLineEdit(this);
    search_->setObjectName("purchaseSearch");
    search_->setPlaceholderText(tr("Search purchases by buyer, video title or id"));
    search_->setClearButtonEnabled(true);
    search_->setMaxLength(200);
    layout->addWidget(search_);
    list_ = new MoneyList(api_, "/api/admin/purchases", "purchases",
                          {{"id", tr("Purchase")},
                           {"created_at", tr("Bought")},
                           {"buyer", tr("Buyer")},
                           {"video", tr("Video")},
                           {"price", tr("Paid")},
                           {"paid_with", tr("Paid with")},
                           {"fee", tr("Platform fee")},
                           {"commission", tr("Commission")},
                           {"affiliate", tr("Affiliate")},
                           {"creator_net", tr("Creator got")},
                           {"left", tr("Left to refund")},
                           {"status", tr("Status")}},
                          this);
    list_->setObjectName("purchases");
    layout->addWidget(list_, 2);

    reason_ = new QLineEdit(this);
    reason_->setObjectName("refundReason");
    reason_->setPlaceholderText(tr("Reason for the refund (kept in the audit log)"));
    reason_->setMaxLength(500);
    amount_ = new QLineEdit(this);
    amount_->setObjectName("refundAmount");
    amount_->setMaxLength(24);
    amount_->setPlaceholderText(tr("Amount (empty: all that is left)"));
    refund_ = new QPushButton(tr("Refund"), this);
    refund_->setObjectName("refundPurchase");
    list_->actionRow()->addWidget(reason_, 1);
    list_->actionRow()->addWidget(amount_);
    list_->actionRow()->addWidget(refund_);

    reversalTitle_ = new QLabel(this);
    reversalTitle_->setObjectName("reversalTitle");
    reversalTitle_->setWordWrap(true);
    layout->addWidget(reversalTitle_);
    reversal_ = new QTableWidget(0, 2, this);
    reversal_->setObjectName("reversal");
    reversal_->setHorizontalHeaderLabels({tr("Account"), tr("Amount")});
    reversal_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    reversal_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    reversal_->verticalHeader()->hide();
    layout->addWidget(reversal_, 1);

    searchDelay_->setSingleShot(true);
    searchDelay_->setInterval(kSearchDelayMs);
    connect(search_, &QLineEdit::textChanged, searchDelay_, qOverload<>(&QTimer::start));
    connect(searchDelay_, &QTimer::timeout, this, &MoneyRefunds::reload);
    connect(list_, &MoneyList::selectionChanged, this, &MoneyRefunds::updateActions);
    connect(reason_, &QLineEdit::textChanged, this, &MoneyRefunds::updateActions);
    connect(amount_, &QLineEdit::textChanged, this, &MoneyRefunds::updateActions);
    connect(refund_, &QPushButton::clicked, this, &MoneyRefunds::refund);
    updateActions();
}

void MoneyRefunds::reload() {
    searchDelay_->stop();
    const QString q = search_->text().trimmed();
    list_->setQuery(q.isEmpty() ? QString() : "q=" + QUrl::toPercentEncoding(q));
    list_->reload();
}

std::optional<qint64> MoneyRefunds::amountMinor(const QJsonObject& purchase) const {
    const QString text = amount_->text().trimmed();
    if (text.isEmpty())
        return std::nullopt;
    const QString code = purchase.value("price").toObject().value("currency").toString();
    try {
        const auto money = reelgate::core::Money::tryParse(
            text.toStdString(), reelgate::core::Currency::fromCode(code.toStdString()));
        return money && money->amountMinor() > 0 ? money->amountMinor() : -1;
    } catch (const std::exception&) { // an unknown currency
        return -1;
    }
}

void MoneyRefunds::updateActions() {
    const QJsonObject purchase = list_->selected();
    const bool already = !purchase.isEmpty() && refunded(purchase);
    const auto amount = purchase.isEmpty() ? std::nullopt : amountMinor(purchase);
    const bool badAmount = amount && *amount < 0;
    refund_->setEnabled(!busy_ && !purchase.isEmpty() && !already && !badAmount &&
                        !reason_->text().trimmed().isEmpty());
    const QString left = MoneyList::cellText("left", purchase.value("left"));
    amount_->setPlaceholderText(left.isEmpty() ? tr("Amount (empty: all that is left)")
                                               : tr("Amount (empty: all of %1)").arg(left));
    refund_->setToolTip(already     ? tr("This purchase is already refunded.")
                        : badAmount ? tr("The amount is not an amount of this purchase's currency.")
                                    : QString());
}

void MoneyRefunds::refund() {
    const QJsonObject purchase = list_->selected();
    if (purchase.isEmpty())
        return;
    const QString id = MoneyList::cellText("id", purchase.value("id"));
    QJsonObject body{{"reason", reason_->text().trimmed()}};
    if (const auto amount = amountMinor(purchase)) {
        if (*amount < 0)
            return;
        body["amount_minor"] = *amount;
    }
    busy_ = true;
    updateActions();
    const int generation = generation_;
    list_->setStatus(tr("Refunding purchase %1...").arg(id), false);
    api_.callOnce(
        "POST", "/api/admin/purchases/" + id + "/refund", body, ApiClient::newIdempotencyKey(),
        [this, id, generation](const ApiResult& result) {
            if (generation != generation_)
                return;
            busy_ = false;
            if (!result.ok()) {
                list_->setStatus(tr("Purchase %1: %2").arg(id, result.errorMessage), true);
                updateActions();
                return;
            }
            reason_->clear();
            amount_->clear();
            showReversal(result.body);
            emit acted();
            const QJsonObject done = result.body.value("refund").toObject();
            reversalTitle_->setText(
                done.value("whole").toBool(true)
                    ? tr("Purchase %1 refunded; the buyer's access has ended. Reversal:").arg(id)
                    : tr("%1 of purchase %2 refunded; the buyer keeps access. Reversal:")
                          .arg(MoneyList::cellText("amount", done.value("amount")), id));
            list_->reload();
        });
}

void MoneyRefunds::showReversal(const QJsonObject& answer) {
    const QJsonArray lines = answer.value("reversal").toArray();
    reversal_->setRowCount(static_cast<int>(lines.size()));
    for (int row = 0; row < lines.size(); ++row) {
        const QJsonObject line = lines[row].toObject();
        reversal_->setItem(row, 0,
                           new QTableWidgetItem(MoneyList::cellText("account", line["account"])));
        auto* amount = new QTableWidgetItem(MoneyList::cellText("amount", line["amount"]));
        amount->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        reversal_->setItem(row, 1, amount);
    }
}

void MoneyRefunds::clear() {
    ++generation_;
    busy_ = false;
    searchDelay_->stop();
    {
        const QSignalBlocker block(search_);
        search_->clear();
    }
    list_->setQuery({});
    list_->clear();
    reason_->clear();
    reversalTitle_->clear();
    reversal_->setRowCount(0);
    updateActions();
}
