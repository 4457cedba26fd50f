#pragma once
// Helpers for the studio page tests that need no server: a private home for settings and the
// studio database, small test clips (ffmpeg CLI via MediaTestSupport.h), offscreen screenshots.

#include "MediaTestSupport.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>
#include <QWidget>

namespace studiotest {

// Settings, the studio database and presets of this test run only: never the user's.
inline void usePrivateHome(const QTemporaryDir& tmp) {
    for (const char* var : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"})
        qputenv(var, (tmp.path() + "/home/" + var).toUtf8());
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

// A 3 s 320x240 30 fps clip with a mono 48 kHz AAC tone (unless withAudio is false).
inline QString makeClip(const QTemporaryDir& tmp, const QString& name, bool withAudio = true,
                        const QString& size = "320x240", int seconds = 3) {
    const QString path = tmp.path() + "/" + name;
    return mediatest::makeSource(path, size, seconds, withAudio) ? path : QString();
}

} // namespace studiotest
