// The buyer's store through the real server: catalog search, order and pages; the library and
// watch positions (and who may not write them); creator pages and their validation; the HTML
// 404 pages; the admin's texts; and sign-out forgetting the referral.

#include "Marketplace.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUuid>

using namespace reelgate::test;

namespace {

QStringList titles(const HttpReply& reply) {
    QStringList out;
    for (const auto& v : reply.json().object().value("videos").toArray())
        out << v.toObject().value("title").toString();
    return out;
}

QByteArray json(const QJsonObject& object) {
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

class TestStore : public QObject {
    Q_OBJECT

    Marketplace market_;
    QString bought_;  // bought by "buyer"
    QString shared_;  // "buyer" is on its allowlist
    QString foreign_; // nobody but its creator may watch it

    HttpReply anonymous(const QString& path, const QByteArray& accept = "application/json") {
        HttpClient client(market_.server().baseUrl());
        return client.send("GET", path, {}, {}, {{"Accept", accept}});
    }
    HttpReply progress(const QString& who, const QString& id, const QByteArray& body) {
        return market_.client(who)->send("PUT", "/api/videos/" + id + "/progress", body,
                                         "application/json");
    }

private slots:
    void initTestCase() {
        QVERIFY2(market_.start(), qPrintable(market_.server().log()));
        QVERIFY(market_.signUp("maker", true));
        QVERIFY(market_.signUp("Needle_Maker", true));
        QVERIFY(market_.signUp("buyer"));
        QVERIFY(market_.signUp("stranger"));
        QVERIFY(market_.credit("buyer", "50", "USD"));
        // Oldest first: "newest" lists them in reverse.
        QVERIFY(!market_.publish("maker", "Alpine lakes", "3.00", "USD", 0).isEmpty());
        QVERIFY(!market_.publish("maker", "Harbour at night", "1.00", "USD", 0).isEmpty());
        QVERIFY(!market_.publish("Needle_Maker", "Quiet forest", "5.00", "USD", 0).isEmpty());
        QVERIFY(!market_.publish("maker", "100% wool", "2.00", "USD", 0).isEmpty());
        bought_ = market_.publish("maker", "Desert roads", "4.00", "USD", 0);
        shared_ = market_.publish("maker", "Shared cut", "9.00", "USD", 0);
        foreign_ = market_.publish("Needle_Maker", "Private reel", "8.00", "USD", 0);
        QVERIFY(!foreign_.isEmpty());
        QCOMPARE(market_.client("buyer")
                     ->send("POST", "/api/videos/" + bought_ + "/purchase", {}, {},
                            {{"Idempotency-Key", QUuid::createUuid().toByteArray()}})
                     .status,
                 201);
        QCOMPARE(market_.client("maker")
                     ->send("PUT", "/api/videos/" + shared_ + "/allowlist",
                            R"({"usernames":["buyer"]})", "application/json")
                     .status,
                 200);
    }

    void catalogSearchesTitleDescriptionAndCreator() {
        QCOMPARE(titles(anonymous("/api/catalog?q=HARBOUR")), QStringList{"Harbour at night"});
        QCOMPARE(titles(anonymous("/api/catalog?q=needle")),
                 (QStringList{"Private reel", "Quiet forest"}));
        // '%' and '_' are letters to find, not wildcards.
        QCOMPARE(titles(anonymous("/api/catalog?q=100%25")), QStringList{"100% wool"});
        QCOMPARE(titles(anonymous("/api/catalog?q=_")),
                 (QStringList{"Private reel", "Quiet forest"}));
        QCOMPARE(titles(anonymous("/api/catalog?q=nothing%20like%20this")), QStringList{});
        QCOMPARE(anonymous("/api/catalog?q=%FF%FE").status, 400);
        QCOMPARE(anonymous("/api/catalog?q=" + QString(101, 'a')).status, 400);
    }

    void catalogSortsAndPages() {
        const auto cheap = titles(anonymous("/api/catalog?sort=price_low&limit=3"));
        QCOMPARE(cheap, (QStringList{"Harbour at night", "100% wool", "Alpine lakes"}));
        QCOMPARE(titles(anonymous("/api/catalog?sort=price_high&limit=1")),
                 QStringList{"Shared cut"});
        // The bought video is the popular one.
        QCOMPARE(titles(anonymous("/api/catalog?sort=popular&limit=1")),
                 QStringList{"Desert roads"});
        QCOMPARE(anonymous("/api/catalog?sort=random").status, 400);

        QStringList seen;
        QString path = "/api/catalog?limit=3&offset=0";
        for (int pages = 0; pages < 10; ++pages) {
            const auto page = anonymous(path);
            QCOMPARE(page.status, 200);
            seen << titles(page);
            const auto next = page.json().object().value("next_offset");
            if (next.isNull())
                break;
            path = "/api/catalog?limit=3&offset=" + QString::number(next.toInt());
        }
        QCOMPARE(seen.size(), 7);
        QCOMPARE(seen.first(), QString("Private reel")); // newest first
        QCOMPARE(seen.last(), QString("Alpine lakes"));
        QCOMPARE(QSet<QString>(seen.begin(), seen.end()).size(), 7); // no video twice
        QCOMPARE(anonymous("/api/catalog?offset=-5&limit=100000").status, 200);
    }

    void libraryHoldsBoughtAndSharedVideosWithPositions() {
        QCOMPARE(progress("buyer", bought_, R"({"position_ms":6000})").status, 200);
        const auto reply = market_.client("buyer")->get("/api/me/library");
        QCOMPARE(reply.status, 200);
        const auto videos = reply.json().object().value("videos").toArray();
        QCOMPARE(videos.size(), 2);
        const auto first = videos.at(0).toObject(); // watched most recently
        QCOMPARE(first.value("id").toString(), bought_);
        QCOMPARE(first.value("access").toString(), QString("purchased"));
        QCOMPARE(first.value("position_ms").toInt(), 6000);
        QCOMPARE(videos.at(1).toObject().value("access").toString(), QString("allowlisted"));
        QCOMPARE(market_.client("stranger")
                     ->get("/api/me/library")
                     .json()
                     .object()
                     .value("videos")
                     .toArray()
                     .size(),
                 0);
        HttpClient nobody(market_.server().baseUrl());
        QCOMPARE(nobody.get("/api/me/library").status, 401);
    }

    void positionIsOneRowPerViewerAndVideoAndChecked() {
        QCOMPARE(progress("buyer", shared_, R"({"position_ms":4000})").status, 200);
        QCOMPARE(progress("buyer", shared_, R"({"position_ms":7250.6})").status, 200);
        const auto at = market_.client("buyer")->get("/api/videos/" + shared_ + "/progress");
        QCOMPARE(at.json().object().value("position_ms").toInt(), 7250);
        QCOMPARE(market_
                     .sql("SELECT count(*) FROM watch_history h JOIN videos v ON v.id = "
                          "h.video_id WHERE v.public_id = '" +
                          shared_ + "'")
                     .trimmed(),
                 QString("1"));
        // The sample video lasts 10.5 s: a little past the end is the end, far past is refused.
        const auto end = progress("buyer", shared_, R"({"position_ms":11000})");
        QCOMPARE(end.status, 200);
        QCOMPARE(end.json().object().value("position_ms").toInt(), 10500);
        for (const char* bad :
             {R"({"position_ms":-1})", R"({"position_ms":99999999})", R"({"position_ms":1e300})",
              R"({"position_ms":"10"})", R"({"position_ms":null})", R"({})"}) {
            const auto refused = progress("buyer", shared_, bad);
            QVERIFY2(refused.status == 400, bad);
        }
        // Somebody else's video, one the viewer may not watch, an unknown one: all "no video".
        QCOMPARE(progress("stranger", bought_, R"({"position_ms":1000})").status, 404);
        QCOMPARE(progress("buyer", foreign_, R"({"position_ms":1000})").status, 404);
        QCOMPARE(progress("buyer", "nosuchvideo1", R"({"position_ms":1000})").status, 404);
        // A cookie request without the CSRF token (a forged form) writes nothing.
        auto forged = market_.signIn("buyer");
        forged->setSendCsrf(false);
        QCOMPARE(forged
                     ->send("PUT", "/api/videos/" + bought_ + "/progress",
                            R"({"position_ms":1000})", "application/json")
                     .status,
                 403);
        QCOMPARE(market_.client("buyer")
                     ->get("/api/videos/" + bought_ + "/progress")
                     .json()
                     .object()
                     .value("position_ms")
                     .toInt(),
                 6000);
    }

    void unpublishedSharedVideoLeavesTheLibraryBoughtOneStays() {
        QCOMPARE(market_.client("maker")
                     ->send("POST", "/api/videos/" + shared_ + "/unpublish", {}, {})
                     .status,
                 200);
        QCOMPARE(market_.client("maker")->send("DELETE", "/api/videos/" + bought_, {}, {}).status,
                 200);
        const auto videos =
            market_.client("buyer")->get("/api/me/library").json().object().value("videos");
        QCOMPARE(videos.toArray().size(), 1);
        QCOMPARE(videos.toArray().at(0).toObject().value("id").toString(), bought_);
        QCOMPARE(market_.client("maker")
                     ->send("POST", "/api/videos/" + shared_ + "/republish", {}, {})
                     .status,
                 200);
    }

    void creatorPageShowsProfileAndVideos() {
        auto maker = market_.client("Needle_Maker");
        const QJsonObject profile{
            {"display_name", QString::fromUtf8("Nadia Ñeedle")},
            {"bio", "Films about trees.\n\nAnd quiet."},
            {"links",
             QJsonArray{QJsonObject{{"label", "Site"}, {"url", "https://example.com/n"}}}}};
        QCOMPARE(maker->send("PUT", "/api/me/profile", json(profile), "application/json").status,
                 200);
        const auto page = anonymous("/api/creators/needle_maker?limit=1");
        QCOMPARE(page.status, 200);
        const auto creator = page.json().object().value("creator").toObject();
        QCOMPARE(creator.value("display_name").toString(), QString::fromUtf8("Nadia Ñeedle"));
        QCOMPARE(creator.value("username").toString(), QString("Needle_Maker"));
        QCOMPARE(creator.value("links").toArray().at(0).toObject().value("url").toString(),
                 QString("https://example.com/n"));
        QCOMPARE(titles(page), QStringList{"Private reel"});
        QCOMPARE(page.json().object().value("next_offset").toInt(), 1);
        QCOMPARE(anonymous("/api/creators/buyer").status, 404); // not a creator
        QCOMPARE(anonymous("/api/creators/nobody_here").status, 404);
    }

    void profileRefusesBadLinksAndLongText_data() {
        QTest::addColumn<QByteArray>("body");
        // Built as JSON objects: moc's reader trips over some raw string literals.
        const auto links = [](const QJsonArray& list) { return json({{"links", list}}); };
        const auto one = [&](const QString& url) {
            return links(QJsonArray{QJsonObject{{"label", "x"}, {"url", url}}});
        };
        QTest::newRow("javascript link") << one("javascript:alert(1)");
        QTest::newRow("data link") << one("data:text/html,hi");
        QTest::newRow("no host") << one("https:///path");
        QTest::newRow("credentials") << one("https://user@evil.example");
        QTest::newRow("quote") << one("https://a.example/\"onmouseover=x");
        QJsonArray six;
        for (int i = 0; i < 6; ++i)
            six.append(QJsonObject{{"url", "https://a.example"}});
        QTest::newRow("six links") << links(six);
        QTest::newRow("name of 61 characters")
            << json({{"display_name", QString(61, QChar(0x00e9))}});
        QTest::newRow("bio of 2001 characters") << json({{"bio", QString(2001, QChar(0x00e9))}});
        QTest::newRow("control character") << QByteArray(R"({"display_name":"a\u0007b"})");
        QTest::newRow("newline in name") << QByteArray(R"({"display_name":"a\nb"})");
        QTest::newRow("not text") << QByteArray(R"({"bio":42})");
    }

    void profileRefusesBadLinksAndLongText() {
        QFETCH(QByteArray, body);
        const auto reply =
            market_.client("maker")->send("PUT", "/api/me/profile", body, "application/json");
        QCOMPARE(reply.status, 400);
        QVERIFY(!reply.body.contains("javascript"));
    }

    void profileLimitsCountCharactersAndBuyersCannotEdit() {
        const auto fits = market_.client("maker")->send(
            "PUT", "/api/me/profile",
            json({{"display_name", QString(60, QChar(0x00e9))}, {"bio", QString(2000, 'b')}}),
            "application/json");
        QCOMPARE(fits.status, 200);
        QCOMPARE(market_.client("buyer")
                     ->send("PUT", "/api/me/profile", R"({"bio":"hi"})", "application/json")
                     .status,
                 403);
    }

    void unknownPagesAndMissingVideosAnswerHtml404() {
        const auto missing = anonymous("/v/nosuchvideo1", "text/html,application/xhtml+xml");
        QCOMPARE(missing.status, 404);
        QVERIFY(missing.header("Content-Type").startsWith("text/html"));
        QVERIFY(missing.body.contains("could not find that page"));
        QCOMPARE(anonymous("/watch/nosuchvideo1", "text/html").status, 404);
        QCOMPARE(anonymous("/v/" + foreign_, "text/html").status, 200);
        QCOMPARE(anonymous("/c/Needle_Maker", "text/html").status, 200);
        QCOMPARE(anonymous("/c/buyer", "text/html").status, 404);
        const auto unknown = anonymous("/no/such/page", "text/html");
        QCOMPARE(unknown.status, 404);
        QVERIFY(unknown.header("Content-Type").startsWith("text/html"));
        QVERIFY(!unknown.header("Content-Security-Policy").isEmpty());
        // API paths and non-browser clients keep the JSON error.
        const auto api = anonymous("/api/nothing", "text/html");
        QCOMPARE(api.status, 404);
        QCOMPARE(api.json().object().value("error").toObject().value("code").toString(),
                 QString("not_found"));
        QCOMPARE(anonymous("/no/such/page").json().object().value("error").isObject(), true);
        // An unpublished video is gone for strangers, still there for its creator.
        QCOMPARE(market_.client("maker")
                     ->send("POST", "/api/videos/" + shared_ + "/unpublish", {}, {})
                     .status,
                 200);
        QCOMPARE(anonymous("/v/" + shared_, "text/html").status, 404);
        QCOMPARE(market_.client("maker")
                     ->send("GET", "/v/" + shared_, {}, {}, {{"Accept", "text/html"}})
                     .status,
                 200);
        for (const char* page : {"/terms", "/privacy", "/library"})
            QCOMPARE(anonymous(page, "text/html").status, 200);
    }

    void adminSetsTheTexts() {
        const auto fallback = anonymous("/api/site/refund_policy");
        QCOMPARE(fallback.status, 200);
        QVERIFY(
            !fallback.json().object().value("text").toObject().value("body").toString().isEmpty());
        QCOMPARE(anonymous("/api/site/secrets").status, 404);
        auto admin = market_.createAdmin("root");
        QVERIFY(admin);
        const auto set = admin->send("PUT", "/api/admin/site/terms",
                                     R"({"body":"Be kind.\n\nNo copying."})", "application/json");
        QCOMPARE(set.status, 200);
        QCOMPARE(anonymous("/api/site/terms")
                     .json()
                     .object()
                     .value("text")
                     .toObject()
                     .value("body")
                     .toString(),
                 QString("Be kind.\n\nNo copying."));
        QCOMPARE(
            market_.client("maker")
                ->send("PUT", "/api/admin/site/terms", R"({"body":"Mine"})", "application/json")
                .status,
            403);
        QCOMPARE(admin->send("PUT", "/api/admin/site/terms", R"({"body":""})", "application/json")
                     .status,
                 400);
        QCOMPARE(admin->send("PUT", "/api/admin/site/other", R"({"body":"x"})", "application/json")
                     .status,
                 404);
    }

    void signingOutForgetsTheReferral() {
        auto visitor = market_.signIn("stranger");
        QCOMPARE(visitor->send("GET", "/?ref=maker", {}, {}, {{"Accept", "text/html"}}).status,
                 200);
        QCOMPARE(visitor->cookie("rg_ref"), QByteArray("maker"));
        QCOMPARE(visitor->send("POST", "/api/auth/logout", {}, {}).status, 204);
        QVERIFY(visitor->cookie("rg_ref").isEmpty());
    }

    // Last: it adds a video to the catalog the tests above count.
    void videoPageSaysTheBestQuality() {
        PackageOptions tall;
        tall.renditions = 4; // 240p .. 720p
        const QString id =
            market_.publish("maker", "Tall film", "2.00", "USD", 0, samplePackage(tall));
        QVERIFY(!id.isEmpty());
        // Asked twice: the second answer comes from the package already in memory.
        for (int i = 0; i < 2; ++i) {
            const auto video = anonymous("/api/videos/" + id).json().object().value("video");
            QCOMPARE(video.toObject().value("best_quality").toString(), QString("720p"));
        }
        const auto two = market_.client("Needle_Maker")
                             ->get("/api/videos/" + foreign_)
                             .json()
                             .object()
                             .value("video");
        QCOMPARE(two.toObject().value("best_quality").toString(), QString("360p"));
        // A draft has no package yet: its creator sees null.
        const auto draft = market_.client("maker")->send(
            "POST", "/api/videos",
            json({{"title", "Draft"},
                  {"price", QJsonObject{{"amount_minor", 100}, {"currency", "USD"}}}}),
            "application/json");
        QCOMPARE(draft.status, 201);
        const QString draftId =
            draft.json().object().value("video").toObject().value("id").toString();
        const auto seen = market_.client("maker")->get("/api/videos/" + draftId);
        QCOMPARE(seen.status, 200);
        QVERIFY(seen.json().object().value("video").toObject().value("best_quality").isNull());
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
