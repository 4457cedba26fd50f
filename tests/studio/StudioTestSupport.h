#pragma once
// Helpers for the studio page tests that need no server: small test clips (ffmpeg CLI via
// MediaTestSupport.h), plus the private home and screenshots of WindowSupport.h.

#include "MediaTestSupport.h"
#include "WindowSupport.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>
#include <QWidget>

namespace studiotest {

// A 3 s 320x240 30 fps clip with a mono 48 kHz AAC tone (unless withAudio is false).
inline QString makeClip(const QTemporaryDir& tmp, const QString& name, bool withAudio = true,
                        const QString& size = "320x240", int seconds = 3) {
    const QString path = tmp.path() + "/" + name;
    return mediatest::makeSource(path, size, seconds, withAudio) ? path : QString();
}

} // namespace studiotest
