#pragma once
// "Site texts" on the Admin page's settings: the terms, the privacy notice and the refund policy
// every visitor reads (GET /api/site/{key}, PUT /api/admin/site/{key} {"body"}). One text at a
// time is edited; an edit survives switching to another text until reload or sign-out. Save is
// disabled while the text is empty or longer than the server's limit (counted in characters);
// a refusal is shown red under the box and changes nothing. GUI thread.

#include "net/ApiClient.h"

#include <QGroupBox>
#include <QMap>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;

class SiteTextsBox : public QGroupBox {
    Q_OBJECT
public:
    static constexpr int kMaxChars = 20000; // the server's limit; it checks again

    SiteTextsBox(ApiClient& api, QWidget* parent);

    void reload(); // all three texts
    void save();   // the one shown
    void clear();
    bool loaded() const { return loaded_.size() == keys().size(); }
    static QStringList keys() { return {"terms", "privacy", "refund_policy"}; }

    // For tests and automation.
    QComboBox* keyBox() const { return key_; }
    QPlainTextEdit* editor() const { return body_; }
    QLabel* countLabel() const { return count_; }
    QPushButton* saveButton() const { return save_; }
    QLabel* statusLabel() const { return status_; }
    QString currentKey() const;

private:
    void showText(const QString& key);
    void showCount();
    void setStatus(const QString& text, bool error);

    ApiClient& api_;
    int generation_ = 0;            // a sign-out makes answers to older requests stale
    QMap<QString, QString> loaded_; // key -> body as the server has it
    QMap<QString, QString> edited_; // key -> body being edited
    QMap<QString, QString> setAt_;  // key -> when the admin set it (empty: the default)
    QString shownKey_;

    QComboBox* key_;
    QPlainTextEdit* body_;
    QLabel* count_;
    QLabel* source_; // "Default text" or "Set on ..."
    QPushButton* save_;
    QLabel* status_;
};
