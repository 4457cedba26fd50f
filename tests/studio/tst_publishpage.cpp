// The studio's Publish page, offscreen, against the real server: the live sale split, an upload
// that publishes, and uploads that survive an app restart and a server crash.

#include "HttpClient.h"
#include "ServerProcess.h"
#include "TestPackage.h"
#include "WindowSupport.h"
#include "account/SignInDialog.h"
#include "app/MainWindow.h"
#include "publish/PublishPage.h"
#include "transcode/TranscodeJobRow.h"
#include "transcode/TranscodePage.h"
#include "transcode/TranscodeQueueStore.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace reelgate::test;

class TestPublishPage : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString dataDir_;
    ServerProcess server_;

    QString writePackage(const QString& name, const PackageOptions& options) {
        const QString dir = tmp_.path() + "/" + name;
        for (const TarEntry& entry : samplePackage(options)) {
            QDir().mkpath(QFileInfo(dir + "/" + entry.name).path());
            QFile file(dir + "/" + entry.name);
            if (!file.open(QIODevice::WriteOnly))
                return {};
            file.write(entry.data);
        }
        return dir;
    }

    // A window connected to the server, signed in as the creator.
    std::unique_ptr<MainWindow> signedInWindow() {
        auto window = std::make_unique<MainWindow>();
        window->show();
        window->useServer(server_.baseUrl());
        if (!QTest::qWaitFor(
                [&] { return window->connection().state() == ConnectionState::Connected; }, 15000))
            return nullptr;
        // A token stored by an earlier window is tried first.
        (void)QTest::qWaitFor([&] { return window->session().isSignedIn(); }, 2000);
        if (!window->session().isSignedIn()) {
            window->session().signIn("director", "director password");
            if (!QTest::qWaitFor([&] { return window->session().isSignedIn(); }, 15000))
                return nullptr;
        }
        window->showPage("publish");
        return window;
    }

    static void fill(PublishPage* page, const QString& package, const QString& title) {
        page->packageField()->setText(package);
        page->titleField()->setText(title);
        page->priceField()->setText("4.99");
        page->currencyBox()->setCurrentText("USD");
        page->affiliateBox()->setValue(20);
    }

    static bool waitForState(PublishPage* page, TusUploader::State state, int ms = 30000) {
        return QTest::qWaitFor(
            [&] { return page->uploader() && page->uploader()->state() == state; }, ms);
    }

