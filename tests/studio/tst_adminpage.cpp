// The studio's Admin page, offscreen, against the real server: platform settings load into the
// form, a saved edit is what the server keeps and a refused one changes nothing; the users
// table lists the accounts and its actions reach the server; a leak trace of an unmarked copy
// ends "not identified" and one of a file that is not a video ends with the server's reason;
// the page is hidden from a non-admin and forgets everything on sign-out.

#include "HttpClient.h"
#include "Marketplace.h"
#include "WindowSupport.h"
#include "admin/AdminPage.h"
#include "admin/SettingsPanel.h"
#include "admin/TracePanel.h"
#include "admin/TraceReport.h"
#include "admin/UsersPanel.h"
#include "app/MainWindow.h"
#include "net/ApiClient.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QUuid>

using namespace reelgate::test;

namespace {

// The ffmpeg CLI and the reelgate-encode this build made (from CMake).
QString ffmpegPath() {
    return QStringLiteral(REELGATE_FFMPEG);
}
QString encodePath() {
    return QStringLiteral(REELGATE_ENCODE);
}
bool run(const QString& program, const QStringList& args, int timeoutMs = 120000) {
    QProcess process;
    process.start(program, args);
    if (!process.waitForFinished(timeoutMs) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0) {
        qWarning().noquote() << program << args.join(' ')
                             << "failed:" << process.readAllStandardError();
        return false;
    }
    return true;
}
} // namespace

class TestAdminPage : public QObject {
    Q_OBJECT

    Marketplace market_;
    QString video_;
    std::unique_ptr<HttpClient> adminApi_;
    std::unique_ptr<MainWindow> window_; // the admin's

    QString path(const QString& name) const { return market_.workDir() + "/" + name; }

    std::unique_ptr<MainWindow> signedInWindow(const QString& name) {
        return studiotest::signedInWindow(market_.server().baseUrl(), name,
                                          Marketplace::password());
    }

    AdminPage* adminPage() {
        if (!window_) {
            window_ = signedInWindow("root");
            if (!window_)
                return nullptr;
        }
        if (!window_->showPage("admin"))
            return nullptr;
        return window_->adminPage();
    }

    QJsonObject serverSettings() {
        return adminApi_->get("/api/admin/settings").json().object()["settings"].toObject();
    }

    static bool waitForTrace(TracePanel* panel) {
        return QTest::qWaitFor([&] { return panel->job() && panel->job()->finished(); }, 60000);
    }

    // Picks `id` in the video box once the list (from the catalog) holds it.
    static bool pickVideo(TracePanel* panel, const QString& id) {
        const bool listed = QTest::qWaitFor(
            [&] { return panel->videoBox()->findText(id, Qt::MatchContains) >= 0; }, 10000);
        if (listed)
            panel->videoBox()->setCurrentIndex(panel->videoBox()->findText(id, Qt::MatchContains));
        return listed && panel->chosenVideoId() == id;
    }

private slots:
    void initTestCase() {
        QVERIFY2(market_.start(), qPrintable(market_.server().log()));
        studiotest::usePrivateHome(market_.workDir());
        QVERIFY(market_.signUp("maker", true));
        QVERIFY(market_.signUp("viewer"));
        QVERIFY(market_.signUp("bob"));
        adminApi_ = market_.createAdmin("root");
        QVERIFY(adminApi_);

        // A real video with forensic A/B variants, watched once: what a trace compares with.
        QVERIFY2(!ffmpegPath().isEmpty(), "ffmpeg is not on PATH");
        QVERIFY2(!encodePath().isEmpty(), "reelgate-encode is not built next to the server");
        QVERIFY(
            run(ffmpegPath(), {"-v", "error", "-y", "-f", "lavfi", "-i",
                               "testsrc2=size=640x360:rate=30:duration=12", "-c:v", "libx264",
                               "-preset", "ultrafast", "-pix_fmt", "yuv420p", path("source.mp4")}));
        QVERIFY(run(encodePath(),
                    {"transcode", path("source.mp4"), path("pkg"), "--preset", "draft", "--ab",
                     "--segment-seconds", "1", "--quiet"},
                    300000));
        video_ = market_.publishDir(path("pkg"), "maker", "Harbour lights", "2.00", "USD", 0);
        QVERIFY(!video_.isEmpty());
        // Unlisted: the public catalog hides it, the admin's video list must not.
        QCOMPARE(market_.client("maker")
                     ->send("PATCH", "/api/videos/" + video_, "{\"visibility\":\"unlisted\"}",
                            "application/json")
                     .status,
                 200);
        QVERIFY(market_.credit("viewer", "5", "USD"));
        QCOMPARE(market_.client("viewer")
                     ->send("POST", "/api/videos/" + video_ + "/purchase", {}, {},
                            {{"Idempotency-Key", QUuid::createUuid().toByteArray()}})
                     .status,
                 201);
        QCOMPARE(market_.client("viewer")
                     ->send("POST", "/api/videos/" + video_ + "/play", {}, {})
                     .status,
                 201);
    }

