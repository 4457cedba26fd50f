#pragma once
// Platform settings (GET/PUT /api/admin/settings): the platform fee (shown in percent, stored
// in basis points), the concurrent-stream limit per user, the display currencies in the order
// buyers see them, and the exchange rates as an editable table. Save sends the whole form; the
// server validates it in one transaction, so a refused save changes nothing and its message is
// shown under the form. Below it, the site texts (SiteTextsBox), loaded and cleared with it.
// GUI thread.

#include "net/ApiClient.h"

#include <QJsonObject>
#include <QWidget>

class QDoubleSpinBox;
class SiteTextsBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

class SettingsPanel : public QWidget {
    Q_OBJECT
public:
    SettingsPanel(ApiClient& api, QWidget* parent);

    void reload();
    void save();
    void clear();
    bool loaded() const { return loaded_; }
    // Neither loaded nor being loaded (never asked, or the last attempt failed).
    bool needsLoad() const { return !loaded_ && !loading_; }

    // For tests and automation.
    QDoubleSpinBox* feeBox() const { return fee_; }
    QSpinBox* streamsBox() const { return streams_; }
    QLineEdit* currenciesField() const { return currencies_; }
    QTableWidget* ratesTable() const { return rates_; }
    QPushButton* saveButton() const { return save_; }
    QPushButton* reloadButton() const { return reload_; }
    QLabel* statusLabel() const { return status_; }
    SiteTextsBox* siteTextsBox() const { return siteTexts_; }
    void addRateRow(const QString& base, const QString& quote, const QString& rate);

private:
    void showSettings(const QJsonObject& settings);
    QJsonObject formJson() const;
    void setStatus(const QString& text, bool error);
    void setBusy(bool busy);

    ApiClient& api_;
    bool loaded_ = false;
    bool loading_ = false;
    int generation_ = 0; // a sign-out makes answers to older requests stale

    QDoubleSpinBox* fee_;
    QSpinBox* streams_;
    QLineEdit* currencies_;
    QTableWidget* rates_;
    QPushButton* addRate_;
    QPushButton* removeRate_;
    QPushButton* save_;
    QPushButton* reload_;
    QLabel* status_;
    SiteTextsBox* siteTexts_;
};