private slots:
    void initTestCase() {
        // Private settings, token file and upload journal for this test run.
        studiotest::usePrivateHome(tmp_);
        dataDir_ = serverReachable(tmp_) + "/data";
        QVERIFY2(server_.start(dataDir_), qPrintable(server_.log()));
        HttpClient web(server_.baseUrl());
        QCOMPARE(web.postJson("/api/auth/register", {{"username", "director"},
                                                     {"email", "director@example.com"},
                                                     {"password", "director password"}})
                     .status,
                 201);
        QCOMPARE(web.postJson("/api/me/creator", {}).status, 200);
    }

    void cleanupTestCase() { QCOMPARE(server_.stop(), 0); }

    void showsWhatTheCreatorReceives() {
        auto window = signedInWindow();
        QVERIFY(window);
        PublishPage* page = window->publishPage();
        fill(page, {}, "x");
        QVERIFY(QTest::qWaitFor([&] { return page->splitLabel()->text().contains("Platform fee"); },
                                10000));
        // 4.99 USD, fee 10 % (floored 0.49), affiliate 20 % (floored 0.99).
        const QString split = page->splitLabel()->text();
        QVERIFY2(split.contains("you receive 4.50 USD"), qPrintable(split));
        QVERIFY2(split.contains("3.51 USD when a buyer comes through an affiliate"),
                 qPrintable(split));
        QVERIFY2(split.contains("gets 0.99 USD"), qPrintable(split));
        page->priceField()->setText("4,99");
        QVERIFY(page->splitLabel()->text().contains("not a price"));
        QCOMPARE(page->affiliateBox()->maximum(), 90.0);
    }

    void uploadsAndPublishes() {
        const QString package = writePackage("film", {2, 3, true, 50000});
        auto window = signedInWindow();
        QVERIFY(window);
        PublishPage* page = window->publishPage();
        fill(page, package, "Night Train");
        QTest::mouseClick(page->publishButton(), Qt::LeftButton);
        QVERIFY2(waitForState(page, TusUploader::State::Published),
                 qPrintable(page->statusLabel()->text()));
        QCOMPARE(page->statusLabel()->text(), QString("Published."));
        QCOMPARE(page->progressBar()->value(), 1000);
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto rows = page->videoTable()->findItems("Night Train", Qt::MatchExactly);
                return !rows.isEmpty() &&
                       page->videoTable()->item(rows.first()->row(), 1)->text() == "published";
            },
            10000));
        HttpClient anonymous(server_.baseUrl());
        QVERIFY(anonymous.get("/api/catalog").body.contains("Night Train"));
        // Editing it from My videos: tst_myvideos.
    }

    // What the Transcode page finished is offered as a source: picking it fills the folder and
    // the title. Failed jobs and packages deleted since are not offered. A finished job's
    // Publish button on the Transcode page leads here with its package.
    void offersFinishedTranscodes() {
        qint64 harbourJob = 0;
        {
            TranscodeQueueStore store;
            QVERIFY2(store.isOpen(), qPrintable(store.error()));
            const auto add = [&](const QString& title, QueueState state, const QString& package) {
                QueueEntry entry;
                entry.title = title;
                entry.sourcePath = tmp_.path() + "/" + title + ".mp4";
                entry.abVariants = true;
                entry.state = state;
                entry.packagePath = package;
                store.insert(entry);
                store.update(entry);
                return entry.id;
            };
            harbourJob = add("Harbour Lights", QueueState::Succeeded,
                             writePackage("harbour", {2, 3, true, 20000}));
            add("Gone", QueueState::Succeeded, tmp_.path() + "/deleted-package");
            add("Broken", QueueState::Failed, {});
        }
        auto window = signedInWindow();
        QVERIFY(window);
        PublishPage* page = window->publishPage();
        QComboBox* finished = page->finishedBox();
        QCOMPARE(finished->count(), 2); // the prompt and Harbour Lights
        QVERIFY(finished->isEnabled());
        QVERIFY2(finished->itemText(1).startsWith("Harbour Lights"),
                 qPrintable(finished->itemText(1)));
        page->titleField()->clear();
        finished->setCurrentIndex(1);
        emit finished->activated(1);
        QCOMPARE(page->packageField()->text(), tmp_.path() + "/harbour");
        QCOMPARE(page->titleField()->text(), QString("Harbour Lights"));

        page->packageField()->clear();
        page->titleField()->clear();
        window->showPage("transcode");
        TranscodeJobRow* row = window->transcodePage()->rowFor(harbourJob);
        QVERIFY(row);
        QVERIFY(row->publishButton()->isVisibleTo(row));
        QTest::mouseClick(row->publishButton(), Qt::LeftButton);
        QCOMPARE(window->currentPage(), QString("publish"));
        QCOMPARE(page->packageField()->text(), tmp_.path() + "/harbour");
        QCOMPARE(page->titleField()->text(), QString("Harbour Lights"));
    }

    void aRefusedPackageShowsTheServersReason() {
        const QString package = writePackage("broken", {1, 2, true, 1000});
        // One byte changed after the manifest was written: the studio uploads, the server
        // refuses, and the page says why.
        QFile segment(package + "/240p/b/1.ts");
        QVERIFY(segment.open(QIODevice::ReadWrite));
        QByteArray bytes = segment.readAll();
        bytes[100] = static_cast<char>(bytes[100] ^ 0x5a);
        segment.seek(0);
        segment.write(bytes);
        segment.close();
        auto window = signedInWindow();
        PublishPage* page = window->publishPage();
        fill(page, package, "Broken");
        QTest::mouseClick(page->publishButton(), Qt::LeftButton);
        QVERIFY(waitForState(page, TusUploader::State::Failed));
        QVERIFY2(page->statusLabel()->text().contains("does not match its SHA-256"),
                 qPrintable(page->statusLabel()->text()));
    }

    void anUploadResumesAfterTheAppRestarts() {
        const QString package = writePackage("long", {3, 6, true, 60000});
        qint64 pausedAt = 0;
        {
            auto window = signedInWindow();
            PublishPage* page = window->publishPage();
            page->setChunkBytes(64 * 1024);
            fill(page, package, "Long Walk");
            QTest::mouseClick(page->publishButton(), Qt::LeftButton);
            QVERIFY(QTest::qWaitFor(
                [&] { return page->uploader() && page->uploader()->sentBytes() >= 256 * 1024; },
                20000));
            QTest::mouseClick(page->pauseButton(), Qt::LeftButton);
            QCOMPARE(page->uploader()->state(), TusUploader::State::Paused);
            pausedAt = page->uploader()->sentBytes();
            QVERIFY(pausedAt < page->uploader()->totalBytes());
            window->close(); // the creator quits the studio mid-upload
        }
        auto window = signedInWindow(); // restarts, signs in with its stored token
        PublishPage* page = window->publishPage();
        QVERIFY2(waitForState(page, TusUploader::State::Published),
                 qPrintable(page->statusLabel()->text()));
        QCOMPARE(page->uploader()->upload().title, QString("Long Walk"));
    }

    void anUploadSurvivesAServerCrash() {
        // Not the same bytes as "long": the server refuses a package published twice.
        const QString package = writePackage("crash", {3, 6, true, 61000});
        auto window = signedInWindow();
        PublishPage* page = window->publishPage();
        page->setChunkBytes(64 * 1024);
        fill(page, package, "Storm");
        QTest::mouseClick(page->publishButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor(
            [&] { return page->uploader() && page->uploader()->sentBytes() >= 128 * 1024; },
            20000));
        const QString port = server_.baseUrl().section(':', -1);
        server_.kill();
        QVERIFY(waitForState(page, TusUploader::State::Retrying, 20000));
        QVERIFY(page->statusLabel()->text().contains("Retrying"));
        QVERIFY2(server_.start(dataDir_, {"--listen", "127.0.0.1:" + port}),
                 qPrintable(server_.log()));
        QVERIFY2(waitForState(page, TusUploader::State::Published, 60000),
                 qPrintable(page->statusLabel()->text()));
    }
};

QTEST_MAIN(TestPublishPage)
#include "tst_publishpage.moc"