    void cleanupTestCase() {
        window_.reset();
        QCOMPARE(market_.server().stop(), 0);
    }

    void hiddenFromNonAdmins() {
        auto window = signedInWindow("bob");
        QVERIFY(window);
        QVERIFY(!window->adminMode());
        QVERIFY(!window->pageKeys().contains("admin"));
        QVERIFY(!window->showPage("admin"));
        // Nor does the page fetch anything admin-only for them behind the scenes.
        AdminPage* page = window->adminPage();
        QTest::qWait(300);
        QVERIFY(!page->tabs()->isEnabled());
        QVERIFY(!page->settingsPanel()->loaded());
        QCOMPARE(page->usersPanel()->table()->rowCount(), 0);
        QVERIFY(page->usersPanel()->statusLabel()->text().isEmpty()); // not even a refusal
        QVERIFY(page->settingsPanel()->statusLabel()->text().isEmpty());
        QVERIFY(page->noticeLabel()->text().contains("admin account"));
    }

    void settingsLoadIntoTheForm() {
        const QJsonObject chosen{
            {"platform_fee_bps", 1250},
            {"max_streams_per_user", 3},
            {"display_currencies", QJsonArray{"USD", "IDR"}},
            {"rates",
             QJsonArray{QJsonObject{{"base", "USD"}, {"quote", "IDR"}, {"rate", "15800.5"}}}}};
        QCOMPARE(adminApi_
                     ->send("PUT", "/api/admin/settings", QJsonDocument(chosen).toJson(),
                            "application/json")
                     .status,
                 200);
        AdminPage* page = adminPage();
        QVERIFY(page);
        SettingsPanel* settings = page->settingsPanel();
        QVERIFY(QTest::qWaitFor([&] { return settings->loaded(); }, 10000));
        QCOMPARE(settings->feeBox()->value(), 12.5);
        QCOMPARE(settings->streamsBox()->value(), 3);
        QCOMPARE(settings->currenciesField()->text(), QString("USD, IDR"));
        QCOMPARE(settings->ratesTable()->rowCount(), 1);
        QCOMPARE(settings->ratesTable()->item(0, 0)->text(), QString("USD"));
        QCOMPARE(settings->ratesTable()->item(0, 1)->text(), QString("IDR"));
        QCOMPARE(settings->ratesTable()->item(0, 2)->text(), QString("15800.5"));
        QVERIFY(settings->saveButton()->isEnabled());
        page->tabs()->setCurrentWidget(settings);
        studiotest::snapshot(*window_, "admin-settings");
    }

    void savedEditIsWhatTheServerKeeps() {
        AdminPage* page = adminPage();
        QVERIFY(page);
        SettingsPanel* settings = page->settingsPanel();
        QVERIFY(QTest::qWaitFor([&] { return settings->loaded(); }, 10000));
        settings->feeBox()->setValue(7.5);
        settings->streamsBox()->setValue(4);
        settings->currenciesField()->setText("usd, eur, idr");
        settings->addRateRow("EUR", "IDR", "17250");
        QTest::mouseClick(settings->saveButton(), Qt::LeftButton);
        QVERIFY2(QTest::qWaitFor(
                     [&] { return settings->statusLabel()->text().startsWith("Saved"); }, 10000),
                 qPrintable(settings->statusLabel()->text()));

        const QJsonObject kept = serverSettings();
        QCOMPARE(kept["platform_fee_bps"].toInt(), 750);
        QCOMPARE(kept["max_streams_per_user"].toInt(), 4);
        QCOMPARE(kept["display_currencies"].toArray(), (QJsonArray{"USD", "EUR", "IDR"}));
        QCOMPARE(kept["rates"].toArray().size(), 2);
        QVERIFY(kept["rates"].toArray().contains(
            QJsonObject{{"base", "EUR"}, {"quote", "IDR"}, {"rate", "17250"}}));
        QCOMPARE(market_.sql("SELECT value FROM platform_settings WHERE key = 'platform_fee_bps'")
                     .trimmed(),
                 QString("750"));
        // The form shows what the server answered, normalised.
        QCOMPARE(settings->currenciesField()->text(), QString("USD, EUR, IDR"));
    }

