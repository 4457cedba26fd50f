#pragma once
// Admin mode (admins only; the main window hides the page from everyone else): tracing a
// leaked copy back to its viewer, platform settings, users and payments, one tab each. Data loads
// when an admin signs in and, for what is not loaded yet, when the page is shown; signing out
// forgets all of it and cancels a running trace. GUI thread.

#include <QWidget>

class ApiClient;
class AuthSession;
class QLabel;
class PaymentsPanel;
class QTabWidget;
class SettingsPanel;
class TracePanel;
class UsersPanel;

class AdminPage : public QWidget {
    Q_OBJECT
public:
    AdminPage(ApiClient& api, AuthSession& session, QWidget* parent);

    // For tests and automation.
    QTabWidget* tabs() const { return tabs_; }
    TracePanel* tracePanel() const { return trace_; }
    SettingsPanel* settingsPanel() const { return settings_; }
    UsersPanel* usersPanel() const { return users_; }
    PaymentsPanel* paymentsPanel() const { return payments_; }
    QLabel* noticeLabel() const { return notice_; }

protected:
    void showEvent(QShowEvent* event) override;

private:
    bool adminSignedIn() const;
    void loadMissing();
    void clearAll();

    ApiClient& api_;
    AuthSession& session_;
    QLabel* notice_;
    QTabWidget* tabs_;
    TracePanel* trace_;
    SettingsPanel* settings_;
    UsersPanel* users_;
    PaymentsPanel* payments_;
};
