#pragma once
// Helpers for every studio window test: a private home for settings, tokens and the studio
// database, offscreen screenshots on request, and a main window signed in to a running server.

#include "app/MainWindow.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QWidget>

#include <memory>

namespace studiotest {

// Settings, the studio database, presets and the token file (kept in a file, not a keychain)
// of this test run only: never the user's.
inline void usePrivateHome(const QString& dir) {
    for (const char* var : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"})
        qputenv(var, (dir + "/home/" + var).toUtf8());
    qputenv("REELGATE_STUDIO_CREDENTIALS", "file");
}
inline void usePrivateHome(const QTemporaryDir& tmp) {
    usePrivateHome(tmp.path());
}

// Saves widget.grab() as <name>.png into $REELGATE_SCREENSHOT_DIR when it is set.
inline void snapshot(QWidget& widget, const QString& name) {
    const QByteArray dir = qgetenv("REELGATE_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(QString::fromLocal8Bit(dir));
    QTest::qWait(100); // let layouts settle, as a person would see it
    widget.grab().save(QString::fromLocal8Bit(dir) + "/" + name + ".png");
}

// A main window, shown (offscreen), connected to a running server and signed in as `user` with
// a fresh sign-in (a token an earlier window stored is forgotten first), as a person would after
// starting the app. nullptr when connecting or signing in fails.
inline std::unique_ptr<MainWindow> signedInWindow(const QString& serverUrl, const QString& user,
                                                  const QString& password) {
    QFile::remove(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) +
                  "/credentials.json");
    auto window = std::make_unique<MainWindow>();
    window->show();
    window->useServer(serverUrl);
    if (!QTest::qWaitFor([&] { return window->connection().state() == ConnectionState::Connected; },
                         15000))
        return nullptr;
    window->session().signIn(user, password);
    if (!QTest::qWaitFor([&] { return window->session().isSignedIn(); }, 15000))
        return nullptr;
    return window;
}

} // namespace studiotest