    void refusedEditShowsWhyAndChangesNothing_data() {
        QTest::addColumn<QString>("currencies");
        QTest::addColumn<QString>("rate");
        QTest::newRow("unknown currency") << "USD, XYZ"
                                          << "15800";
        QTest::newRow("listed twice") << "USD, IDR, USD"
                                      << "15800";
        QTest::newRow("rate not a number") << "USD, IDR"
                                           << "lots";
        QTest::newRow("rate below zero") << "USD, IDR"
                                         << "-3";
    }

    void refusedEditShowsWhyAndChangesNothing() {
        QFETCH(QString, currencies);
        QFETCH(QString, rate);
        AdminPage* page = adminPage();
        QVERIFY(page);
        SettingsPanel* settings = page->settingsPanel();
        settings->reloadButton()->click();
        QVERIFY(QTest::qWaitFor(
            [&] { return settings->statusLabel()->text().startsWith("Loaded"); }, 10000));
        const QJsonObject before = serverSettings();
        settings->feeBox()->setValue(20);
        settings->currenciesField()->setText(currencies);
        settings->ratesTable()->setRowCount(0);
        settings->addRateRow("USD", "IDR", rate);
        QTest::mouseClick(settings->saveButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor(
            [&] { return settings->statusLabel()->text().startsWith("Not saved"); }, 10000));

        // The page says what the server says about the same form.
        QJsonArray codes;
        for (const QString& code : currencies.split(", "))
            codes.append(code);
        const QJsonObject same{
            {"platform_fee_bps", 2000},
            {"display_currencies", codes},
            {"rates", QJsonArray{QJsonObject{{"base", "USD"}, {"quote", "IDR"}, {"rate", rate}}}}};
        const HttpReply direct = adminApi_->send("PUT", "/api/admin/settings",
                                                 QJsonDocument(same).toJson(), "application/json");
        QCOMPARE(direct.status, 400);
        const QString why = direct.json().object()["error"].toObject()["message"].toString();
        QVERIFY(!why.isEmpty());
        QVERIFY2(settings->statusLabel()->text().contains(why),
                 qPrintable(settings->statusLabel()->text() + " / " + why));
        QCOMPARE(serverSettings(), before);
        // The admin's edit stays in the form to be corrected.
        QCOMPARE(settings->feeBox()->value(), 20.0);
        if (QTest::currentDataTag() == QString("unknown currency")) {
            page->tabs()->setCurrentWidget(settings);
            studiotest::snapshot(*window_, "admin-settings-refused");
        }
    }

    void usersTableListsTheAccounts() {
        AdminPage* page = adminPage();
        QVERIFY(page);
        UsersPanel* users = page->usersPanel();
        QTableWidget* table = users->table();
        QVERIFY(QTest::qWaitFor([&] { return users->loaded(); }, 10000));
        QStringList names;
        for (int row = 0; row < table->rowCount(); ++row)
            names.append(table->item(row, 0)->text());
        names.sort();
        QCOMPARE(names, (QStringList{"bob", "maker", "root", "viewer"}));
        const int maker = table->findItems("maker", Qt::MatchExactly).first()->row();
        QCOMPARE(table->item(maker, 1)->text(), QString("maker@example.com"));
        QCOMPARE(table->item(maker, 2)->text(), QString("Creator"));
        QCOMPARE(table->item(maker, 3)->text(), QString("Active"));

        // Search asks the server.
        QTest::keyClicks(users->searchField(), "bo");
        QVERIFY(QTest::qWaitFor(
            [&] { return table->rowCount() == 1 && table->item(0, 0)->text() == "bob"; }, 10000));
        page->tabs()->setCurrentWidget(users);
        studiotest::snapshot(*window_, "admin-users-search");
        users->searchField()->clear();
        QVERIFY(QTest::qWaitFor([&] { return table->rowCount() == 4; }, 10000));
    }

