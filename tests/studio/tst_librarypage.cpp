// The Library page, offscreen: importing real clips (facts and thumbnail as the creator sees
// them), refusing files that are not videos, drag-and-drop, and a library that survives restarts.

#include "StudioTestSupport.h"
#include "common/StudioDatabase.h"
#include "library/LibraryPage.h"
#include "library/LibraryStore.h"

#include <QDropEvent>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

class TestLibraryPage : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString clip_;
    QString portrait_;
    QString audioOnly_;
    QString text_;

    static bool importAndWait(LibraryPage& page, const QStringList& files) {
        QSignalSpy done(&page, &LibraryPage::importFinished);
        page.importFiles(files);
        return !done.isEmpty() || done.wait(60000);
    }

    static int distinctColours(const QImage& image) {
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 4) {
            for (int x = 0; x < image.width(); x += 4)
                colours.insert(image.pixel(x, y));
        }
        return static_cast<int>(colours.size());
    }

private slots:
    void initTestCase() {
        studiotest::usePrivateHome(tmp_);
        clip_ = studiotest::makeClip(tmp_, "beach walk.mp4");
        QVERIFY(!clip_.isEmpty());
        portrait_ = studiotest::makeClip(tmp_, "phone.mp4", false);
        QVERIFY(!portrait_.isEmpty());
        QVERIFY(mediatest::setRotation90(portrait_));
        audioOnly_ = tmp_.path() + "/song.m4a";
        QCOMPARE(mediatest::ffmpeg({"-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a",
                                    "aac", audioOnly_})
                     .exitCode,
                 0);
        text_ = tmp_.path() + "/notes.mp4"; // a video name, but text inside
        QFile text(text_);
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("shopping list: film, popcorn\n");
    }

    void init() { QFile::remove(StudioDatabase::filePath()); }

    void importShowsProbeFactsAndThumbnail() {
        LibraryStore store;
        QVERIFY2(store.isOpen(), qPrintable(store.error()));
        LibraryPage page(store, nullptr);
        page.resize(900, 600);
        page.show();
        QVERIFY(importAndWait(page, {clip_}));
        QVERIFY2(!page.lastMessage(),
                 page.lastMessage() ? qPrintable(page.lastMessage()->informativeText()) : "");
        const QList<LibraryItem> items = store.items();
        QCOMPARE(items.size(), 1);
        const LibraryItem& item = items.first();
        QCOMPARE(item.title, QString("beach walk"));
        QCOMPARE(item.path, QFileInfo(clip_).absoluteFilePath());
        QVERIFY2(qAbs(item.durationMs - 3000) <= 150, qPrintable(QString::number(item.durationMs)));
        QCOMPARE(item.widthPx, 320);
        QCOMPARE(item.heightPx, 240);
        QCOMPARE(item.rotationDeg, 0);
        QCOMPARE(item.frameRate, 30.0);
        QCOMPARE(item.audioLayout, QString("mono, 48 kHz, aac"));
        QCOMPARE(item.sizeBytes, QFileInfo(clip_).size());
        QVERIFY(!item.thumbnail.isNull());
        QCOMPARE(item.thumbnail.size(), QSize(240, 180)); // fitted into 320x180, 4:3 kept
        QVERIFY(distinctColours(item.thumbnail) > 20);    // a real picture, not a blank

        // What the creator reads in the list.
        QCOMPARE(page.list()->count(), 1);
        const QString text = page.list()->item(0)->text();
        QVERIFY2(text.startsWith("beach walk\n0:03 · 320×240 · 30 fps · mono, 48 kHz, aac · "),
                 qPrintable(text));
        QVERIFY(!page.list()->item(0)->icon().isNull());
        QVERIFY2(page.statusLabel()->text().contains("1 video(s) added"),
                 qPrintable(page.statusLabel()->text()));
        page.list()->setCurrentRow(0);
        QVERIFY(page.detailsLabel()->text().contains("h264"));
        studiotest::snapshot(page, "library");
    }

    void importsRotatedVideoUpright() {
        LibraryStore store;
        LibraryPage page(store, nullptr);
        QVERIFY(importAndWait(page, {portrait_}));
        const auto item = store.itemByPath(QFileInfo(portrait_).absoluteFilePath());
        QVERIFY(item);
        QCOMPARE(item->rotationDeg, 90);
        QCOMPARE(QSize(item->widthPx, item->heightPx), QSize(240, 320));
        QVERIFY(item->thumbnail.height() > item->thumbnail.width());
        QCOMPARE(item->audioLayout, QString());
        QVERIFY(item->factsText().contains("no audio"));
        QVERIFY(item->factsText().contains("rotated 90°"));
    }

    void refusesFilesThatAreNotVideos() {
        LibraryStore store;
        LibraryPage page(store, nullptr);
        page.show();
        QVERIFY(importAndWait(page, {text_, audioOnly_, tmp_.path() + "/missing.mp4"}));
        QCOMPARE(store.items().size(), 0);
        QCOMPARE(page.list()->count(), 0);
        QMessageBox* box = page.lastMessage();
        QVERIFY(box);
        QVERIFY(box->isVisible());
        const QString why = box->informativeText();
        QVERIFY2(why.contains("cannot read notes.mp4"), qPrintable(why));
        QVERIFY2(why.contains("song.m4a has no video stream"), qPrintable(why));
        QVERIFY2(why.contains("missing.mp4"), qPrintable(why));
        studiotest::snapshot(*box, "library-refused");
        box->close();
    }

    void refusesADuplicateButAddsTheRest() {
        LibraryStore store;
        LibraryPage page(store, nullptr);
        QVERIFY(importAndWait(page, {clip_}));
        QVERIFY(importAndWait(page, {clip_, portrait_}));
        QCOMPARE(store.items().size(), 2);
        QVERIFY(page.lastMessage());
        QVERIFY(page.lastMessage()->informativeText().contains("already in the library"));
        page.lastMessage()->close();
    }

    void dropImports() {
        LibraryStore store;
        LibraryPage page(store, nullptr);
        page.show();
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(clip_)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton,
                              Qt::NoModifier);
        QCoreApplication::sendEvent(&page, &enter);
        QVERIFY(enter.isAccepted());
        QSignalSpy done(&page, &LibraryPage::importFinished);
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(&page, &drop);
        QVERIFY(!done.isEmpty() || done.wait(60000));
        QCOMPARE(store.items().size(), 1);
    }

    void keepsTheLibraryAcrossRestarts() {
        quint32 seed = 0;
        {
            LibraryStore store;
            LibraryPage page(store, nullptr);
            QVERIFY(importAndWait(page, {clip_}));
            seed = store.items().first().watermarkSeed;
        }
        LibraryStore store;
        LibraryPage page(store, nullptr);
        QCOMPARE(page.list()->count(), 1);
        const LibraryItem item = store.items().first();
        QCOMPARE(item.watermarkSeed, seed); // chosen once per video, then kept
        QVERIFY(!item.thumbnail.isNull());
        QCOMPARE(item.widthPx, 320);

        page.list()->setCurrentRow(0);
        QVERIFY(page.removeButton()->isEnabled());
        QTest::mouseClick(page.removeButton(), Qt::LeftButton);
        QCOMPARE(page.list()->count(), 0);
        QCOMPARE(store.items().size(), 0);
    }
};

QTEST_MAIN(TestLibraryPage)
#include "tst_librarypage.moc"
