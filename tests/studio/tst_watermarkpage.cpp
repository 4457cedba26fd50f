// The Watermark designer, offscreen, on a real imported clip: the preview shows the video and
// draws the mark exactly where the shared motion function puts it, the template shows the
// sample viewer and UTC clock, the playback clock moves the mark, and designs are saved per
// video and as the default.

#include "StudioTestSupport.h"
#include "common/StudioDatabase.h"
#include "library/LibraryPage.h"
#include "library/LibraryStore.h"
#include "reelgate/core/WatermarkMotion.h"
#include "watermark/WatermarkPage.h"
#include "watermark/WatermarkPreview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFontMetrics>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <cmath>

class TestWatermarkPage : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    qint64 itemId_ = 0;
    LibraryStore* store_ = nullptr;

    // Where the rule says the mark goes, computed from the spec's numbers (not the painter).
    static QRect expectedMark(const WatermarkPreview& preview, qint64 tMs) {
        const WatermarkSpec& spec = preview.spec();
        const QRect video = preview.videoRect();
        const int h = video.height();
        const int fontPx = static_cast<int>(std::lround(spec.fontSizePct / 100.0 * h));
        const int marginPx = static_cast<int>(std::lround(spec.marginPct / 100.0 * h));
        const int padding = static_cast<int>(std::lround(0.25 * fontPx));
        QFont font("sans-serif");
        font.setStyleHint(QFont::SansSerif);
        font.setPixelSize(fontPx);
        const QFontMetrics metrics(font);
        const QSize box(metrics.horizontalAdvance(preview.markText()) + 2 * padding,
                        metrics.height() + 2 * padding);
        const auto point = reelgate::core::motionAt(spec.seed, tMs, spec.intervalMs);
        const auto at =
            reelgate::core::placeMark(point, video.width(), h, box.width(), box.height(), marginPx);
        return QRect(video.topLeft() + QPoint(at.xPx, at.yPx), box);
    }

