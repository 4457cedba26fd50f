// "My videos" on the studio's Publish page, offscreen, against the real server: a creator edits
// every field of a published video, unpublishes and republishes it, deletes it (after a
// question that says its buyers keep it, and they do), is told by name when they publish the
// same package twice, and a signed-out studio keeps nothing of the account in the form. The
// media of a published video: its poster replaced from an image (a too-small one refused in
// red), its free preview set, the recording length a trace needs shown, and a watermark design
// saved from the Watermark page reaching a buyer's next playback session.

#include "Marketplace.h"
#include "StudioTestSupport.h"
#include "app/FirstRunChecklist.h"
#include "app/MainWindow.h"
#include "publish/MyVideosList.h"
#include "publish/PublishPage.h"
#include "publish/TusUploader.h"
#include "publish/VideoEditDialog.h"
#include "publish/VideoMediaPanel.h"
#include "watermark/WatermarkPage.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>
#include <QUuid>

using namespace reelgate::test;

class TestMyVideos : public QObject {
    Q_OBJECT

    QTemporaryDir home_;
    Marketplace market_;
    std::unique_ptr<MainWindow> window_;

    PublishPage* page() { return window_->publishPage(); }

    int rowOf(const QString& title) {
        const auto rows = page()->videoTable()->findItems(title, Qt::MatchExactly);
        return rows.isEmpty() ? -1 : rows.first()->row();
    }
    QString cell(const QString& title, int column) {
        const int row = rowOf(title);
        return row < 0 ? QString() : page()->videoTable()->item(row, column)->text();
    }
    // Selects the video's row and opens the editor with the Edit button, as a person would.
    VideoEditDialog* openEditor(const QString& title) {
        page()->refreshVideos();
        if (!QTest::qWaitFor([&] { return rowOf(title) >= 0; }, 10000))
            return nullptr;
        page()->videoTable()->selectRow(rowOf(title));
        if (!page()->myVideos()->editButton()->isEnabled())
            return nullptr;
        QTest::mouseClick(page()->myVideos()->editButton(), Qt::LeftButton);
        for (VideoEditDialog* dialog : page()->myVideos()->findChildren<VideoEditDialog*>())
            if (dialog->isVisible()) // earlier ones may still await deletion
                return dialog;
        return nullptr;
    }
    QJsonArray catalog() {
        HttpClient anonymous(market_.server().baseUrl());
        return anonymous.get("/api/catalog").json().object().value("videos").toArray();
    }
    static bool listed(const QJsonArray& videos, const QString& id) {
        return std::any_of(videos.begin(), videos.end(), [&](const QJsonValue& v) {
            return v.toObject().value("id").toString() == id;
        });
    }

private slots:
    void initTestCase() {
        studiotest::usePrivateHome(home_);
        QVERIFY2(market_.start(), qPrintable(market_.server().log()));
        QVERIFY(market_.signUp("maker", true));
        QVERIFY(market_.signUp("buyer"));
        QVERIFY(market_.signUp("pal"));
        QVERIFY(market_.credit("buyer", "20", "USD"));
        window_ =
            studiotest::signedInWindow(market_.server().baseUrl(), "maker", "long password 123");
        QVERIFY(window_);
        window_->resize(1100, 760);
        QVERIFY(window_->showPage("publish"));
    }

    void cleanupTestCase() { window_.reset(); }

