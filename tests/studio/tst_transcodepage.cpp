// The Transcode page, offscreen: queue a library video with the draft preset and watch its row
// reach 100 % and show the package; import presets (a good one, broken JSON, bad values); the
// queue's rows come back after the page and its queue are recreated; libx264's chatter stays off
// the terminal.

#include "StudioTestSupport.h"
#include "common/StudioDatabase.h"
#include "library/LibraryPage.h"
#include "library/LibraryStore.h"
#include "transcode/PresetCatalog.h"
#include "transcode/TranscodeJobRow.h"
#include "transcode/TranscodePage.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

namespace {

// What the process writes to its standard error (fd 2, where libav's console log goes) between
// construction and finish().
class StderrCapture {
public:
    explicit StderrCapture(const QString& path)
        : path_(path) {
        std::fflush(stderr);
        saved_ = ::dup(2);
        const int fd = ::open(path.toLocal8Bit().constData(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(fd, 2);
        ::close(fd);
    }
    ~StderrCapture() { finish(); }
    QByteArray finish() {
        if (saved_ >= 0) {
            std::fflush(stderr);
            ::dup2(saved_, 2);
            ::close(saved_);
            saved_ = -1;
        }
        QFile file(path_);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

private:
    QString path_;
    int saved_ = -1;
};

} // namespace

class TestTranscodePage : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString clip_;

    QString writeFile(const QString& name, const QByteArray& bytes) {
        const QString path = tmp_.path() + "/" + name;
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(bytes);
        return path;
    }

    static qint64 importClip(LibraryStore& store, const QString& path) {
        LibraryPage library(store, nullptr);
        QSignalSpy done(&library, &LibraryPage::importFinished);
        library.importFiles({path});
        if (done.isEmpty() && !done.wait(60000))
            return 0;
        const auto item = store.itemByPath(path);
        return item ? item->id : 0;
    }

private slots:
    void initTestCase() {
        studiotest::usePrivateHome(tmp_);
        QFile::remove(StudioDatabase::filePath());
        clip_ = studiotest::makeClip(tmp_, "sunset.mp4");
        QVERIFY(!clip_.isEmpty());
    }

    void queuesAndFinishesATranscode() {
        LibraryStore store;
        const qint64 itemId = importClip(store, clip_);
        QVERIFY(itemId > 0);
        TranscodeQueue queue;
        queue.setPollIntervalMs(50);
        TranscodePage page(store, queue, nullptr);
        page.resize(1000, 700);
        page.show();
        QCOMPARE(page.videoList()->count(), 1);
        QVERIFY(page.presetBox()->findText("default") >= 0);
        QVERIFY(page.presetBox()->findText("draft") >= 0);
        page.presetBox()->setCurrentText("draft");
        QVERIFY2(page.presetSummary()->text().contains("240p, 360p, 480p"),
                 qPrintable(page.presetSummary()->text()));

        // Nothing ticked: the Add button waits (and says why), no dialog to dismiss.
        QVERIFY(!page.addButton()->isEnabled());
        QVERIFY(page.addButton()->toolTip().contains("Tick the videos"));
        QTest::mouseClick(page.addButton(), Qt::LeftButton);
        QVERIFY(!page.lastMessage());
        QCOMPARE(queue.entries().size(), 0);
        // Forensic A/B and AES-128 are on unless the preset turns them off.
        QVERIFY(page.abBox()->isChecked());
        QVERIFY(page.encryptBox()->isChecked());

        page.setVideoChecked(itemId, true);
        QVERIFY(page.addButton()->isEnabled());
        page.abBox()->setChecked(true);
        page.outputField()->setText(tmp_.path() + "/packages");
        StderrCapture console(tmp_.path() + "/stderr.txt");
        QTest::mouseClick(page.addButton(), Qt::LeftButton);
        QCOMPARE(queue.entries().size(), 1);
        const qint64 id = queue.entries().first().id;
        TranscodeJobRow* row = page.rowFor(id);
        QVERIFY(row);
        QVERIFY(row->pauseButton()->toolTip().contains("restarts from the beginning"));
        int maxSeen = 0;
        QVERIFY(QTest::qWaitFor(
            [&] {
                row = page.rowFor(id);
                if (row)
                    maxSeen = std::max(maxSeen, row->progressBar()->value());
                return row && row->openButton()->isVisible();
            },
            180000));
        const QByteArray printed = console.finish();
        // x264 prints its settings at info level for every encoder; none of it is on the
        // terminal (warnings would be, through the studio's log).
        QVERIFY2(!printed.contains("using cpu capabilities") && !printed.contains("libx264 @"),
                 printed.left(2000).constData());
        QCOMPARE(row->progressBar()->value(), 1000); // 100 %
        // The finished row (longer text, more buttons) is shown whole, not cut off.
        auto* list = page.findChild<QListWidget*>("transcodeQueue");
        QVERIFY(QTest::qWaitFor([&] { return row->height() >= row->minimumSizeHint().height(); },
                                2000));
        QVERIFY(!list->horizontalScrollBar()->isVisible());
        QCOMPARE(maxSeen, 1000);
        const QString package = tmp_.path() + "/packages/sunset-draft";
        QCOMPARE(row->stateLabel()->text(), "Finished: " + package);
        QVERIFY(QFileInfo::exists(package + "/manifest.json"));
        QVERIFY(!row->pauseButton()->isVisible());
        QVERIFY(!row->cancelButton()->isVisible());
        // The library item's seed travels into the manifest.
        const QJsonObject watermark =
            mediatest::readJson(package + "/manifest.json").value("watermark").toObject();
        QCOMPARE(static_cast<quint32>(watermark.value("seed").toInteger()),
                 store.item(itemId)->watermarkSeed);
        QCOMPARE(watermark.value("interval_ms").toInt(), 5000);

        // One queued behind a paused queue, for the screenshot and the restart test.
        queue.setPaused(true);
        page.setVideoChecked(itemId, true);
        page.presetBox()->setCurrentText("default");
        page.encryptBox()->setChecked(true);
        QCOMPARE(page.addToQueue().size(), 1);
        QCOMPARE(page.queuePauseButton()->text(), QString("Resume queue"));
        studiotest::snapshot(page, "transcode");
    }

    void queueRowsComeBackAfterARestart() {
        LibraryStore store;
        TranscodeQueue queue;
        TranscodePage page(store, queue, nullptr);
        page.show();
        QCOMPARE(queue.entries().size(), 2);
        const QueueEntry queued = queue.entries().last();
        QCOMPARE(queued.state, QueueState::Queued);
        QCOMPARE(queued.presetName, QString("default"));
        QVERIFY(queued.encrypt && queued.abVariants);
        TranscodeJobRow* row = page.rowFor(queued.id);
        QVERIFY(row);
        QCOMPARE(row->progressBar()->format(), QString("queued"));
        QVERIFY(row->cancelButton()->isVisible());
        TranscodeJobRow* finished = page.rowFor(queue.entries().first().id);
        QVERIFY(finished->stateLabel()->text().startsWith("Finished: "));

        // Cancelling a queued job, then removing it.
        QTest::mouseClick(row->cancelButton(), Qt::LeftButton);
        QCOMPARE(queue.entry(queued.id)->state, QueueState::Cancelled);
        QVERIFY(page.rowFor(queued.id)->retryButton()->isVisible());
        QTest::mouseClick(page.rowFor(queued.id)->removeButton(), Qt::LeftButton);
        QVERIFY(!queue.entry(queued.id));
        QVERIFY(!page.rowFor(queued.id));
    }

    void importsPresetsAndRefusesBadOnes() {
        LibraryStore store;
        TranscodeQueue queue;
        TranscodePage page(store, queue, nullptr);
        page.show();
        QVERIFY(page.importPreset(QString(REELGATE_SOURCE_DIR) + "/resources/presets/mobile.json"));
        QCOMPARE(page.presetBox()->currentText(), QString("mobile"));
        QVERIFY(QFileInfo::exists(PresetCatalog::directory() + "/mobile.json"));
        QVERIFY2(page.presetSummary()->text().contains("240p, 360p · 6 s segments"),
                 qPrintable(page.presetSummary()->text()));
        QVERIFY(page.abBox()->isChecked() && page.encryptBox()->isChecked());

        // A preset that turns the protections off unticks them; the built-ins tick them again.
        const QString plain =
            writeFile("plain.json", "{\"format_version\":1,\"name\":\"plain\",\"protection\":"
                                    "{\"forensic_ab\":false,\"aes128\":false}}");
        QVERIFY(page.importPreset(plain));
        QCOMPARE(page.presetBox()->currentText(), QString("plain"));
        QVERIFY(!page.abBox()->isChecked());
        QVERIFY(!page.encryptBox()->isChecked());
        page.presetBox()->setCurrentText("default");
        QVERIFY(page.abBox()->isChecked() && page.encryptBox()->isChecked());
        const QString odd = writeFile(
            "odd.json", "{\"format_version\":1,\"name\":\"odd\",\"protection\":{\"aes128\":1}}");
        QVERIFY(!page.importPreset(odd));
        QVERIFY(page.lastMessage()->text().contains("\"protection\" must be"));
        page.lastMessage()->close();

        const QString broken = writeFile("broken.json", "{\"name\": \"broken\", \"segment_ms\": ");
        QVERIFY(!page.importPreset(broken));
        QVERIFY(page.lastMessage());
        QCOMPARE(page.lastMessage()->text(), QString("broken.json is not valid JSON"));
        studiotest::snapshot(*page.lastMessage(), "transcode-bad-preset");
        page.lastMessage()->close();

        const QString tooShort =
            writeFile("short.json", "{\"format_version\":1,\"name\":\"short\",\"segment_ms\":200}");
        QVERIFY(!page.importPreset(tooShort));
        QVERIFY2(page.lastMessage()->text().contains("segment_ms must be between 1000 and 20000"),
                 qPrintable(page.lastMessage()->text()));
        page.lastMessage()->close();

        const QString builtinName =
            writeFile("draft.json", "{\"format_version\":1,\"name\":\"draft\"}");
        QVERIFY(!page.importPreset(builtinName));
        QVERIFY(page.lastMessage()->text().contains("built-in"));
        page.lastMessage()->close();
        QCOMPARE(page.presetBox()->findText("short"), -1);
        QCOMPARE(PresetCatalog().names(), (QStringList{"default", "draft", "mobile", "plain"}));
    }
};

QTEST_MAIN(TestTranscodePage)
#include "tst_transcodepage.moc"
