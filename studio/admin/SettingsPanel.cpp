#include "admin/SettingsPanel.h"

#include "admin/SiteTextsBox.h"

#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTableWidget>
#include <QTime>
#include <QVBoxLayout>

namespace {
constexpr int kMaxFeeBps = 9000; // the server's limit; it checks again
constexpr int kMaxStreams = 20;

QString cell(const QTableWidget* table, int row, int column) {
    const QTableWidgetItem* item = table->item(row, column);
    return item ? item->text().trimmed() : QString();
}
} // namespace

SettingsPanel::SettingsPanel(ApiClient& api, QWidget* parent)
    : QWidget(parent)
    , api_(api) {
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    fee_ = new QDoubleSpinBox(this);
    fee_->setObjectName("platformFee");
    fee_->setRange(0, kMaxFeeBps / 100.0);
    fee_->setDecimals(2);
    fee_->setSingleStep(0.5);
    fee_->setSuffix(" %");
    fee_->setToolTip(tr("Taken from every sale; the creator receives the rest (after any "
                        "affiliate commission)."));
    form->addRow(tr("Platform fee"), fee_);
    streams_ = new QSpinBox(this);
    streams_->setObjectName("maxStreams");
    streams_->setRange(1, kMaxStreams);
    streams_->setToolTip(tr("How many videos one account may play at the same time."));
    form->addRow(tr("Streams at once per user"), streams_);
    currencies_ = new QLineEdit(this);
    currencies_->setObjectName("displayCurrencies");
    currencies_->setPlaceholderText(tr("e.g. USD, EUR, IDR"));
    currencies_->setToolTip(tr("Prices are also shown converted into these currencies, in this "
                               "order. Money always moves in the video's own currency."));
    form->addRow(tr("Display currencies"), currencies_);
    layout->addLayout(form);

    layout->addWidget(new QLabel(tr("<b>Exchange rates</b> (1 unit of the first currency buys "
                                    "this many of the second)"),
                                 this));
    rates_ = new QTableWidget(0, 3, this);
    rates_->setObjectName("exchangeRates");
    rates_->setHorizontalHeaderLabels({tr("From"), tr("To"), tr("Rate")});
    rates_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    rates_->verticalHeader()->hide();
    rates_->setSelectionBehavior(QAbstractItemView::SelectRows);
    layout->addWidget(rates_, 1);
    auto* rateActions = new QHBoxLayout;
    addRate_ = new QPushButton(tr("Add rate"), this);
    removeRate_ = new QPushButton(tr("Remove selected"), this);
    rateActions->addWidget(addRate_);
    rateActions->addWidget(removeRate_);
    rateActions->addStretch(1);
    layout->addLayout(rateActions);

    auto* actions = new QHBoxLayout;
    save_ = new QPushButton(tr("Save"), this);
    save_->setObjectName("saveSettings");
    reload_ = new QPushButton(tr("Reload"), this);
    reload_->setObjectName("reloadSettings");
    actions->addWidget(save_);
    actions->addWidget(reload_);
    actions->addStretch(1);
    layout->addLayout(actions);
    status_ = new QLabel(this);
    status_->setObjectName("settingsStatus");
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(status_);
    siteTexts_ = new SiteTextsBox(api_, this);
    layout->addWidget(siteTexts_, 1);

    connect(addRate_, &QPushButton::clicked, this, [this] {
        addRateRow({}, {}, {});
        rates_->setCurrentCell(rates_->rowCount() - 1, 0);
        rates_->editItem(rates_->item(rates_->rowCount() - 1, 0));
    });
    connect(removeRate_, &QPushButton::clicked, this, [this] {
        const int row = rates_->currentRow();
        if (row >= 0)
            rates_->removeRow(row);
    });
    connect(save_, &QPushButton::clicked, this, &SettingsPanel::save);
    connect(reload_, &QPushButton::clicked, this, &SettingsPanel::reload);
    setBusy(true); // nothing to edit until settings arrive
}

void SettingsPanel::setStatus(const QString& text, bool error) {
    status_->setStyleSheet(error ? "color: #b00020;" : QString());
    status_->setText(text);
}

