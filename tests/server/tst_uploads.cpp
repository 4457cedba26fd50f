// Publishing through the real server: videos with price and affiliate rate, tus 1.0 uploads of
// package tars (checksums, resume after a server crash, termination), package validation, and
// the refusal of hostile archives: nothing half-written or unsafe is ever published.

#include "HttpClient.h"
#include "ServerProcess.h"
#include "TestPackage.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace reelgate::test;

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

QString errorCode(const HttpReply& reply) {
    return reply.json().object().value("error").toObject().value("code").toString();
}

QByteArray checksum(const char* algorithm, const QByteArray& data) {
    const auto method =
        QByteArray(algorithm) == "sha1" ? QCryptographicHash::Sha1 : QCryptographicHash::Sha256;
    return QByteArray(algorithm) + " " + QCryptographicHash::hash(data, method).toBase64();
}

} // namespace

class TestUploads : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString dataDir_;
    ServerProcess server_;
    std::unique_ptr<HttpClient> creator_;
    std::unique_ptr<HttpClient> buyer_;

    QString createVideo(const QString& title = "My film", const QString& packageSha256 = {}) {
        QJsonObject fields{{"title", title},
                           {"description", "A short film"},
                           {"price", QJsonObject{{"amount_minor", 499}, {"currency", "USD"}}},
                           {"affiliate_bps", 2000}};
        if (!packageSha256.isEmpty())
            fields["package_sha256"] = packageSha256;
        const auto reply = creator_->postJson("/api/videos", fields);
        if (reply.status != 201)
            qWarning() << reply.body;
        return reply.json().object().value("video").toObject().value("id").toString();
    }

    // POST /api/uploads; returns the upload path ("/api/uploads/<id>") or empty.
    QString createUpload(HttpClient& client, const QString& videoId, qint64 length) {
        const auto reply = client.send(
            "POST", "/api/uploads", {}, {},
            Headers{{"Tus-Resumable", "1.0.0"},
                    {"Upload-Length", QByteArray::number(length)},
                    {"Upload-Metadata", "video_id " + videoId.toUtf8().toBase64() + ",filename " +
                                            QByteArray("film.tar").toBase64()}});
        if (reply.status != 201)
            return {};
        return QString::fromUtf8(reply.header("Location"));
    }

    HttpReply patch(HttpClient& client, const QString& upload, qint64 offset,
                    const QByteArray& chunk, const QByteArray& checksumHeader = {}) {
        Headers headers{{"Tus-Resumable", "1.0.0"}, {"Upload-Offset", QByteArray::number(offset)}};
        if (!checksumHeader.isEmpty())
            headers.append({"Upload-Checksum", checksumHeader});
        return client.send("PATCH", upload, chunk, "application/offset+octet-stream", headers);
    }

    qint64 serverOffset(HttpClient& client, const QString& upload) {
        const auto reply = client.send("HEAD", upload, {}, {}, Headers{{"Tus-Resumable", "1.0.0"}});
        return reply.status == 200 ? reply.header("Upload-Offset").toLongLong() : -1;
    }

    QJsonObject waitForVideo(const QString& id, const QString& state) {
        return waitForVideoState(*creator_, id, state);
    }

    // Uploads `tar` for a new video in two checksummed chunks; returns the video id.
    QString uploadPackage(const QByteArray& tar, const QString& packageSha256 = {}) {
        const QString id = createVideo("My film", packageSha256);
        const QString upload = createUpload(*creator_, id, tar.size());
        const qint64 half = tar.size() / 2;
        if (patch(*creator_, upload, 0, tar.left(half), checksum("sha256", tar.left(half)))
                .status != 204)
            return {};
        if (patch(*creator_, upload, half, tar.mid(half), checksum("sha1", tar.mid(half))).status !=
            204)
            return {};
        return id;
    }

    // After a restart: fresh clients for the new address, signed in again.
    bool signInAgain() {
        creator_ = std::make_unique<HttpClient>(server_.baseUrl());
        buyer_ = std::make_unique<HttpClient>(server_.baseUrl());
        const QString password = "long password 123";
        return creator_->postJson("/api/auth/login", {{"login", "maker"}, {"password", password}})
                       .status == 200 &&
               buyer_->postJson("/api/auth/login", {{"login", "watcher"}, {"password", password}})
                       .status == 200;
    }

    int publishedPackages() const {
        return QDir(dataDir_ + "/videos").entryList(QDir::Dirs | QDir::NoDotAndDotDot).size();
    }