private slots:
    void initTestCase() {
        studiotest::usePrivateHome(tmp_);
        QFile::remove(StudioDatabase::filePath());
        const QString clip = studiotest::makeClip(tmp_, "garden.mp4", true, "640x360", 4);
        QVERIFY(!clip.isEmpty());
        store_ = new LibraryStore(this);
        LibraryPage library(*store_, nullptr);
        QSignalSpy done(&library, &LibraryPage::importFinished);
        library.importFiles({clip});
        QVERIFY(!done.isEmpty() || done.wait(60000));
        QCOMPARE(store_->items().size(), 1);
        itemId_ = store_->items().first().id;
    }

    void previewsTheCreatorsVideo() {
        WatermarkPage page(*store_, nullptr);
        page.resize(1100, 650);
        page.show();
        QCOMPARE(page.selectedItemId(), itemId_);
        const LibraryItem item = *store_->item(itemId_);
        QCOMPARE(page.currentSpec().seed, item.watermarkSeed);
        QVERIFY(!page.preview()->frame().isNull()); // the thumbnail, at once
        // Then a full-size still from the file (grabbed off the UI thread).
        QVERIFY(QTest::qWaitFor(
            [&] { return !page.hasStillGrabPending() && page.preview()->frame().width() == 640; },
            20000));
        QCOMPARE(page.preview()->frame().size(), QSize(640, 360));
        const QRect video = page.preview()->videoRect();
        QVERIFY(qAbs(video.width() * 360 - video.height() * 640) <= 640); // the aspect, to 1 px
    }

    void placesTheMarkWhereTheMotionFunctionSays() {
        WatermarkPage page(*store_, nullptr);
        page.resize(1100, 650);
        page.show();
        WatermarkPreview* preview = page.preview();
        preview->setClock(QDateTime(QDate(2024, 3, 5), QTime(7, 8, 9), QTimeZone::utc()));
        QCOMPARE(preview->markText(), QString("sample_viewer 07:08:09"));
        QSet<QPoint> places;
        for (qint64 t : {0, 2500, 4999, 5000, 12345, 60000, 3600000}) {
            preview->setTimeMs(t);
            QCOMPARE(preview->markRect(), expectedMark(*preview, t));
            QVERIFY(preview->videoRect().contains(preview->markRect()));
            places.insert(preview->markRect().topLeft());
        }
        QVERIFY(places.size() >= 4); // it moves between slots...
        preview->setTimeMs(5000);
        const QPoint slot1 = preview->markRect().topLeft();
        preview->setTimeMs(9999);
        QCOMPARE(preview->markRect().topLeft(), slot1); // ...and holds within one

        // A shorter interval moves it sooner; the painted box is where the rect says.
        page.intervalBox()->setValue(2.0);
        QCOMPARE(page.currentSpec().intervalMs, 2000);
        page.setBoxColor(QColor("#ff0000"));
        page.boxOpacityBox()->setValue(100);
        preview->setTimeMs(4321);
        const QRect mark = expectedMark(*preview, 4321);
        QCOMPARE(preview->markRect(), mark);
        const QImage shot = preview->grab().toImage();
        QCOMPARE(QColor(shot.pixel(mark.topLeft() + QPoint(1, 1))), QColor("#ff0000"));
        QCOMPARE(QColor(shot.pixel(mark.bottomRight() - QPoint(1, 1))), QColor("#ff0000"));
        QVERIFY(QColor(shot.pixel(mark.topLeft() - QPoint(2, 2))) != QColor("#ff0000"));
    }

    void templateShowsViewerAndUtcClock() {
        WatermarkPage page(*store_, nullptr);
        WatermarkPreview* preview = page.preview();
        preview->setClock(QDateTime(QDate(2023, 12, 31), QTime(23, 59, 58), QTimeZone(3600)));
        page.templateField()->setText("{username} · {date} {time}");
        page.usernameField()->setText("ann");
        QCOMPARE(preview->markText(), QString("ann · 2023-12-31 22:59:58"));
        page.templateField()->setText("");
        QVERIFY(page.statusLabel()->text().contains("template"));
        QVERIFY(!page.saveForVideoButton()->isEnabled());
        QCOMPARE(preview->markText(), QString("ann · 2023-12-31 22:59:58")); // last good one
    }

    void playbackMovesTheMark() {
        WatermarkPage page(*store_, nullptr);
        page.resize(1100, 650);
        page.show();
        page.intervalBox()->setValue(0.5);
        page.setPlaying(true);
        QVERIFY(page.isPlaying());
        QSet<QPoint> places;
        QVERIFY(QTest::qWaitFor(
            [&] {
                places.insert(page.preview()->markRect().topLeft());
                return page.preview()->timeMs() > 1600;
            },
            15000));
        page.setPlaying(false);
        QVERIFY2(places.size() >= 3, qPrintable(QString::number(places.size())));
        const qint64 stopped = page.preview()->timeMs();
        QTest::qWait(200);
        QCOMPARE(page.preview()->timeMs(), stopped);
    }

    void savesPerVideoAndAsDefault() {
        {
            WatermarkPage page(*store_, nullptr);
            page.templateField()->setText("{username} only");
            page.fontSizeBox()->setValue(5);
            page.boxCheck()->setChecked(false);
            page.setColor(QColor("#ffcc00"));
            QTest::mouseClick(page.saveForVideoButton(), Qt::LeftButton);
            page.templateField()->setText("{username} {date}");
            QTest::mouseClick(page.saveDefaultButton(), Qt::LeftButton);
        }
        const LibraryItem item = *store_->item(itemId_);
        QString error;
        const auto saved = WatermarkSpec::fromJsonText(item.watermarkJson.toUtf8(), &error);
        QVERIFY2(saved, qPrintable(error));
        QCOMPARE(saved->templateText, QString("{username} only"));
        QCOMPARE(saved->fontSizePct, 5.0);
        QVERIFY(!saved->box);
        QCOMPARE(saved->color, QColor("#ffcc00"));
        QCOMPARE(saved->seed, item.watermarkSeed);
        QCOMPARE(WatermarkSpec::forItem(item), *saved);
        QCOMPARE(WatermarkSpec::studioDefault().templateText, QString("{username} {date}"));
        QCOMPARE(WatermarkSpec::studioDefault().seed, 0U);

        // A new page shows the video's own design again.
        WatermarkPage page(*store_, nullptr);
        page.resize(1100, 650);
        page.show();
        QCOMPARE(page.templateField()->text(), QString("{username} only"));
        QVERIFY(!page.boxCheck()->isChecked());
        page.preview()->setTimeMs(7000);
        QVERIFY(QTest::qWaitFor([&] { return !page.hasStillGrabPending(); }, 20000));
        page.boxCheck()->setChecked(true);
        page.templateField()->setText("{username} {time}");
        studiotest::snapshot(page, "watermark");
    }
};

QTEST_MAIN(TestWatermarkPage)
#include "tst_watermarkpage.moc"
