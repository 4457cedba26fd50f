#pragma once
// A studio main window, shown (offscreen), connected to a running server and signed in as
// `user` with a fresh sign-in (a token an earlier window stored is forgotten first), as a person
// would after starting the app. nullptr when connecting or signing in fails.

#include "app/MainWindow.h"

#include <QFile>
#include <QStandardPaths>
#include <QTest>

#include <memory>

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
