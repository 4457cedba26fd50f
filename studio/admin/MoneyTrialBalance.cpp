#include "admin/MoneyTrialBalance.h"

#include "admin/MoneyList.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QVBoxLayout>

MoneyTrialBalance::MoneyTrialBalance(ApiClient& api, QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    totals_ = new QLabel(this);
    totals_->setObjectName("trialTotals");
    totals_->setWordWrap(true);
    layout->addWidget(totals_);
    list_ = new MoneyList(api, "/api/admin/trial-balance", "accounts",
                          {{"id", tr("Account")},
                           {"kind", tr("Kind")},
                           {"owner", tr("Owner")},
                           {"currency", tr("Currency")},
                           {"balance", tr("Balance")}},
                          this);
    list_->setObjectName("trialBalance");
    layout->addWidget(list_, 1);
    connect(list_, &MoneyList::loadedRows, this, &MoneyTrialBalance::showTotals);
}

void MoneyTrialBalance::showTotals() {
    QStringList lines;
    bool balanced = true;
    for (const QJsonValue& value : list_->lastAnswer().value("totals").toArray()) {
        const QJsonObject total = value.toObject();
        const QJsonObject sum = total.value("sum").toObject();
        const QString currency = total.value("currency").toString();
        if (sum.value("amount_minor").toInteger() == 0) {
            lines << tr("%1: the accounts sum to %2, the books balance.")
                         .arg(currency, MoneyList::cellText("sum", sum));
        } else {
            balanced = false;
            lines << tr("%1: the accounts sum to %2, NOT zero: the books do not balance.")
                         .arg(currency, MoneyList::cellText("sum", sum));
        }
    }
    if (lines.isEmpty())
        lines << tr("No money has moved yet.");
    totals_->setStyleSheet(balanced ? "color: #1b5e20;" : "color: #b00020; font-weight: bold;");
    totals_->setText(lines.join('\n'));
}

void MoneyTrialBalance::clear() {
    list_->clear();
    totals_->clear();
}
