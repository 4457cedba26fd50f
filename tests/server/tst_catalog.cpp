// Creators manage their published videos through the real server: every field edited (and seen
// by buyers), unpublish and republish, delete (the video leaves the catalog and the creator's
// list, its buyers keep watching it), and the guard against publishing one package twice.

#include "Marketplace.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUuid>

using namespace reelgate::test;

namespace {

const QString kHash = QString(64, 'a');

bool listed(const QJsonArray& videos, const QString& id) {
    return std::any_of(videos.begin(), videos.end(), [&](const QJsonValue& v) {
        return v.toObject().value("id").toString() == id;
    });
}

QByteArray draft(const QString& title, const QString& hash) {
    return QJsonDocument(
               QJsonObject{{"title", title},
                           {"price", QJsonObject{{"amount_minor", 300}, {"currency", "USD"}}},
                           {"package_sha256", hash}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

class TestCatalog : public QObject {
    Q_OBJECT

    Marketplace market_;

    QJsonArray catalog() {
        HttpClient anonymous(market_.server().baseUrl());
        return anonymous.get("/api/catalog").json().object().value("videos").toArray();
    }
    QJsonArray mine() {
        return market_.client("maker")
            ->get("/api/me/videos")
            .json()
            .object()
            .value("videos")
            .toArray();
    }
    int status(const QString& who, const QByteArray& verb, const QString& path,
               const QByteArray& body = {}) {
        const auto reply =
            market_.client(who)->send(verb, path, body, body.isEmpty() ? "" : "application/json");
        return reply.status;
    }

private slots:
    void initTestCase() {
        QVERIFY2(market_.start(), qPrintable(market_.server().log()));
        QVERIFY(market_.signUp("maker", true));
        QVERIFY(market_.signUp("rival", true));
        QVERIFY(market_.signUp("buyer"));
        QVERIFY(market_.signUp("stranger"));
        QVERIFY(market_.credit("buyer", "20", "USD"));
    }

    void creatorEditsEveryField() {
        const QString id = market_.publish("maker", "First cut", "2.00", "USD", 0);
        QVERIFY(!id.isEmpty());
        const auto edited =
            market_.client("maker")->send("PATCH", "/api/videos/" + id,
                                          R"({"title":"Final cut","description":"Longer.\nBetter.",
                "price":{"amount_minor":750,"currency":"EUR"},"affiliate_bps":500,
                "visibility":"unlisted"})",
                                          "application/json");
        QCOMPARE(edited.status, 200);
        QCOMPARE(status("maker", "PUT", "/api/videos/" + id + "/allowlist",
                        R"({"usernames":["stranger"]})"),
                 200);
        // What a buyer now sees on the video page.
        const auto page = market_.client("buyer")
                              ->get("/api/videos/" + id)
                              .json()
                              .object()
                              .value("video")
                              .toObject();
        QCOMPARE(page.value("title").toString(), QString("Final cut"));
        QCOMPARE(page.value("description").toString(), QString("Longer.\nBetter."));
        QCOMPARE(page.value("price_display").toString(), QString("7.50 EUR"));
        QCOMPARE(page.value("affiliate_bps").toInt(), 500);
        QCOMPARE(page.value("visibility").toString(), QString("unlisted"));
        QVERIFY(!listed(catalog(), id)); // unlisted: by link only
        // The allowlisted stranger watches for free.
        QCOMPARE(status("stranger", "POST", "/api/videos/" + id + "/play"), 201);
        // A refused edit changes nothing.
        QCOMPARE(status("maker", "PATCH", "/api/videos/" + id, R"({"title":"  "})"), 400);
        QCOMPARE(status("rival", "PATCH", "/api/videos/" + id, R"({"title":"Mine now"})"), 404);
        QCOMPARE(market_.client("buyer")
                     ->get("/api/videos/" + id)
                     .json()
                     .object()
                     .value("video")
                     .toObject()
                     .value("title")
                     .toString(),
                 QString("Final cut"));
    }

    void unpublishAndRepublish() {
        const QString id = market_.publish("maker", "On and off", "1.00", "USD", 0);
        QVERIFY(listed(catalog(), id));
        QCOMPARE(status("maker", "POST", "/api/videos/" + id + "/republish"), 409);
        QCOMPARE(status("maker", "POST", "/api/videos/" + id + "/unpublish"), 200);
        QVERIFY(!listed(catalog(), id));
        QCOMPARE(status("stranger", "GET", "/api/videos/" + id), 404);
        QCOMPARE(status("rival", "POST", "/api/videos/" + id + "/republish"), 404);
        const auto back =
            market_.client("maker")->send("POST", "/api/videos/" + id + "/republish", {}, {});
        QCOMPARE(back.status, 200);
        QCOMPARE(back.json().object().value("video").toObject().value("state").toString(),
                 QString("published"));
        QVERIFY(listed(catalog(), id));
        QCOMPARE(status("stranger", "GET", "/api/videos/" + id), 200);
    }

    void deletedVideoStaysWithItsBuyers() {
        const QString id = market_.publish("maker", "Going away", "3.00", "USD", 0);
        QCOMPARE(market_.client("buyer")
                     ->send("POST", "/api/videos/" + id + "/purchase", {}, {},
                            {{"Idempotency-Key", QUuid::createUuid().toByteArray()}})
                     .status,
                 201);
        QCOMPARE(status("rival", "DELETE", "/api/videos/" + id), 404);
        const auto gone = market_.client("maker")->send("DELETE", "/api/videos/" + id, {}, {});
        QCOMPARE(gone.status, 200);
        QCOMPARE(gone.json().object().value("buyers_keep_access").toInt(), 1);

        QVERIFY(!listed(catalog(), id));
        QVERIFY(!listed(mine(), id));
        QCOMPARE(status("stranger", "GET", "/api/videos/" + id), 404);
        const auto buy = market_.client("stranger")
                             ->send("POST", "/api/videos/" + id + "/purchase", {}, {},
                                    {{"Idempotency-Key", QUuid::createUuid().toByteArray()}});
        QCOMPARE(buy.status, 409); // no longer for sale
        QCOMPARE(errorCode(buy), QString("not_published"));
        // The buyer still finds and plays it.
        const auto page = market_.client("buyer")->get("/api/videos/" + id);
        QCOMPARE(page.status, 200);
        QCOMPARE(page.json()
                     .object()
                     .value("video")
                     .toObject()
                     .value("viewer")
                     .toObject()
                     .value("can_watch")
                     .toBool(),
                 true);
        QCOMPARE(status("buyer", "POST", "/api/videos/" + id + "/play"), 201);
        // For its creator it is gone: no edits, no second delete, no republish.
        QCOMPARE(status("maker", "PATCH", "/api/videos/" + id, R"({"title":"Back"})"), 404);
        QCOMPARE(status("maker", "DELETE", "/api/videos/" + id), 404);
        QCOMPARE(status("maker", "POST", "/api/videos/" + id + "/republish"), 404);
    }

    void samePackageTwiceIsRefused() {
        const auto first = market_.client("maker")->send(
            "POST", "/api/videos", draft("Holiday", kHash), "application/json");
        QCOMPARE(first.status, 201);
        const QString firstId =
            first.json().object().value("video").toObject().value("id").toString();
        const auto again = market_.client("maker")->send(
            "POST", "/api/videos", draft("Holiday again", kHash.toUpper()), "application/json");
        QCOMPARE(again.status, 409);
        QCOMPARE(errorCode(again), QString("duplicate_package"));
        const QString message =
            again.json().object().value("error").toObject().value("message").toString();
        QVERIFY2(message.contains(firstId) && message.contains("Holiday"), qPrintable(message));
        // Another creator's package, and a different package, are not duplicates.
        QCOMPARE(status("rival", "POST", "/api/videos", draft("Holiday", kHash)), 201);
        QCOMPARE(status("maker", "POST", "/api/videos", draft("Other", QString(64, 'b'))), 201);
        QCOMPARE(status("maker", "POST", "/api/videos", draft("Bad", "not-a-hash")), 400);
        // Once the first is deleted, the package may be published again.
        QCOMPARE(status("maker", "DELETE", "/api/videos/" + firstId), 200);
        QCOMPARE(status("maker", "POST", "/api/videos", draft("Holiday", kHash)), 201);
    }
};

QTEST_GUILESS_MAIN(TestCatalog)
#include "tst_catalog.moc"