void SettingsPanel::setBusy(bool busy) {
    for (QWidget* w : std::initializer_list<QWidget*>{fee_, streams_, currencies_, rates_, addRate_,
                                                      removeRate_, save_})
        w->setEnabled(!busy && loaded_);
    reload_->setEnabled(!busy);
}

void SettingsPanel::addRateRow(const QString& base, const QString& quote, const QString& rate) {
    const int row = rates_->rowCount();
    rates_->insertRow(row);
    rates_->setItem(row, 0, new QTableWidgetItem(base));
    rates_->setItem(row, 1, new QTableWidgetItem(quote));
    rates_->setItem(row, 2, new QTableWidgetItem(rate));
}

void SettingsPanel::showSettings(const QJsonObject& settings) {
    fee_->setValue(settings.value("platform_fee_bps").toInt() / 100.0);
    streams_->setValue(settings.value("max_streams_per_user").toInt());
    QStringList codes;
    for (const auto& code : settings.value("display_currencies").toArray())
        codes.append(code.toString());
    currencies_->setText(codes.join(", "));
    rates_->setRowCount(0);
    for (const auto& value : settings.value("rates").toArray()) {
        const QJsonObject rate = value.toObject();
        addRateRow(rate.value("base").toString(), rate.value("quote").toString(),
                   rate.value("rate").toString());
    }
    loaded_ = true;
}

QJsonObject SettingsPanel::formJson() const {
    QJsonArray codes;
    static const QRegularExpression separators("[,;\\s]+");
    for (const QString& code : currencies_->text().split(separators, Qt::SkipEmptyParts))
        codes.append(code.toUpper());
    QJsonArray rates;
    for (int row = 0; row < rates_->rowCount(); ++row) {
        const QString base = cell(rates_, row, 0).toUpper();
        const QString quote = cell(rates_, row, 1).toUpper();
        const QString rate = cell(rates_, row, 2);
        if (base.isEmpty() && quote.isEmpty() && rate.isEmpty())
            continue; // a row added and left blank
        rates.append(QJsonObject{{"base", base}, {"quote", quote}, {"rate", rate}});
    }
    return {{"platform_fee_bps", qRound(fee_->value() * 100)},
            {"max_streams_per_user", streams_->value()},
            {"display_currencies", codes},
            {"rates", rates}};
}

void SettingsPanel::reload() {
    siteTexts_->reload();
    const int generation = ++generation_;
    setBusy(true);
    setStatus(tr("Loading the platform settings ..."), false);
    loading_ = true;
    api_.get("/api/admin/settings", [this, generation](const ApiResult& result) {
        if (generation != generation_)
            return;
        loading_ = false;
        if (result.ok()) {
            showSettings(result.body.value("settings").toObject());
            setStatus(tr("Loaded at %1.").arg(QTime::currentTime().toString("HH:mm:ss")), false);
        } else {
            setStatus(tr("Could not load the platform settings: %1").arg(result.errorMessage),
                      true);
        }
        setBusy(false);
    });
}

void SettingsPanel::save() {
    if (!loaded_)
        return;
    const int generation = ++generation_;
    rates_->setCurrentItem(nullptr); // commits a cell still being edited
    const QJsonObject body = formJson();
    setBusy(true);
    setStatus(tr("Saving ..."), false);
    api_.call("PUT", "/api/admin/settings", body, [this, generation](const ApiResult& result) {
        if (generation != generation_)
            return;
        if (result.ok()) {
            showSettings(result.body.value("settings").toObject());
            setStatus(tr("Saved at %1.").arg(QTime::currentTime().toString("HH:mm:ss")), false);
        } else {
            // The server checks everything in one transaction: nothing was changed.
            setStatus(tr("Not saved: %1 Nothing was changed; correct it and save again.")
                          .arg(result.errorMessage),
                      true);
        }
        setBusy(false);
    });
}

void SettingsPanel::clear() {
    ++generation_;
    loaded_ = false;
    loading_ = false;
    fee_->setValue(0);
    streams_->setValue(1);
    currencies_->clear();
    rates_->setRowCount(0);
    setStatus({}, false);
    setBusy(true);
    siteTexts_->clear();
}
