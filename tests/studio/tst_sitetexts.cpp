// The Admin page's "Site texts", offscreen, against the real server: the three texts load (the
// default ones until set), an edited refund policy saved from the studio is what visitors read,
// an edit survives switching texts, an empty or too long text cannot be saved, a text the
// server refuses (a control character) changes nothing and says why in red, and signing out
// forgets everything.

#include "HttpClient.h"
#include "Marketplace.h"
#include "WindowSupport.h"
#include "admin/AdminPage.h"
#include "admin/SettingsPanel.h"
#include "admin/SiteTextsBox.h"
#include "app/MainWindow.h"

#include <QComboBox>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTest>

using namespace reelgate::test;

namespace {
const QString kPassword = "long password 123"; // Marketplace's password for every account
} // namespace

class TestSiteTexts : public QObject {
    Q_OBJECT

    Marketplace market_;
    std::unique_ptr<MainWindow> window_;

    SiteTextsBox* box() { return window_->adminPage()->settingsPanel()->siteTextsBox(); }

    QJsonObject publicText(const QString& key) {
        HttpClient visitor(market_.server().baseUrl());
        return visitor.get("/api/site/" + key).json().object().value("text").toObject();
    }

    void pick(const QString& key) {
        box()->keyBox()->setCurrentIndex(box()->keyBox()->findData(key));
        QCOMPARE(box()->currentKey(), key);
    }

private slots:
    void initTestCase() {
        QVERIFY2(market_.start(), qPrintable(market_.server().log()));
        studiotest::usePrivateHome(market_.workDir());
        QVERIFY(market_.createAdmin("root"));
        window_ = studiotest::signedInWindow(market_.server().baseUrl(), "root", kPassword);
        QVERIFY(window_);
        QVERIFY(window_->showPage("admin"));
        AdminPage* admin = window_->adminPage();
        admin->tabs()->setCurrentWidget(admin->settingsPanel()); // as the admin would click it
        QVERIFY(QTest::qWaitFor([&] { return box()->loaded(); }, 15000));
    }

    void cleanupTestCase() {
        window_.reset();
        QCOMPARE(market_.server().stop(), 0);
    }

    void defaultsLoad() {
        pick("terms");
        QCOMPARE(box()->editor()->toPlainText(), publicText("terms").value("body").toString());
        QVERIFY(!box()->editor()->toPlainText().isEmpty());
        QVERIFY(window_->findChild<QLabel*>("siteTextSource")->text().contains("default"));
    }

    void savedRefundPolicyIsWhatVisitorsRead() {
        pick("refund_policy");
        const QString policy =
            QString::fromUtf8("Refunds within 14 days — ask café@example.com.\n\n"
                              "Watched more than half? No refund.");
        box()->editor()->setPlainText(policy);
        QVERIFY(box()->saveButton()->isEnabled());
        studiotest::snapshot(*window_, "studio-site-texts");
        QTest::mouseClick(box()->saveButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return box()->statusLabel()->text().startsWith("Saved"); },
                                10000));
        QCOMPARE(publicText("refund_policy").value("body").toString(), policy);
        QVERIFY(window_->findChild<QLabel*>("siteTextSource")->text().startsWith("Set "));
    }

    void editSurvivesSwitchingTexts() {
        pick("privacy");
        box()->editor()->setPlainText("We keep your email and what you bought.");
        pick("terms");
        QVERIFY(!box()->editor()->toPlainText().startsWith("We keep"));
        pick("privacy");
        QCOMPARE(box()->editor()->toPlainText(),
                 QString("We keep your email and what you bought."));
    }

    void emptyOrTooLongCannotBeSaved() {
        pick("terms");
        box()->editor()->setPlainText("   \n ");
        QVERIFY(!box()->saveButton()->isEnabled());
        // 20001 characters, of which many are 2 UTF-16 units: counted as characters.
        box()->editor()->setPlainText(QString::fromUtf8("🎬").repeated(SiteTextsBox::kMaxChars) +
                                      "x");
        QVERIFY(!box()->saveButton()->isEnabled());
        QVERIFY(box()->countLabel()->text().startsWith("20001 /"));
        box()->editor()->setPlainText(QString::fromUtf8("🎬").repeated(SiteTextsBox::kMaxChars));
        QVERIFY(box()->saveButton()->isEnabled());
    }

    void refusedTextChangesNothing() {
        pick("terms");
        const QString before = publicText("terms").value("body").toString();
        box()->editor()->setPlainText(QString("Terms") + QChar(0x07) + "with a bell");
        QTest::mouseClick(box()->saveButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor(
            [&] { return box()->statusLabel()->text().startsWith("Not saved"); }, 10000));
        QVERIFY(box()->statusLabel()->styleSheet().contains("color"));
        QCOMPARE(publicText("terms").value("body").toString(), before);
    }

    void signOutForgetsTheTexts() {
        window_->session().signOut();
        QVERIFY(QTest::qWaitFor([&] { return !window_->session().isSignedIn(); }, 10000));
        QVERIFY(!box()->loaded());
        QVERIFY(box()->editor()->toPlainText().isEmpty());
        QVERIFY(!box()->editor()->isEnabled());
        QVERIFY(!box()->saveButton()->isEnabled());
    }
};

QTEST_MAIN(TestSiteTexts)
#include "tst_sitetexts.moc"
