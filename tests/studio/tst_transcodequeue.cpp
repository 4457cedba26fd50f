// TranscodeQueue with real transcodes (draft preset, small clips): a package with manifest.json
// and the video's watermark, progress to 100 %, cancel that leaves no partial folder, pause that
// puts the job back at the front, and a queue that survives an app restart.

#include "StudioTestSupport.h"
#include "common/StudioDatabase.h"
#include "transcode/TranscodeQueue.h"
#include "watermark/WatermarkSpec.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

class TestTranscodeQueue : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString shortClip_;
    QString longClip_;
    int outputs_ = 0;

    QueueEntry entryFor(const QString& source, const QString& title) {
        QueueEntry e;
        e.libraryItemId = 1;
        e.sourcePath = source;
        e.title = title;
        e.presetName = "draft";
        e.outputDir = tmp_.path() + "/out" + QString::number(++outputs_);
        WatermarkSpec spec = WatermarkSpec::defaults();
        spec.seed = 195948557;
        spec.templateText = "{username} · {date}";
        e.watermarkJson = QString::fromUtf8(spec.toJsonText());
        return e;
    }

    static QueueState stateOf(const TranscodeQueue& queue, qint64 id) {
        const auto e = queue.entry(id);
        return e ? e->state : QueueState::Invalid;
    }

    // Waits until the job runs and its partial folder is on disk.
    static bool waitUntilEncoding(const TranscodeQueue& queue, qint64 id) {
        return QTest::qWaitFor(
            [&] {
                const auto e = queue.entry(id);
                return e && e->state == QueueState::Running && e->fraction > 0 &&
                       QFileInfo::exists(e->packagePath + ".partial");
            },
            60000);
    }

