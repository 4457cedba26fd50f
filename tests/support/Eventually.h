#pragma once
// Test support: waits on a condition instead of a fixed sleep. Polls `done` (every 50 ms,
// running the Qt event loop meanwhile) until it returns true or `timeoutMs` passes.

#include <QElapsedTimer>
#include <QTest>

namespace reelgate::test {

template <class Done> bool eventually(Done done, int timeoutMs = 10000) {
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        if (done())
            return true;
        QTest::qWait(50);
    }
    return done();
}

} // namespace reelgate::test
