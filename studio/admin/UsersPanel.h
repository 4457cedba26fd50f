#pragma once
// Users (GET /api/admin/users, at most 200 per answer, searched by the server): a table of
// accounts with their roles and status, and the actions the server offers for the selected
// one: suspend or reinstate, grant or remove the creator and admin roles. The server refuses
// an admin suspending or demoting themself; its message is shown. GUI thread.

#include "net/ApiClient.h"

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;
class QTimer;

class UsersPanel : public QWidget {
    Q_OBJECT
public:
    static constexpr int kServerLimit = 200;

    UsersPanel(ApiClient& api, QWidget* parent);

    void reload();
    void clear();
    bool loaded() const { return loaded_; }
    // Neither loaded nor being loaded (never asked, or the last attempt failed).
    bool needsLoad() const { return !loaded_ && !loading_; }
    // Selects the row of `username`; false when it is not listed.
    bool selectUser(const QString& username);

    // For tests and automation.
    QLineEdit* searchField() const { return search_; }
    QTableWidget* table() const { return table_; }
    QPushButton* suspendButton() const { return suspend_; }
    QPushButton* creatorButton() const { return creator_; }
    QPushButton* adminButton() const { return admin_; }
    QLabel* statusLabel() const { return status_; }

private:
    void showUsers(const QJsonArray& users);
    void replaceRow(int row, const QJsonObject& user);
    QJsonObject selectedUser() const;
    void updateActions();
    void act(const QString& done, const QString& path, const QJsonObject& body);
    void setStatus(const QString& text, bool error);

    ApiClient& api_;
    bool loaded_ = false;
    bool loading_ = false;
    int generation_ = 0; // a newer search or a sign-out makes older answers stale
    QList<QJsonObject> users_;

    QLineEdit* search_;
    QTimer* searchDelay_;
    QTableWidget* table_;
    QPushButton* suspend_;
    QPushButton* creator_;
    QPushButton* admin_;
    QPushButton* reload_;
    QLabel* status_;
};
