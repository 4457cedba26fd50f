#pragma once
// Edits a published (or draft) video's business settings: price, affiliate rate and the
// allowlist of usernames who watch for free. Saves through the API and shows the server's
// refusal (e.g. an unknown username) without closing.

#include "net/ApiClient.h"

#include <QDialog>
#include <QJsonObject>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

class VideoEditDialog : public QDialog {
    Q_OBJECT
public:
    // video: the JSON of GET /api/me/videos for one video.
    VideoEditDialog(ApiClient& api, const QJsonObject& video, int maxAffiliateBps, QWidget* parent);

    QLineEdit* priceField() const { return price_; }
    QComboBox* currencyBox() const { return currency_; }
    QDoubleSpinBox* affiliateBox() const { return affiliate_; }
    QPlainTextEdit* allowlistField() const { return allowlist_; }
    QPushButton* saveButton() const { return save_; }
    QLabel* errorLabel() const { return error_; }

signals:
    void saved();

private:
    void saveAll();
    void showError(const QString& message);

    ApiClient& api_;
    QString videoId_;
    QLineEdit* price_;
    QComboBox* currency_;
    QDoubleSpinBox* affiliate_;
    QPlainTextEdit* allowlist_;
    QPushButton* save_;
    QLabel* error_;
};