private slots:
    void initTestCase() {
        dataDir_ = serverReachable(tmp_) + "/data";
        QVERIFY2(server_.start(dataDir_), qPrintable(server_.log()));
        creator_ = std::make_unique<HttpClient>(server_.baseUrl());
        buyer_ = std::make_unique<HttpClient>(server_.baseUrl());
        for (const auto& [client, name] :
             {std::pair{creator_.get(), "maker"}, std::pair{buyer_.get(), "watcher"}}) {
            QCOMPARE(
                client
                    ->postJson("/api/auth/register", {{"username", name},
                                                      {"email", QString(name) + "@example.com"},
                                                      {"password", "long password 123"}})
                    .status,
                201);
        }
        QCOMPARE(creator_->postJson("/api/me/creator", {}).status, 200);
    }

    void cleanupTestCase() { QCOMPARE(server_.stop(), 0); }

    void tusOptionsAdvertiseTheExtensions() {
        const auto reply = creator_->send("OPTIONS", "/api/uploads", {}, {});
        QCOMPARE(reply.status, 204);
        QCOMPARE(reply.header("Tus-Version"), QByteArray("1.0.0"));
        QCOMPARE(reply.header("Tus-Extension"),
                 QByteArray("creation,termination,checksum,expiration"));
        QCOMPARE(reply.header("Tus-Checksum-Algorithm"), QByteArray("sha1,sha256"));
        QVERIFY(reply.header("Tus-Max-Size").toLongLong() > 0);
    }

    void buyersCannotPublish() {
        const auto video = buyer_->postJson(
            "/api/videos",
            {{"title", "x"}, {"price", QJsonObject{{"amount_minor", 1}, {"currency", "USD"}}}});
        QCOMPARE(video.status, 403);
        const QString id = createVideo();
        const auto upload =
            buyer_->send("POST", "/api/uploads", {}, {},
                         Headers{{"Tus-Resumable", "1.0.0"},
                                 {"Upload-Length", "10"},
                                 {"Upload-Metadata", "video_id " + id.toUtf8().toBase64()}});
        QCOMPARE(upload.status, 403);
        HttpClient anonymous(server_.baseUrl());
        QCOMPARE(anonymous
                     .send("POST", "/api/uploads", {}, {},
                           Headers{{"Tus-Resumable", "1.0.0"}, {"Upload-Length", "10"}})
                     .status,
                 401);
    }

    void videoSettingsAreValidated_data() {
        QTest::addColumn<QJsonObject>("fields");
        QTest::addColumn<QString>("message");
        const QJsonObject price{{"amount_minor", 499}, {"currency", "USD"}};
        QTest::newRow("no title") << QJsonObject{{"price", price}} << "'title' is required";
        QTest::newRow("no price") << QJsonObject{{"title", "t"}} << "'price' is required";
        QTest::newRow("negative") << QJsonObject{{"title", "t"},
                                                 {"price", QJsonObject{{"amount_minor", -1},
                                                                       {"currency", "USD"}}}}
                                  << "cannot be negative";
        QTest::newRow("bad currency")
            << QJsonObject{{"title", "t"},
                           {"price", QJsonObject{{"amount_minor", 1}, {"currency", "XYZ"}}}}
            << "price:";
        QTest::newRow("affiliate above fee room")
            << QJsonObject{{"title", "t"}, {"price", price}, {"affiliate_bps", 9001}}
            << "between 0 and 9000";
        QTest::newRow("affiliate negative")
            << QJsonObject{{"title", "t"}, {"price", price}, {"affiliate_bps", -5}}
            << "between 0 and 9000";
        QTest::newRow("visibility")
            << QJsonObject{{"title", "t"}, {"price", price}, {"visibility", "secret"}}
            << "Visibility";
    }
    void videoSettingsAreValidated() {
        QFETCH(QJsonObject, fields);
        QFETCH(QString, message);
        const auto reply = creator_->postJson("/api/videos", fields);
        QCOMPARE(reply.status, 400);
        QVERIFY2(QString::fromUtf8(reply.body).contains(message), reply.body.constData());
    }

    void aPackageUploadedInChunksIsPublished() {
        PackageOptions options;
        options.poster = true;
        const QByteArray tar = makeTar(samplePackage(options));
        const QString id = uploadPackage(tar);
        QVERIFY(!id.isEmpty());
        const QJsonObject video = waitForVideo(id, "published");
        QCOMPARE(video.value("state").toString(), QString("published"));
        QCOMPARE(video.value("duration_ms").toInteger(), 10500);
        QCOMPARE(video.value("price_display").toString(), QString("4.99 USD"));
        QCOMPARE(video.value("affiliate_bps").toInt(), 2000);

        HttpClient anonymous(server_.baseUrl());
        const auto catalog =
            anonymous.get("/api/catalog").json().object().value("videos").toArray();
        QVERIFY(std::any_of(catalog.begin(), catalog.end(), [&](const QJsonValue& v) {
            return v.toObject().value("id").toString() == id;
        }));
        const auto page = anonymous.get("/api/videos/" + id);
        QCOMPARE(page.status, 200);
        QVERIFY(!page.json().object().value("video").toObject().contains("state")); // owner-only
        const QString posterUrl =
            page.json().object().value("video").toObject().value("poster_url").toString();
        QCOMPARE(posterUrl, "/api/videos/" + id + "/poster");
        const auto poster = anonymous.get(posterUrl);
        QCOMPARE(poster.status, 200);
        QCOMPARE(poster.header("Content-Type"), QByteArray("image/jpeg"));
        QVERIFY(poster.body.startsWith("\xFF\xD8\xFF"));
        // Stored whole, and the upload itself is gone.
        QVERIFY(publishedPackages() >= 1);
        QVERIFY(QDir(dataDir_ + "/uploads").entryList(QDir::Files).isEmpty());
        QVERIFY(QDir(dataDir_ + "/staging").entryList(QDir::Dirs | QDir::NoDotAndDotDot).isEmpty());
        // No URL serves the package's files directly.
        QCOMPARE(anonymous.get("/videos/").status, 404);
        QCOMPARE(anonymous.get("/static/../videos/").status, 404);
    }

    void aChunkWithAWrongChecksumIsRefusedAndNotStored() {
        const QByteArray tar = makeTar(samplePackage({1, 2, true, 2048}));
        const QString id = createVideo();
        const QString upload = createUpload(*creator_, id, tar.size());
        QVERIFY(!upload.isEmpty());
        QCOMPARE(
            patch(*creator_, upload, 0, tar.left(1000), checksum("sha256", tar.left(1000))).status,
            204);
        const auto bad =
            patch(*creator_, upload, 1000, tar.mid(1000, 1000), checksum("sha1", "something else"));
        QCOMPARE(bad.status, 460);
        QCOMPARE(errorCode(bad), QString("checksum_mismatch"));
        QCOMPARE(serverOffset(*creator_, upload), 1000);
        const QString part = dataDir_ + "/uploads/" + upload.section('/', -1) + ".part";
        QCOMPARE(QFileInfo(part).size(), 1000);
        QCOMPARE(patch(*creator_, upload, 5, "x").status, 409); // wrong offset
        QCOMPARE(patch(*creator_, upload, 1000, tar.mid(1000)).status, 204);
        QCOMPARE(waitForVideo(id, "published").value("state").toString(), QString("published"));
    }

    void anUploadResumesAfterTheServerWasKilled() {
        const QByteArray tar = makeTar(samplePackage({2, 3, true, 100000}));
        const QString id = createVideo();
        const QString upload = createUpload(*creator_, id, tar.size());
        const qint64 part = tar.size() / 3;
        QCOMPARE(patch(*creator_, upload, 0, tar.left(part)).status, 204);

        server_.kill(); // as a crash or power cut would
        QVERIFY2(server_.start(dataDir_), qPrintable(server_.log()));
        HttpClient again(server_.baseUrl());
        QCOMPARE(again
                     .postJson("/api/auth/login",
                               {{"login", "maker"}, {"password", "long password 123"}})
                     .status,
                 200);
        QCOMPARE(serverOffset(again, upload), part);
        QCOMPARE(patch(again, upload, part, tar.mid(part)).status, 204);
        QVERIFY(signInAgain()); // the restarted server has a new port
        QCOMPARE(waitForVideo(id, "published").value("state").toString(), QString("published"));
    }

    void hostileArchivesAreRefused_data() {
        QTest::addColumn<QList<TarEntry>>("extra");
        QTest::addColumn<QString>("reason");
        QTest::newRow("parent dir")
            << QList<TarEntry>{{"../evil.ts", '0', "x", {}}} << "unsafe path";
        QTest::newRow("nested parent")
            << QList<TarEntry>{{"240p/../../evil.ts", '0', "x", {}}} << "unsafe path";
        QTest::newRow("absolute") << QList<TarEntry>{{"/etc/cron.d/evil", '0', "x", {}}}
                                  << "unsafe path";
        QTest::newRow("symlink") << QList<TarEntry>{{"240p/a/9.ts", '2', {}, "/etc/passwd"}}
                                 << "link";
        QTest::newRow("hard link")
            << QList<TarEntry>{{"240p/a/9.ts", '1', {}, "manifest.json"}} << "link";
        QTest::newRow("device") << QList<TarEntry>{{"dev", '3', {}, {}}} << "device";
    }
    void hostileArchivesAreRefused() {
        QFETCH(QList<TarEntry>, extra);
        QFETCH(QString, reason);
        const int before = publishedPackages();
        QList<TarEntry> entries = extra;
        entries += samplePackage({1, 2, true, 1024});
        const QString id = uploadPackage(makeTar(entries));
        QVERIFY(!id.isEmpty());
        const QJsonObject video = waitForVideo(id, "failed");
        QCOMPARE(video.value("state").toString(), QString("failed"));
        QVERIFY2(video.value("failure_reason").toString().contains(reason),
                 qPrintable(video.value("failure_reason").toString()));
        QCOMPARE(publishedPackages(), before);
        QVERIFY(!QFile::exists(dataDir_ + "/evil.ts"));
        QVERIFY(!QFile::exists(tmp_.path() + "/evil.ts"));
        QVERIFY(QDir(dataDir_ + "/staging").entryList(QDir::Dirs | QDir::NoDotAndDotDot).isEmpty());
        HttpClient anonymous(server_.baseUrl());
        QCOMPARE(anonymous.get("/api/videos/" + id).status, 404);
    }

    void brokenPackagesAreRefusedWithTheReason_data() {
        QTest::addColumn<int>("damage");
        QTest::addColumn<QString>("reason");
        QTest::newRow("segment missing") << 0 << "is missing";
        QTest::newRow("segment altered") << 1 << "does not match its SHA-256";
        QTest::newRow("unlisted file") << 2 << "not in manifest.json";
        QTest::newRow("no manifest") << 3 << "no manifest.json";
        QTest::newRow("B set incomplete") << 4 << "";
    }
    void brokenPackagesAreRefusedWithTheReason() {
        QFETCH(int, damage);
        QFETCH(QString, reason);
        QList<TarEntry> entries = samplePackage({1, 3, true, 1024});
        auto find = [&](const QString& name) {
            return std::find_if(entries.begin(), entries.end(),
                                [&](const TarEntry& e) { return e.name == name; });
        };
        switch (damage) {
        case 0:
            entries.erase(find("240p/a/1.ts"));
            break;
        case 1:
            find("240p/a/1.ts")->data[10] ^= 0x55;
            break;
        case 2:
            entries.append({"notes.txt", '0', "hello", {}});
            break;
        case 3:
            entries.erase(find("manifest.json"));
            break;
        case 4:
            entries.erase(find("240p/b/2.ts"));
            break;
        }
        const QString id = uploadPackage(makeTar(entries));
        const QJsonObject video = waitForVideo(id, "failed");
        QCOMPARE(video.value("state").toString(), QString("failed"));
        QVERIFY2(video.value("failure_reason").toString().contains(reason),
                 qPrintable(video.value("failure_reason").toString()));
    }

    // The duplicate guard trusts the package hash the studio declares; ingest holds it to it.
    void theDeclaredPackageHashMustBeThePackages() {
        const QList<TarEntry> entries = samplePackage({1, 2, false, 512});
        const auto manifest = std::find_if(entries.begin(), entries.end(), [](const TarEntry& e) {
            return e.name == "manifest.json";
        });
        QVERIFY(manifest != entries.end());
        const QString real = QString::fromLatin1(
            QCryptographicHash::hash(manifest->data, QCryptographicHash::Sha256).toHex());
        const QString lying = uploadPackage(makeTar(entries), QString(64, 'b'));
        const QJsonObject refused = waitForVideo(lying, "failed");
        QCOMPARE(refused.value("state").toString(), QString("failed"));
        QVERIFY2(refused.value("failure_reason").toString().contains("not the one announced"),
                 qPrintable(refused.value("failure_reason").toString()));
        const QString honest = uploadPackage(makeTar(entries), real);
        QCOMPARE(waitForVideo(honest, "published").value("state").toString(), QString("published"));
    }

    void creatorsEditPriceAffiliateAllowlistAndUnpublish() {
        const QString id = uploadPackage(makeTar(samplePackage({1, 2, false, 1024})));
        QCOMPARE(waitForVideo(id, "published").value("state").toString(), QString("published"));
        const auto edited = creator_->send(
            "PATCH", "/api/videos/" + id,
            R"({"price":{"amount_minor":1500000,"currency":"IDR"},"affiliate_bps":3000})",
            "application/json");
        QCOMPARE(edited.status, 200);
        QCOMPARE(edited.json().object().value("video").toObject().value("price_display").toString(),
                 QString("15000.00 IDR"));
        QCOMPARE(
            buyer_->send("PATCH", "/api/videos/" + id, R"({"affiliate_bps":0})", "application/json")
                .status,
            403);

        const auto allow = creator_->send("PUT", "/api/videos/" + id + "/allowlist",
                                          R"({"usernames":["Watcher"]})", "application/json");
        QCOMPARE(allow.status, 200);
        QCOMPARE(allow.json().object().value("usernames").toArray(), QJsonArray{"watcher"});
        const auto unknown =
            creator_->send("PUT", "/api/videos/" + id + "/allowlist",
                           R"({"usernames":["nobody-like-that"]})", "application/json");
        QCOMPARE(unknown.status, 400);

        const auto mine = creator_->get("/api/me/videos").json().object().value("videos").toArray();
        QVERIFY(mine.size() >= 3);
        QCOMPARE(creator_->postJson("/api/videos/" + id + "/unpublish", {}).status, 200);
        HttpClient anonymous(server_.baseUrl());
        const auto catalog =
            anonymous.get("/api/catalog").json().object().value("videos").toArray();
        QVERIFY(std::none_of(catalog.begin(), catalog.end(), [&](const QJsonValue& v) {
            return v.toObject().value("id").toString() == id;
        }));
    }

    void expiredUnfinishedUploadsAreRemoved() {
        const QString id = createVideo();
        const QString upload = createUpload(*creator_, id, 100000);
        QCOMPARE(patch(*creator_, upload, 0, QByteArray(1000, 'x')).status, 204);
        const QString part = dataDir_ + "/uploads/" + upload.section('/', -1) + ".part";
        QVERIFY(QFile::exists(part));
        const QByteArray expires =
            creator_->send("HEAD", upload, {}, {}, Headers{{"Tus-Resumable", "1.0.0"}})
                .header("Upload-Expires");
        QDateTime expiry = QLocale::c().toDateTime(QString::fromLatin1(expires),
                                                   "ddd, dd MMM yyyy HH:mm:ss 'GMT'");
        expiry.setTimeZone(QTimeZone::utc());
        QVERIFY2(expiry > QDateTime::currentDateTimeUtc().addSecs(23 * 3600), expires.constData());
        psql(dataDir_, "UPDATE uploads SET expires_at = now() - interval '1 minute' WHERE id = '" +
                           upload.section('/', -1) + "'");
        QCOMPARE(serverOffset(*creator_, upload), -1); // expired: gone for the client at once
        // And a completed upload that a crash left behind after its video was published.
        const QString orphan = "orphan-left-by-a-crash-0001";
        QCOMPARE(psql(dataDir_, "INSERT INTO uploads (id, creator_id, video_id, length_bytes,"
                                " offset_bytes, expires_at, completed_at) SELECT '" +
                                    orphan +
                                    "', creator_id, id, 1, 1, now(), now() - interval '2 hours'"
                                    " FROM videos WHERE state = 'published' LIMIT 1"),
                 QString());
        QCOMPARE(psql(dataDir_, "SELECT count(*) FROM uploads WHERE id = '" + orphan + "'"),
                 QString("1")); // (an earlier test published a video)
        QFile orphanFile(dataDir_ + "/uploads/" + orphan + ".part");
        QVERIFY(orphanFile.open(QIODevice::WriteOnly));
        orphanFile.close();
        QCOMPARE(server_.stop(), 0);
        QVERIFY2(server_.start(dataDir_),
                 qPrintable(server_.log())); // and from disk on the next sweep
        QVERIFY(!QFile::exists(part));
        QVERIFY(!orphanFile.exists());
        QVERIFY(server_.log().contains("removed 2 stale uploads"));
        QVERIFY(signInAgain()); // the restarted server has a new port
    }

    void uploadsCanBeTerminatedAndAreOwnerOnly() {
        const QString id = createVideo();
        const QString upload = createUpload(*creator_, id, 5000);
        QVERIFY(!upload.isEmpty());
        QCOMPARE(serverOffset(*buyer_, upload), -1); // someone else's upload: 404
        const auto gone =
            creator_->send("DELETE", upload, {}, {}, Headers{{"Tus-Resumable", "1.0.0"}});
        QCOMPARE(gone.status, 204);
        QCOMPARE(serverOffset(*creator_, upload), -1);
        QVERIFY(!QFile::exists(dataDir_ + "/uploads/" + upload.section('/', -1) + ".part"));
        // An upload for a video that is not the uploader's is refused.
        QCOMPARE(createUpload(*buyer_, id, 10), QString());
        const auto noVersion =
            creator_->send("POST", "/api/uploads", {}, {}, Headers{{"Upload-Length", "10"}});
        QCOMPARE(noVersion.status, 412);
    }
};

QTEST_GUILESS_MAIN(TestUploads)
#include "tst_uploads.moc"