    void suspendingReachesTheServer() {
        AdminPage* page = adminPage();
        QVERIFY(page);
        UsersPanel* users = page->usersPanel();
        QVERIFY(QTest::qWaitFor([&] { return users->selectUser("bob"); }, 10000));
        QCOMPARE(users->suspendButton()->text(), QString("Suspend"));
        QTest::mouseClick(users->suspendButton(), Qt::LeftButton);
        QVERIFY(
            QTest::qWaitFor([&] { return users->suspendButton()->text() == "Reinstate"; }, 10000));
        const int bob = users->table()->findItems("bob", Qt::MatchExactly).first()->row();
        QCOMPARE(users->table()->item(bob, 3)->text(), QString("Suspended"));
        QCOMPARE(market_.sql("SELECT status FROM users WHERE username = 'bob'").trimmed(),
                 QString("suspended"));
        QTest::mouseClick(users->suspendButton(), Qt::LeftButton);
        QVERIFY(
            QTest::qWaitFor([&] { return users->suspendButton()->text() == "Suspend"; }, 10000));
        QCOMPARE(market_.sql("SELECT status FROM users WHERE username = 'bob'").trimmed(),
                 QString("active"));

        // Granting a role.
        QTest::mouseClick(users->creatorButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return users->table()->item(bob, 2)->text() == "Creator"; },
                                10000));
        QCOMPARE(market_.sql("SELECT is_creator FROM users WHERE username = 'bob'").trimmed(),
                 QString("t"));

        // The server's refusal is shown: an admin cannot suspend themself.
        QVERIFY(users->selectUser("root"));
        QTest::mouseClick(users->suspendButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor(
            [&] { return users->statusLabel()->text().contains("cannot suspend yourself"); },
            10000));
        QCOMPARE(market_.sql("SELECT status FROM users WHERE username = 'root'").trimmed(),
                 QString("active"));
    }

    void unmarkedCopyIsNotIdentified() {
        AdminPage* page = adminPage();
        QVERIFY(page);
        TracePanel* trace = page->tracePanel();
        page->tabs()->setCurrentWidget(trace);
        QVERIFY(pickVideo(trace, video_));
        QVERIFY(trace->videoBox()->currentText().contains("Harbour lights"));
        trace->fileField()->setText(path("source.mp4"));
        QVERIFY(trace->startButton()->isEnabled());
        QTest::mouseClick(trace->startButton(), Qt::LeftButton);
        QVERIFY(waitForTrace(trace));
        QVERIFY2(trace->job()->state() == TraceJob::State::Done,
                 qPrintable(trace->statusLabel()->text()));
        QVERIFY(trace->resultLabel()->isVisible());
        const QString said = trace->resultLabel()->text();
        QVERIFY2(said.contains("Not identified"), qPrintable(said));
        QVERIFY2(said.contains("Harbour lights"), qPrintable(said));
        QVERIFY2(!said.contains("Identified:"), qPrintable(said));
        QCOMPARE(trace->progressBar()->value(), 1000);
        // The server agrees.
        const QJsonObject server = adminApi_->get("/api/admin/traces/" + trace->job()->traceId())
                                       .json()
                                       .object()["trace"]
                                       .toObject();
        QCOMPARE(server["state"].toString(), QString("done"));
        QCOMPARE(server["result"].toObject()["identified"].toBool(), false);
        QVERIFY(trace->startButton()->isEnabled());
        QVERIFY(!trace->cancelButton()->isEnabled());
        studiotest::snapshot(*window_, "admin-trace-not-identified");
    }

    void fileThatIsNotAVideoFails() {
        AdminPage* page = adminPage();
        QVERIFY(page);
        TracePanel* trace = page->tracePanel();
        QFile notes(path("notes.txt"));
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write(QByteArray("Meeting notes, not a video.\n").repeated(2000));
        notes.close();
        QVERIFY(pickVideo(trace, video_));
        trace->fileField()->setText(path("notes.txt"));
        QTest::mouseClick(trace->startButton(), Qt::LeftButton);
        QVERIFY(waitForTrace(trace));
        QCOMPARE(trace->job()->state(), TraceJob::State::Failed);
        QVERIFY(!trace->resultLabel()->isVisible());
        const QJsonObject server = adminApi_->get("/api/admin/traces/" + trace->job()->traceId())
                                       .json()
                                       .object()["trace"]
                                       .toObject();
        QCOMPARE(server["state"].toString(), QString("failed"));
        const QString why = server["error"].toString();
        QVERIFY(!why.isEmpty());
        // In the server's words, which name "the recording", never the server's own files.
        const QString said = trace->statusLabel()->text();
        QVERIFY2(said == "The trace failed: " + why, qPrintable(said + " / " + why));
        QVERIFY2(why.contains("the recording"), qPrintable(why));
        QVERIFY2(!why.contains(".suspect") && !why.contains(market_.dataDir()), qPrintable(why));
        studiotest::snapshot(*window_, "admin-trace-failed");
    }

    void unknownVideoIsRefusedInWords() {
        AdminPage* page = adminPage();
        QVERIFY(page);
        TracePanel* trace = page->tracePanel();
        trace->fileField()->setText(path("source.mp4"));
        // Not an id at all: said at once, nothing is sent.
        trace->videoBox()->setCurrentIndex(-1);
        trace->videoBox()->setEditText("Harbour");
        TraceJob* previous = trace->job();
        QTest::mouseClick(trace->startButton(), Qt::LeftButton);
        QCOMPARE(trace->job(), previous);
        QVERIFY2(trace->statusLabel()->text().contains("not a video id"),
                 qPrintable(trace->statusLabel()->text()));
        // An id the server does not know: its own words.
        trace->videoBox()->setEditText("unknownvideo1");
        QTest::mouseClick(trace->startButton(), Qt::LeftButton);
        QVERIFY(waitForTrace(trace));
        QCOMPARE(trace->job()->state(), TraceJob::State::Failed);
        const QString said = trace->statusLabel()->text();
        QVERIFY2(said.contains("There is no published video 'unknownvideo1'"), qPrintable(said));
    }

    void fileOverTheLimitIsRefusedInWords() {
        // A server of its own, whose upload limit is smaller than the file.
        Marketplace small;
        QVERIFY2(small.start({"--max-upload-bytes", "1048576"}), qPrintable(small.server().log()));
        const auto boss = small.createAdmin("boss");
        QVERIFY(boss);
        QFile big(path("big.mp4"));
        QVERIFY(big.open(QIODevice::WriteOnly));
        big.write(QByteArray(3 << 20, 'x'));
        big.close();
        {
            ApiClient api(nullptr);
            api.setBaseUrl(small.server().baseUrl());
            api.setToken(QString::fromUtf8(small.token("boss")));
            TracePanel panel(api, nullptr);
            panel.fileField()->setText(path("big.mp4"));
            panel.videoBox()->setEditText("abcdefgh12");
            panel.startTrace();
            QVERIFY(waitForTrace(&panel));
            QCOMPARE(panel.job()->state(), TraceJob::State::Failed);
            QVERIFY(panel.job()->traceId().isEmpty());
            QCOMPARE(panel.statusLabel()->text(),
                     QString("The trace failed: The recording is larger than the limit."));
        } // closes the connection, which the server would otherwise wait for when stopping
        QCOMPARE(small.server().stop(), 0);
    }

    void cancelStopsTheUpload() {
        AdminPage* page = adminPage();
        QVERIFY(page);
        TracePanel* trace = page->tracePanel();
        QVERIFY(pickVideo(trace, video_));
        trace->fileField()->setText(path("source.mp4"));
        trace->startTrace();
        QCOMPARE(trace->job()->state(), TraceJob::State::Uploading);
        QVERIFY(trace->cancelButton()->isEnabled());
        QVERIFY(!trace->startButton()->isEnabled());
        QTest::mouseClick(trace->cancelButton(), Qt::LeftButton);
        QCOMPARE(trace->job()->state(), TraceJob::State::Cancelled);
        QVERIFY(trace->job()->traceId().isEmpty());
        QVERIFY(trace->statusLabel()->text().contains("Cancelled"));
        QVERIFY(trace->startButton()->isEnabled());
        QTest::qWait(300); // a late answer must not revive it
        QCOMPARE(trace->job()->state(), TraceJob::State::Cancelled);
    }

    // Once the server has the file, Cancel calls the trace off there too (it waits behind two
    // others here, so it is certainly not finished yet).
    void cancelStopsTheTraceOnTheServer() {
        AdminPage* page = adminPage();
        QVERIFY(page);
        QFile source(path("source.mp4"));
        QVERIFY(source.open(QIODevice::ReadOnly));
        const QByteArray bytes = source.readAll();
        QStringList ahead;
        for (int i = 0; i < 2; ++i)
            ahead << adminApi_
                         ->send("POST", "/api/admin/traces?video=" + video_, bytes, "video/mp4")
                         .json()
                         .object()["trace"]
                         .toObject()["id"]
                         .toString();
        TracePanel* trace = page->tracePanel();
        QVERIFY(pickVideo(trace, video_));
        trace->fileField()->setText(path("source.mp4"));
        trace->startTrace();
        QVERIFY(QTest::qWaitFor([&] { return trace->job()->state() == TraceJob::State::Waiting; },
                                10000));
        const QString id = trace->job()->traceId();
        QTest::mouseClick(trace->cancelButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor(
            [&] { return trace->statusLabel()->text().contains("server stopped the trace"); },
            10000));
        QCOMPARE(trace->job()->state(), TraceJob::State::Cancelled);
        QCOMPARE(adminApi_->get("/api/admin/traces/" + id)
                     .json()
                     .object()["trace"]
                     .toObject()["state"]
                     .toString(),
                 QString("cancelled"));
        for (const QString& other : ahead) // the traces ahead are not affected
            QVERIFY(QTest::qWaitFor(
                [&] {
                    return adminApi_->get("/api/admin/traces/" + other)
                               .json()
                               .object()["trace"]
                               .toObject()["state"]
                               .toString() == "done";
                },
                60000));
    }

    // The words for a positive identification (the full media round trip is tst_trace's).
    void reportNamesTheViewer() {
        const QJsonObject result{
            {"video", QJsonObject{{"id", "abcdefgh12"}, {"title", "Leaky film"}}},
            {"identified", true},
            {"method", "matched"},
            {"confidence", 0.99987},
            {"candidates", 3},
            {"slots", QJsonObject{{"total", 48},
                                  {"read_a", 20},
                                  {"read_b", 21},
                                  {"informative", 35},
                                  {"agreeing", 34}}},
            {"session", QJsonObject{{"id", 17},
                                    {"started_at", "2024-06-04T12:03:00Z"},
                                    {"remote_addr", "203.0.113.9"},
                                    {"forensic_code", 12345}}},
            {"user", QJsonObject{{"username", "alice"}, {"email", "alice@example.com"}}}};
        const QString said = traceReport::describe(result);
        QVERIFY2(said.contains("Identified: alice</b> &lt;alice@example.com&gt;"),
                 qPrintable(said));
        QVERIFY2(said.contains("viewing session 17"), qPrintable(said));
        QVERIFY2(said.contains("203.0.113.9"), qPrintable(said));
        QVERIFY2(said.contains("Confidence: 99.9870 %") || said.contains("Confidence: 99.987 %"),
                 qPrintable(said));
        QVERIFY2(said.contains("34 of 35 readable time slots"), qPrintable(said));
        QVERIFY2(said.contains("about 1 in 7,600"), qPrintable(said));
        QVERIFY(!said.contains("Not identified"));
        QLabel shown(said);
        shown.setWordWrap(true);
        shown.setFixedWidth(820);
        shown.setMargin(10);
        shown.show();
        studiotest::snapshot(shown, "admin-trace-identified");
        // Never rounded up to certainty.
        QCOMPARE(traceReport::percent(0.9999999), QString("99.9999 %"));
        QCOMPARE(traceReport::percent(1.0), QString("100 %"));
        QCOMPARE(traceReport::percent(0.42), QString("42 %"));
    }

    void signOutForgetsEverything() {
        AdminPage* page = adminPage();
        QVERIFY(page);
        QVERIFY(QTest::qWaitFor([&] { return page->usersPanel()->loaded(); }, 10000));
        window_->signOutAction()->trigger();
        QVERIFY(QTest::qWaitFor([&] { return !window_->session().isSignedIn(); }, 15000));
        QVERIFY(!window_->adminMode());
        QCOMPARE(page->usersPanel()->table()->rowCount(), 0);
        QVERIFY(!page->settingsPanel()->loaded());
        QVERIFY(page->settingsPanel()->currenciesField()->text().isEmpty());
        QCOMPARE(page->settingsPanel()->ratesTable()->rowCount(), 0);
        QVERIFY(page->tracePanel()->fileField()->text().isEmpty());
        QCOMPARE(page->tracePanel()->videoBox()->count(), 0);
        QVERIFY(page->tracePanel()->statusLabel()->text().isEmpty());
        QVERIFY(!page->tabs()->isEnabled());
    }
};

QTEST_MAIN(TestAdminPage)
#include "tst_adminpage.moc"
