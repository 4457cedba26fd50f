#pragma once
// Edits one of the creator's videos: title, description, visibility, price and currency,
// affiliate rate and the allowlist of usernames who watch for free; unpublishes it, publishes it
// again, or deletes it (after a confirmation that says its buyers keep watching it). Everything
// goes through the API; the server's refusal shows in red without closing, and goes away when
// the creator changes a field. A video with a package also shows its VideoMediaPanel (poster,
// free preview, trace length). Emits changed() after anything the server accepted.

#include "net/ApiClient.h"

#include <QDialog>
#include <QJsonObject>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QMessageBox;
class QPlainTextEdit;
class QPushButton;
class VideoMediaPanel;

class VideoEditDialog : public QDialog {
    Q_OBJECT
public:
    // video: the JSON of GET /api/me/videos for one video.
    VideoEditDialog(ApiClient& api, const QJsonObject& video, int maxAffiliateBps, QWidget* parent);

    QLineEdit* titleField() const { return title_; }
    QPlainTextEdit* descriptionField() const { return description_; }
    QComboBox* visibilityBox() const { return visibility_; }
    QLineEdit* priceField() const { return price_; }
    QComboBox* currencyBox() const { return currency_; }
    QDoubleSpinBox* affiliateBox() const { return affiliate_; }
    QPlainTextEdit* allowlistField() const { return allowlist_; }
    QPushButton* saveButton() const { return save_; }
    // "Unpublish" for a published video, "Publish again" for an unpublished one; hidden else.
    QPushButton* publishToggleButton() const { return toggle_; }
    QPushButton* deleteButton() const { return delete_; }
    // The open "Delete ...?" question, while it is shown.
    QMessageBox* deleteConfirmation() const { return confirm_; }
    QLabel* stateLabel() const { return state_; }
    QLabel* errorLabel() const { return error_; }
    // nullptr for a video without a package (a draft, a failed upload).
    VideoMediaPanel* mediaPanel() const { return media_; }

signals:
    void changed();
    // Kept for callers that only care about a save.
    void saved();

private:
    void saveAll();
    void togglePublished();
    void askDelete();
    void showState();
    void showError(const QString& message);
    void clearError();

    ApiClient& api_;
    QString videoId_;
    QString videoState_;
    QLineEdit* title_;
    QPlainTextEdit* description_;
    QComboBox* visibility_;
    QLineEdit* price_;
    QComboBox* currency_;
    QDoubleSpinBox* affiliate_;
    QPlainTextEdit* allowlist_;
    QLabel* state_;
    QPushButton* save_;
    QPushButton* toggle_;
    QPushButton* delete_;
    QMessageBox* confirm_ = nullptr;
    QLabel* error_;
    VideoMediaPanel* media_ = nullptr;
};
