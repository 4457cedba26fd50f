// The real studio window, offscreen, against the real reelgate-server: navigation, settings
// that persist, the server check in the status bar, and signing in and out.

#include "HttpClient.h"
#include "ServerProcess.h"
#include "WindowSupport.h"
#include "account/SignInDialog.h"
#include "app/FirstRunChecklist.h"
#include "app/MainWindow.h"
#include "common/StudioSettings.h"
#include "settings/SettingsPage.h"

#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMap>
#include <QPushButton>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace reelgate::test;

class TestMainWindow : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    ServerProcess server_;

    static bool waitForState(MainWindow& window, ConnectionState state) {
        return QTest::qWaitFor([&] { return window.connection().state() == state; }, 15000);
    }

    static QString freePortUrl() {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        const QString url = QString("http://127.0.0.1:%1").arg(probe.serverPort());
        probe.close();
        return url;
    }

private slots:
    void initTestCase() {
        // Private settings and token file: never the user's real ones, nor another test's.
        studiotest::usePrivateHome(tmp_);
        QFile::remove(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) +
                      "/credentials.json");
        QVERIFY2(server_.start(serverReachable(tmp_) + "/data"), qPrintable(server_.log()));
        HttpClient client(server_.baseUrl());
        QCOMPARE(client
                     .postJson("/api/auth/register", {{"username", "maker"},
                                                      {"email", "maker@example.com"},
                                                      {"password", "maker password 1"}})
                     .status,
                 201);
        const auto admin = runServerCli(
            {"admin", "create", "boss", "boss@example.com", "--data-dir", tmp_.path() + "/data"},
            60000, "boss password 12\n");
        QCOMPARE(admin.exitCode, 0);
    }

    void cleanupTestCase() { QCOMPARE(server_.stop(), 0); }

    void navigationShowsEveryAreaAndHidesAdmin() {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.windowTitle(), QString("Reelgate Studio"));
        QCOMPARE(window.pageKeys(), (QStringList{"start", "library", "transcode", "watermark",
                                                 "publish", "sales", "settings"}));
        QVERIFY(!window.showPage("admin"));
        window.setAdminMode(true);
        QVERIFY(window.pageKeys().contains("admin"));
        QVERIFY(window.showPage("admin"));
        window.setAdminMode(false);
        QCOMPARE(window.currentPage(), QString("library"));

        // Clicking an entry switches the page.
        QListWidget* nav = window.navigation();
        const int salesRow = window.pageKeys().indexOf("sales");
        const QRect rect = nav->visualItemRect(nav->item(salesRow));
        QTest::mouseClick(nav->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(window.currentPage(), QString("sales"));
        studiotest::snapshot(window, "studio-sales");
    }

    // Switching pages, the title stays where the eye left it.
    void everyPageTitleSitsAtOnePlace() {
        MainWindow window;
        window.setAdminMode(true);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QMap<QString, QPoint> at;
        for (const QString& key : window.pageKeys()) {
            QVERIFY(window.showPage(key));
            QTest::qWait(0); // lay out the page now shown
            QLabel* title = nullptr;
            for (QLabel* label : window.findChildren<QLabel*>("pageHeading"))
                if (label->isVisible())
                    title = label;
            QVERIFY2(title, qPrintable(key));
            at[key] = title->mapTo(&window, QPoint(0, 0));
            QCOMPARE(title->font().bold(), true);
        }
        for (const QString& key : at.keys())
            QVERIFY2(at[key] == at["library"], qPrintable(QString("%1 at %2,%3, library at %4,%5")
                                                              .arg(key)
                                                              .arg(at[key].x())
                                                              .arg(at[key].y())
                                                              .arg(at["library"].x())
                                                              .arg(at["library"].y())));
        window.setAdminMode(false);
    }

    void firstRunChecklistLeadsTheWay() {
        MainWindow window;
        window.show();
        QCOMPARE(window.currentPage(), QString("start"));
        FirstRunChecklist* list = window.checklist();
        QVERIFY(!list->isDone(FirstRunChecklist::SignIn));
        QVERIFY(list->summaryLabel()->text().startsWith("6 steps"));
        QVERIFY(list->actionButton(FirstRunChecklist::SignIn)->isVisible());
        studiotest::snapshot(window, "studio-first-run");
        // Each step's button leads to it.
        QTest::mouseClick(list->actionButton(FirstRunChecklist::Import), Qt::LeftButton);
        QCOMPARE(window.currentPage(), QString("library"));
        window.showPage("start");
        QTest::mouseClick(list->actionButton(FirstRunChecklist::Transcode), Qt::LeftButton);
        QCOMPARE(window.currentPage(), QString("transcode"));
        window.showPage("start");
        QTest::mouseClick(list->actionButton(FirstRunChecklist::SignIn), Qt::LeftButton);
        auto* dialog = window.findChild<SignInDialog*>();
        QVERIFY(dialog);
        dialog->reject();
    }

    void serverAddressIsCheckedAndRemembered() {
        {
            MainWindow window;
            window.show();
            window.showPage("settings");
            SettingsPage* settings = window.settingsPage();
            settings->urlField()->setText(server_.baseUrl());
            QTest::mouseClick(settings->checkButton(), Qt::LeftButton);
            QVERIFY(waitForState(window, ConnectionState::Connected));
            QVERIFY2(window.connectionLabel()->text().contains("server " REELGATE_VERSION),
                     qPrintable(window.connectionLabel()->text()));
            QCOMPARE(settings->statusLabel()->text(), window.connectionLabel()->text());
            studiotest::snapshot(window, "studio-settings-connected");
            window.close();
        }
        MainWindow again; // a new start reads the saved address and checks it at once
        QCOMPARE(again.settingsPage()->urlField()->text(), server_.baseUrl());
        QVERIFY(waitForState(again, ConnectionState::Connected));
        // Until the first video is on sale the studio opens on its checklist, then on the page
        // it was left on.
        QCOMPARE(again.currentPage(), QString("start"));
        StudioSettings().setFirstRunDone(true);
        MainWindow later;
        QCOMPARE(later.currentPage(), QString("settings"));
        StudioSettings().setFirstRunDone(false);
    }

    void badAddressesAreExplained_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("message");
        QTest::newRow("ftp") << "ftp://example.com" << int(ConnectionState::InvalidUrl)
                             << "must start with http";
        QTest::newRow("words") << "not a url" << int(ConnectionState::InvalidUrl)
                               << "must start with http";
        QTest::newRow("empty") << "" << int(ConnectionState::InvalidUrl) << "Enter the server";
        QTest::newRow("nobody listens")
            << freePortUrl() << int(ConnectionState::Unreachable) << "Cannot reach the server";
    }
    void badAddressesAreExplained() {
        QFETCH(QString, url);
        QFETCH(int, state);
        QFETCH(QString, message);
        MainWindow window;
        window.useServer(url);
        QVERIFY(waitForState(window, ConnectionState(state)));
        QVERIFY2(window.connectionLabel()->text().contains(message),
                 qPrintable(window.connectionLabel()->text()));
        // An unusable address is not saved over the working one.
        QCOMPARE(QSettings("Reelgate", "Reelgate Studio").value("server/url").toString(),
                 server_.baseUrl());
    }

    void signInShowsTheUserAndSignOutRevokesTheToken() {
        MainWindow window;
        window.show();
        QVERIFY(waitForState(window, ConnectionState::Connected));
        QCOMPARE(window.userLabel()->text(), QString("Not signed in"));
        // A visible button, not only the File menu.
        QVERIFY(window.accountButton()->isVisible());
        QCOMPARE(window.accountButton()->text(), QString("Sign in..."));
        QTest::mouseClick(window.accountButton(), Qt::LeftButton);
        auto* dialog = window.findChild<SignInDialog*>();
        QVERIFY(dialog);
        // Links to the server's sign-up and password-reset pages.
        const QString links = dialog->linksLabel()->text();
        QVERIFY2(links.contains("href=\"" + server_.baseUrl() + "/signup\"") &&
                     links.contains("href=\"" + server_.baseUrl() + "/forgot\""),
                 qPrintable(links));
        QVERIFY(dialog->linksLabel()->openExternalLinks());
        dialog->loginField()->setText("maker");
        dialog->passwordField()->setText("wrong password");
        QTest::mouseClick(dialog->signInButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return dialog->errorLabel()->isVisible(); }, 15000));
        QCOMPARE(dialog->errorLabel()->text(), QString("Wrong username or password."));
        studiotest::snapshot(*dialog, "studio-signin-error");

        dialog->passwordField()->setText("maker password 1");
        QTest::mouseClick(dialog->signInButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return window.session().isSignedIn(); }, 15000));
        QVERIFY(window.userLabel()->text().startsWith("Signed in as maker (buyer)"));
        QVERIFY(window.userLabel()->text().contains("private file (no keychain)"));
        QVERIFY(!window.adminMode());
        studiotest::snapshot(window, "studio-signed-in");

        const QString file = window.session().tokenFilePath();
        struct stat st {};
        QCOMPARE(::stat(QFile::encodeName(file).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, 0600u); // only this user can read the token
        QFile stored(file);
        QVERIFY(stored.open(QIODevice::ReadOnly));
        const QByteArray token = QJsonDocument::fromJson(stored.readAll())
                                     .object()
                                     .value(server_.baseUrl())
                                     .toString()
                                     .toUtf8();
        QVERIFY(token.startsWith("rgt_"));
        HttpClient asStudio(server_.baseUrl());
        asStudio.setBearer(token);
        QCOMPARE(asStudio.get("/api/me").status, 200);

        {
            MainWindow restarted; // the token is reused at the next start
            QVERIFY(QTest::qWaitFor([&] { return restarted.session().isSignedIn(); }, 15000));
            QCOMPARE(restarted.session().user().username, QString("maker"));
        }

        QCOMPARE(window.accountButton()->text(), QString("Sign out"));
        QTest::mouseClick(window.accountButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return !window.session().isSignedIn(); }, 15000));
        QCOMPARE(window.accountButton()->text(), QString("Sign in..."));
        QCOMPARE(window.userLabel()->text(), QString("Not signed in"));
        QCOMPARE(asStudio.get("/api/me").status, 401); // revoked on the server
        QVERIFY(QTest::qWaitFor(
            [&] {
                QFile f(file);
                return f.open(QIODevice::ReadOnly) && !f.readAll().contains("rgt_");
            },
            5000));
    }

    void adminsGetAdminMode() {
        QFile::remove(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) +
                      "/credentials.json");
        MainWindow window;
        window.show();
        QVERIFY(waitForState(window, ConnectionState::Connected));
        window.openSignIn();
        auto* dialog = window.findChild<SignInDialog*>();
        dialog->loginField()->setText("boss@example.com");
        dialog->passwordField()->setText("boss password 12");
        QTest::mouseClick(dialog->signInButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return window.session().isSignedIn(); }, 15000));
        QVERIFY(window.adminMode());
        QVERIFY(window.showPage("admin"));
        QVERIFY(window.userLabel()->text().contains("admin"));
        studiotest::snapshot(window, "studio-admin");
        window.signOutAction()->trigger();
        QVERIFY(QTest::qWaitFor([&] { return !window.adminMode(); }, 15000));
        QVERIFY(!window.pageKeys().contains("admin"));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