    void editsEveryField() {
        const QString id = market_.publish("maker", "Rough Cut", "2.00", "USD", 0);
        QVERIFY(!id.isEmpty());
        page()->refreshVideos();
        QVERIFY(QTest::qWaitFor([&] { return rowOf("Rough Cut") >= 0; }, 10000));
        page()->videoTable()->clearSelection();
        QVERIFY(!page()->myVideos()->editButton()->isEnabled()); // nothing chosen yet
        VideoEditDialog* dialog = openEditor("Rough Cut");
        QVERIFY(dialog);
        QCOMPARE(dialog->titleField()->text(), QString("Rough Cut"));
        dialog->titleField()->setText("Final Cut");
        dialog->descriptionField()->setPlainText("Shot in one night.\nNo retakes.");
        dialog->visibilityBox()->setCurrentIndex(dialog->visibilityBox()->findData("unlisted"));
        dialog->priceField()->setText("7.50");
        dialog->currencyBox()->setCurrentText("EUR");
        dialog->affiliateBox()->setValue(5);
        dialog->allowlistField()->setPlainText("nobody-of-that-name");
        QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return dialog->errorLabel()->isVisible(); }, 10000));
        QVERIFY2(dialog->errorLabel()->text().contains("no user"),
                 qPrintable(dialog->errorLabel()->text()));
        QVERIFY(dialog->errorLabel()->styleSheet().contains("#d9534f")); // red
        studiotest::snapshot(*dialog, "myvideos-edit-error");
        dialog->allowlistField()->setPlainText("pal");
        QVERIFY(!dialog->errorLabel()->isVisible()); // cleared once the creator fixes it
        QPointer<VideoEditDialog> open(dialog);
        QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);
        // Saved: the dialog closes (the first, refused try already saved the fields above).
        QVERIFY(QTest::qWaitFor([&] { return !open || !open->isVisible(); }, 10000));
        QVERIFY(QTest::qWaitFor([&] { return cell("Final Cut", 2) == "7.50 EUR"; }, 10000));
        QCOMPARE(cell("Final Cut", 1), QString("published, unlisted"));
        QCOMPARE(cell("Final Cut", 3), QString("5 %"));
        // What a buyer sees now, and the friend watches for free.
        const QJsonObject seen = market_.client("buyer")
                                     ->get("/api/videos/" + id)
                                     .json()
                                     .object()
                                     .value("video")
                                     .toObject();
        QCOMPARE(seen.value("title").toString(), QString("Final Cut"));
        QCOMPARE(seen.value("description").toString(), QString("Shot in one night.\nNo retakes."));
        QCOMPARE(seen.value("price_display").toString(), QString("7.50 EUR"));
        QCOMPARE(market_.client("pal")->send("POST", "/api/videos/" + id + "/play", {}, {}).status,
                 201);
        studiotest::snapshot(*window_, "myvideos-edited");
    }

    void unpublishesAndRepublishes() {
        const QString id = market_.publish("maker", "Now and Then", "1.00", "USD", 0);
        VideoEditDialog* dialog = openEditor("Now and Then");
        QVERIFY(dialog);
        QCOMPARE(dialog->publishToggleButton()->text(), QString("Unpublish"));
        QTest::mouseClick(dialog->publishToggleButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor(
            [&] { return dialog->publishToggleButton()->text() == "Publish again"; }, 10000));
        QVERIFY2(dialog->stateLabel()->text().contains("still watch"),
                 qPrintable(dialog->stateLabel()->text()));
        QVERIFY(QTest::qWaitFor(
            [&] { return cell("Now and Then", 1) == "unpublished (buyers keep access)"; }, 10000));
        QVERIFY(!listed(catalog(), id));
        studiotest::snapshot(*dialog, "myvideos-unpublished");
        QTest::mouseClick(dialog->publishToggleButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return cell("Now and Then", 1) == "published"; }, 10000));
        QCOMPARE(dialog->publishToggleButton()->text(), QString("Unpublish"));
        QVERIFY(listed(catalog(), id));
        dialog->reject();
    }

    void deletesAfterSayingBuyersKeepIt() {
        const QString id = market_.publish("maker", "Last Light", "3.00", "USD", 0);
        QCOMPARE(market_.client("buyer")
                     ->send("POST", "/api/videos/" + id + "/purchase", {}, {},
                            {{"Idempotency-Key", QUuid::createUuid().toByteArray()}})
                     .status,
                 201);
        VideoEditDialog* dialog = openEditor("Last Light");
        QVERIFY(dialog);
        QTest::mouseClick(dialog->deleteButton(), Qt::LeftButton);
        QMessageBox* question = dialog->deleteConfirmation();
        QVERIFY(question);
        QVERIFY2(question->text().contains("bought it keep watching it"),
                 qPrintable(question->text()));
        studiotest::snapshot(*question, "myvideos-delete-question");
        QTest::mouseClick(question->button(QMessageBox::Cancel), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return !dialog->deleteConfirmation(); }, 5000));
        QVERIFY(listed(catalog(), id)); // cancelled: nothing happened

        QTest::mouseClick(dialog->deleteButton(), Qt::LeftButton);
        question = dialog->deleteConfirmation();
        QVERIFY(question);
        QAbstractButton* yes = nullptr;
        for (QAbstractButton* button : question->buttons())
            if (button->text() == "Delete")
                yes = button;
        QVERIFY(yes);
        QTest::mouseClick(yes, Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return rowOf("Last Light") < 0; }, 10000));
        QVERIFY(!listed(catalog(), id));
        QCOMPARE(
            market_.client("buyer")->send("POST", "/api/videos/" + id + "/play", {}, {}).status,
            201);
    }

    void samePackageTwiceIsNamed() {
        const QString dir = market_.workDir() + "/twice";
        QVERIFY(writePackage(dir, samplePackage({1, 2, true, 2000})));
        PublishPage* p = page();
        const auto publish = [&](const QString& title) {
            p->packageField()->setText(dir);
            p->titleField()->setText(title);
            p->priceField()->setText("1.00");
            QTest::mouseClick(p->publishButton(), Qt::LeftButton);
        };
        publish("Twice Told");
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         return p->uploader() &&
                                p->uploader()->state() == TusUploader::State::Published;
                     },
                     30000),
                 qPrintable(p->statusLabel()->text()));
        publish("Twice Told again");
        QVERIFY(
            QTest::qWaitFor([&] { return p->statusLabel()->text().contains("already"); }, 10000));
        QVERIFY2(p->statusLabel()->text().contains("\"Twice Told\""),
                 qPrintable(p->statusLabel()->text()));
        QVERIFY(p->statusLabel()->styleSheet().contains("#d9534f"));
        QVERIFY(p->publishButton()->isEnabled());
        studiotest::snapshot(*window_, "myvideos-duplicate");
        QTest::keyClick(p->titleField(), Qt::Key_Backspace); // the creator changes something
        QVERIFY(p->statusLabel()->text().isEmpty());
    }

    void posterPreviewAndTraceLength() {
        PackageOptions options;
        options.poster = true;
        const QString id =
            market_.publish("maker", "Harbour Lights", "2.00", "USD", 0, samplePackage(options));
        QVERIFY(!id.isEmpty());
        VideoEditDialog* dialog = openEditor("Harbour Lights");
        QVERIFY(dialog);
        VideoMediaPanel* media = dialog->mediaPanel();
        QVERIFY(media);
        QVERIFY(QTest::qWaitFor([&] { return media->loaded(); }, 10000));
        // 121 slots of 4 s segments.
        QVERIFY2(media->traceLabel()->text().contains("about 8.1 minutes"),
                 qPrintable(media->traceLabel()->text()));

        QImage tiny(10, 10, QImage::Format_RGB32);
        tiny.fill(Qt::red);
        media->sendPoster(tiny);
        QVERIFY(QTest::qWaitFor([&] { return media->errorLabel()->isVisible(); }, 10000));
        QVERIFY2(media->errorLabel()->text().contains("16 and 4096 pixels"),
                 qPrintable(media->errorLabel()->text()));
        QVERIFY(media->errorLabel()->styleSheet().contains("#d9534f"));

        QImage image(1000, 560, QImage::Format_RGB32);
        image.fill(QColor("#1d3557"));
        QPainter(&image).fillRect(300, 150, 400, 260, QColor("#e9c46a"));
        media->sendPoster(image);
        QVERIFY(QTest::qWaitFor([&] { return !media->posterView()->pixmap().isNull(); }, 10000));
        QVERIFY(!media->errorLabel()->isVisible());
        HttpClient anonymous(market_.server().baseUrl());
        const auto poster = anonymous.get("/api/videos/" + id + "/poster");
        QCOMPARE(poster.header("Content-Type"), QByteArray("image/jpeg"));
        QCOMPARE(QImage::fromData(poster.body).size(), QSize(1000, 560));
        // A frame of the video itself; a file that is no video is refused in red.
        const QString notVideo = home_.path() + "/notes.txt";
        QFile notes(notVideo);
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("shopping list");
        notes.close();
        media->usePosterFrame(notVideo, 1000);
        QVERIFY(QTest::qWaitFor([&] { return media->errorLabel()->isVisible(); }, 10000));
        const QString clip = studiotest::makeClip(home_, "harbour.mp4", false);
        QVERIFY(!clip.isEmpty());
        media->usePosterFrame(clip, 1000);
        QVERIFY(QTest::qWaitFor(
            [&] {
                return QImage::fromData(anonymous.get("/api/videos/" + id + "/poster").body)
                           .size() != QSize(1000, 560);
            },
            20000));
        QVERIFY(!media->errorLabel()->isVisible());

        media->previewBox()->setValue(12);
        studiotest::snapshot(*dialog, "myvideos-media");
        QPointer<VideoEditDialog> open(dialog);
        QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return !open || !open->isVisible(); }, 10000));
        QCOMPARE(market_.client("maker")
                     ->get("/api/videos/" + id + "/preview")
                     .json()
                     .object()["seconds"]
                     .toInt(),
                 12);
        QCOMPARE(anonymous.get("/preview/" + id + "/index.m3u8").body.count("#EXTINF"), 3);
    }

    void watermarkEditReachesAPublishedVideo() {
        const QString id = market_.publish("maker", "Open Water", "1.50", "USD", 0);
        QVERIFY(!id.isEmpty());
        QCOMPARE(market_.client("buyer")
                     ->send("POST", "/api/videos/" + id + "/purchase", {}, {},
                            {{"Idempotency-Key", QUuid::createUuid().toByteArray()}})
                     .status,
                 201);
        QVERIFY(window_->showPage("watermark"));
        WatermarkPage* designer = window_->watermarkPage();
        designer->refreshPublished();
        QVERIFY(QTest::qWaitFor(
            [&] { return designer->publishedBox()->findText("Open Water") >= 0; }, 10000));
        designer->publishedBox()->setCurrentIndex(designer->publishedBox()->findText("Open Water"));
        designer->templateField()->setText("{username} is watching");
        designer->opacityBox()->setValue(60);
        QVERIFY(designer->savePublishedButton()->isEnabled());
        QTest::mouseClick(designer->savePublishedButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor(
            [&] { return designer->statusLabel()->text().contains("Saved on the server"); },
            10000));
        studiotest::snapshot(*window_, "watermark-published");
        const QJsonObject overlay = market_.client("buyer")
                                        ->send("POST", "/api/videos/" + id + "/play", {}, {})
                                        .json()
                                        .object()["overlay"]
                                        .toObject();
        QCOMPARE(overlay["template"].toString(), QString("{username} is watching"));
        QCOMPARE(overlay["opacity"].toDouble(), 0.6);
        QCOMPARE(overlay["username"].toString(), QString("buyer"));
        // A bad design is refused in red, and nothing is sent.
        designer->templateField()->setText("   ");
        QVERIFY(!designer->savePublishedButton()->isEnabled());
        QVERIFY(designer->statusLabel()->styleSheet().contains("#d9534f"));
        designer->templateField()->setText("{username}");
        QVERIFY(window_->showPage("publish"));
    }

    void checklistTicksWhatIsDone() {
        FirstRunChecklist* list = window_->checklist();
        list->refresh();
        QVERIFY(QTest::qWaitFor([&] { return list->isDone(FirstRunChecklist::Publish); }, 10000));
        QVERIFY(list->isDone(FirstRunChecklist::SignIn));
        QVERIFY(list->isDone(FirstRunChecklist::BecomeCreator));
        QVERIFY(!list->isDone(FirstRunChecklist::Import)); // nothing in this studio's library
        QVERIFY(!list->actionButton(FirstRunChecklist::Publish)->isVisibleTo(list));
        QCOMPARE(list->summaryLabel()->text(), QString("3 steps to your first video on sale."));
    }

    void signingOutEmptiesTheForm() {
        PublishPage* p = page();
        p->titleField()->setText("Private draft");
        p->priceField()->setText("9.99");
        p->packageField()->setText(market_.workDir() + "/twice");
        window_->session().signOut();
        QVERIFY(QTest::qWaitFor([&] { return !window_->session().isSignedIn(); }, 10000));
        QVERIFY(p->titleField()->text().isEmpty());
        QVERIFY(p->priceField()->text().isEmpty());
        QVERIFY(p->packageField()->text().isEmpty());
        QCOMPARE(p->videoTable()->rowCount(), 0);
        // Nor does the Watermark page list the account's published videos any more.
        QCOMPARE(window_->watermarkPage()->publishedBox()->count(), 0);
        QVERIFY(!window_->watermarkPage()->savePublishedButton()->isEnabled());
    }
};

QTEST_MAIN(TestMyVideos)
#include "tst_myvideos.moc"