private slots:
    void initTestCase() {
        studiotest::usePrivateHome(tmp_);
        shortClip_ = studiotest::makeClip(tmp_, "short.mp4");
        QVERIFY(!shortClip_.isEmpty());
        longClip_ = studiotest::makeClip(tmp_, "long.mp4", true, "640x360", 60);
        QVERIFY(!longClip_.isEmpty());
    }

    void init() { QFile::remove(StudioDatabase::filePath()); }

    void transcodesIntoAPackage() {
        TranscodeQueue queue;
        QVERIFY2(queue.storeError().isEmpty(), qPrintable(queue.storeError()));
        queue.setPollIntervalMs(50);
        double lastFraction = 0;
        int progressReports = 0;
        connect(&queue, &TranscodeQueue::entryChanged, this, [&](qint64 id) {
            const auto e = queue.entry(id);
            if (e && e->state == QueueState::Running && e->fraction > lastFraction) {
                lastFraction = e->fraction;
                ++progressReports;
            }
        });
        QueueEntry entry = entryFor(shortClip_, "short");
        entry.abVariants = true;
        const qint64 id = queue.enqueue(entry);
        QVERIFY(id > 0);
        QVERIFY(QTest::qWaitFor([&] { return !queue.entry(id)->isActive(); }, 180000));
        const QueueEntry done = *queue.entry(id);
        QVERIFY2(done.state == QueueState::Succeeded, qPrintable(done.error));
        QCOMPARE(done.fraction, 1.0);
        QVERIFY(progressReports >= 1);
        QCOMPARE(done.packagePath, entry.outputDir + "/short-draft");
        QVERIFY(!QFileInfo::exists(done.packagePath + ".partial"));
        const QJsonObject manifest = mediatest::readJson(done.packagePath + "/manifest.json");
        QVERIFY(!manifest.isEmpty());
        QCOMPARE(manifest.value("variants").toObject().value("ab").toBool(), true);
        QVERIFY(QFileInfo::exists(done.packagePath + "/master.m3u8"));
        // The video's watermark design, exactly as the web player will read it.
        QCOMPARE(manifest.value("watermark").toObject(),
                 QJsonDocument::fromJson(entry.watermarkJson.toUtf8()).object());
        QCOMPARE(manifest.value("watermark").toObject().value("seed").toInteger(), 195948557);

        // A second job for the same video gets its own folder.
        const qint64 again = queue.enqueue(entry);
        QVERIFY(QTest::qWaitFor([&] { return !queue.entry(again)->isActive(); }, 180000));
        QCOMPARE(queue.entry(again)->packagePath, entry.outputDir + "/short-draft-2");
    }

    void cancelRemovesThePartialFolder() {
        TranscodeQueue queue;
        queue.setPollIntervalMs(50);
        const qint64 id = queue.enqueue(entryFor(longClip_, "long"));
        QVERIFY(waitUntilEncoding(queue, id));
        const QString package = queue.entry(id)->packagePath;
        queue.cancel(id);
        QVERIFY(
            QTest::qWaitFor([&] { return stateOf(queue, id) == QueueState::Cancelled; }, 60000));
        QCOMPARE(queue.runningId(), 0);
        QVERIFY(!QFileInfo::exists(package + ".partial"));
        QVERIFY(!QFileInfo::exists(package));
        queue.remove(id);
        QVERIFY(!queue.entry(id));
    }

    void pausePutsTheJobBackAtTheFront() {
        TranscodeQueue queue;
        queue.setPollIntervalMs(50);
        queue.setPaused(true);
        const qint64 first = queue.enqueue(entryFor(longClip_, "first"));
        const qint64 second = queue.enqueue(entryFor(shortClip_, "second"));
        QTest::qWait(300);
        QCOMPARE(stateOf(queue, first), QueueState::Queued); // a paused queue starts nothing
        queue.setPaused(false);
        QVERIFY(waitUntilEncoding(queue, first));
        const QString package = queue.entry(first)->packagePath;
        QSignalSpy reordered(&queue, &TranscodeQueue::entriesChanged);
        queue.pause(first);
        QVERIFY(
            QTest::qWaitFor([&] { return stateOf(queue, first) == QueueState::Queued; }, 60000));
        QVERIFY(queue.isPaused());
        QCOMPARE(queue.runningId(), 0);
        QVERIFY(!QFileInfo::exists(package + ".partial"));
        QCOMPARE(queue.entries().first().id, first);
        QCOMPARE(queue.entry(first)->fraction, 0.0);
        QVERIFY(!reordered.isEmpty());
        QTest::qWait(300);
        QCOMPARE(stateOf(queue, second), QueueState::Queued); // still paused: nothing runs

        // Resuming starts the paused job again, first.
        queue.setPaused(false);
        QVERIFY(QTest::qWaitFor([&] { return queue.runningId() == first; }, 10000));
        queue.cancel(first);
        QVERIFY(QTest::qWaitFor([&] { return stateOf(queue, second) == QueueState::Succeeded; },
                                180000));
    }

    void queueSurvivesARestart() {
        QueueEntry entry = entryFor(shortClip_, "kept");
        entry.abVariants = true;
        entry.encrypt = true;
        qint64 id = 0;
        {
            TranscodeQueue queue;
            queue.setPaused(true);
            id = queue.enqueue(entry);
            QVERIFY(id > 0);
        }
        TranscodeQueue queue;
        QVERIFY(queue.isPaused());
        QCOMPARE(queue.entries().size(), 1);
        const QueueEntry back = queue.entries().first();
        QCOMPARE(back.id, id);
        QCOMPARE(back.state, QueueState::Queued);
        QCOMPARE(back.title, QString("kept"));
        QCOMPARE(back.presetName, QString("draft"));
        QVERIFY(back.abVariants);
        QVERIFY(back.encrypt);
        QCOMPARE(back.outputDir, entry.outputDir);
        QCOMPARE(back.watermarkJson, entry.watermarkJson);
    }

    void aJobRunningAtQuitComesBackQueued() {
        qint64 id = 0;
        QString package;
        {
            TranscodeQueue queue;
            queue.setPollIntervalMs(50);
            id = queue.enqueue(entryFor(longClip_, "interrupted"));
            QVERIFY(waitUntilEncoding(queue, id));
            package = queue.entry(id)->packagePath;
        } // the app quits mid-encode
        QVERIFY(!QFileInfo::exists(package + ".partial"));
        TranscodeQueue queue;
        QCOMPARE(stateOf(queue, id), QueueState::Queued);
        QCOMPARE(queue.entry(id)->packagePath, QString());
        queue.setPaused(true);
    }

    void aJobThatCannotStartFailsWithAReason() {
        TranscodeQueue queue;
        queue.setPollIntervalMs(50);
        QueueEntry noPreset = entryFor(shortClip_, "nopreset");
        noPreset.presetName = "vanished";
        const qint64 a = queue.enqueue(noPreset);
        const qint64 b = queue.enqueue(entryFor(tmp_.path() + "/gone.mp4", "gone"));
        QVERIFY(QTest::qWaitFor([&] { return stateOf(queue, b) == QueueState::Failed; }, 10000));
        QCOMPARE(stateOf(queue, a), QueueState::Failed);
        QVERIFY2(queue.entry(a)->error.contains("vanished"), qPrintable(queue.entry(a)->error));
        QVERIFY2(queue.entry(b)->error.contains("gone.mp4"), qPrintable(queue.entry(b)->error));
    }
};

QTEST_MAIN(TestTranscodeQueue)
#include "tst_transcodequeue.moc"
