#pragma once
// The studio's main window: navigation on the left (Library, Transcode, Watermark, Publish,
// Sales, Admin for admins, Settings), the page on the right, the server connection and the
// signed-in user in the status bar. Split by feature into MainWindow_<Feature>.cpp.

#include "common/StudioSettings.h"
#include "net/ApiClient.h"
#include "net/AuthSession.h"
#include "net/CredentialStore.h"
#include "net/ServerConnection.h"

#include <QMainWindow>

class QAction;
class QLabel;
class QPushButton;
class QListWidget;
class QStackedWidget;
class AdminPage;
class FirstRunChecklist;
class LibraryPage;
class LibraryStore;
class PublishPage;
class SalesPage;
class SettingsPage;
class TranscodePage;
class TranscodeQueue;
class WatermarkPage;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Shows or hides the Admin area (admins only).
    void setAdminMode(bool on);
    bool adminMode() const { return adminMode_; }
    // Switches to the page with this key ("library", "settings", ...); false if unknown/hidden.
    bool showPage(const QString& key);
    QString currentPage() const;
    QStringList pageKeys() const; // visible ones, in navigation order

    ServerConnection& connection() { return *connection_; }
    AuthSession& session() { return *session_; }
    SettingsPage* settingsPage() const { return settingsPage_; }
    PublishPage* publishPage() const { return publishPage_; }
    LibraryPage* libraryPage() const { return libraryPage_; }
    TranscodePage* transcodePage() const { return transcodePage_; }
    WatermarkPage* watermarkPage() const { return watermarkPage_; }
    SalesPage* salesPage() const { return salesPage_; }
    AdminPage* adminPage() const { return adminPage_; }
    FirstRunChecklist* checklist() const { return checklist_; }
    LibraryStore& library() { return *library_; }
    TranscodeQueue& transcodeQueue() { return *queue_; }
    QLabel* connectionLabel() const { return connectionLabel_; }
    QLabel* userLabel() const { return userLabel_; }
    QListWidget* navigation() const { return navigation_; }
    QAction* signInAction() const { return signInAction_; }
    // "Sign in..." in the status bar while signed out, "Sign out" while signed in.
    QPushButton* accountButton() const { return accountButton_; }
    QAction* signOutAction() const { return signOutAction_; }

    // Adopts and checks a server address (also what Settings and --server do).
    void useServer(const QString& url);
    void openSignIn();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildPages();
    void buildMenus();
    void buildAccount();
    void showAbout();
    // `whatFor` is the navigation entry's tooltip.
    void addPage(const QString& key, const QString& label, QWidget* page, const QString& whatFor);
    void updateUser();
    void adoptCheckedServer();

    StudioSettings settings_;
    LibraryStore* library_;
    TranscodeQueue* queue_;
    ApiClient* api_;
    ServerConnection* connection_;
    CredentialStore* credentials_;
    AuthSession* session_;
    QListWidget* navigation_;
    QStackedWidget* stack_;
    SettingsPage* settingsPage_ = nullptr;
    PublishPage* publishPage_ = nullptr;
    LibraryPage* libraryPage_ = nullptr;
    TranscodePage* transcodePage_ = nullptr;
    WatermarkPage* watermarkPage_ = nullptr;
    SalesPage* salesPage_ = nullptr;
    AdminPage* adminPage_ = nullptr;
    FirstRunChecklist* checklist_ = nullptr;
    QLabel* connectionLabel_;
    QLabel* userLabel_;
    QAction* signInAction_ = nullptr;
    QPushButton* accountButton_ = nullptr;
    QAction* signOutAction_ = nullptr;
    bool adminMode_ = false;
    bool restoredSession_ = false;
};
