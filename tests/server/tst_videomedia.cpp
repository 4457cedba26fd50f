// A published video's poster, free preview and watermark design through the real server:
// posters replaced by their creator and served with an ETag, hostile images refused by their
// bytes (at upload and inside a package), a preview anyone can play that reaches no further
// than its N seconds and never the key, a watermark edit reaching the next playback session,
// and allowlisted viewers' sessions ending when the video leaves the catalog while buyers keep
// watching.

#include "Marketplace.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>
#include <QUuid>

#include <openssl/evp.h>

using namespace reelgate::test;

namespace {

constexpr int kSegments = 6; // 4 s each but the last (2.5 s)

QByteArray aes128Cbc(const QByteArray& key, qint64 sequence, const QByteArray& clear) {
    unsigned char iv[16] = {};
    for (int i = 15; i >= 8; --i, sequence >>= 8)
        iv[i] = static_cast<unsigned char>(sequence & 0xff);
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    QByteArray out(clear.size() + 16, '\0');
    int n = 0;
    int last = 0;
    EVP_EncryptInit_ex(ctx, EVP_aes_128_cbc(), nullptr,
                       reinterpret_cast<const unsigned char*>(key.constData()), iv);
    EVP_EncryptUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &n,
                      reinterpret_cast<const unsigned char*>(clear.constData()),
                      static_cast<int>(clear.size()));
    EVP_EncryptFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()) + n, &last);
    EVP_CIPHER_CTX_free(ctx);
    out.resize(n + last);
    return out;
}

QByteArray clearSegment(int n) {
    return QByteArray(1, 0x47) + QByteArray("clear preview segment ").repeated(40) +
           QByteArray::number(n);
}

// Puts `bytes` in the package as `name`, with its size and hash in manifest.json.
void replaceFile(QList<TarEntry>& files, const QString& name, const QByteArray& bytes) {
    for (auto& f : files)
        if (f.name == name)
            f.data = bytes;
    for (auto& f : files) {
        if (f.name != "manifest.json")
            continue;
        QJsonObject manifest = QJsonDocument::fromJson(f.data).object();
        QJsonObject listed = manifest["files"].toObject();
        listed[name] = QJsonObject{
            {"sha256", QString::fromLatin1(
                           QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex())},
            {"bytes", bytes.size()}};
        manifest["files"] = listed;
        f.data = QJsonDocument(manifest).toJson();
    }
}

// An encrypted A/B package whose middle rendition's A segments really are AES-128 ciphertext
// of clearSegment(n) (the stand-in bytes of samplePackage are not), so decryption shows.
QList<TarEntry> encryptedPackage() {
    PackageOptions options;
    options.renditions = 3;
    options.segments = kSegments;
    options.encrypted = true;
    options.poster = true;
    QList<TarEntry> files = samplePackage(options);
    QByteArray key;
    for (const auto& f : files)
        if (f.name == "key.bin")
            key = f.data;
    for (int n = 0; n < kSegments; ++n)
        replaceFile(files, QString("360p/a/%1.ts").arg(n), aes128Cbc(key, n, clearSegment(n)));
    return files;
}

QByteArray png(quint32 width, quint32 height) {
    QByteArray out("\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR", 16);
    for (quint32 v : {width, height})
        for (int shift = 24; shift >= 0; shift -= 8)
            out += char((v >> shift) & 0xff);
    out += QByteArray("\x08\x02\x00\x00\x00", 5) + QByteArray(4, 'c'); // depth, type, crc
    out += QByteArray("\x00\x00\x00\x00IEND\xAE\x42\x60\x82", 12);
    return out;
}

struct Session {
    QString master;
    QJsonObject overlay;
    int status = 0;
};

Session play(HttpClient& client, const QString& video) {
    const auto r = client.send("POST", "/api/videos/" + video + "/play", {}, {});
    const auto body = r.json().object();
    return {body["session"].toObject()["master_url"].toString(), body["overlay"].toObject(),
            r.status};
}

} // namespace

class TestVideoMedia : public QObject {
    Q_OBJECT

    Marketplace market_;
    QString video_;

    HttpReply putPoster(const QString& who, const QString& video, const QByteArray& bytes,
                        const QByteArray& type = "image/jpeg") {
        return market_.client(who)->send("PUT", "/api/videos/" + video + "/poster", bytes, type);
    }

private slots:
    void initTestCase() {
        QVERIFY2(market_.start(), qPrintable(market_.server().log()));
        QVERIFY(market_.signUp("maker", true));
        QVERIFY(market_.signUp("rival", true));
        for (const char* name : {"buyer", "friend", "stranger"})
            QVERIFY(market_.signUp(name));
        video_ = market_.publish("maker", "Night swim", "3.00", "USD", 0, encryptedPackage());
        QVERIFY2(!video_.isEmpty(), qPrintable(market_.server().log()));
        QVERIFY(market_.credit("buyer", "5", "USD"));
        QCOMPARE(market_.client("buyer")
                     ->send("POST", "/api/videos/" + video_ + "/purchase", {}, {},
                            {{"Idempotency-Key", QUuid::createUuid().toByteArray()}})
                     .status,
                 201);
    }

    void posterIsServedWithAnEtagAndReplacedByItsCreator() {
        HttpClient anonymous(market_.server().baseUrl());
        const QString url = anonymous.get("/api/videos/" + video_)
                                .json()
                                .object()["video"]
                                .toObject()["poster_url"]
                                .toString();
        QCOMPARE(url, "/api/videos/" + video_ + "/poster");
        const auto first = anonymous.get(url);
        QCOMPARE(first.status, 200);
        QCOMPARE(first.body, samplePoster(640, 360));
        const QByteArray etag = first.header("ETag");
        QVERIFY(!etag.isEmpty());
        QCOMPARE(anonymous.send("GET", url, {}, {}, {{"If-None-Match", etag}}).status, 304);

        const QByteArray replacement = samplePoster(1280, 720);
        const auto put = putPoster("maker", video_, replacement);
        QCOMPARE(put.status, 200);
        const auto second = anonymous.send("GET", url, {}, {}, {{"If-None-Match", etag}});
        QCOMPARE(second.status, 200); // the old ETag no longer matches
        QCOMPARE(second.body, replacement);
        QVERIFY(second.header("ETag") != etag);
        QCOMPARE(second.header("Content-Type"), QByteArray("image/jpeg"));
        // A PNG replaces it in turn, and the JPEG the creator uploaded is gone from the disk.
        const QString packageDir =
            market_.sql("SELECT package_dir FROM videos WHERE public_id = '" + video_ + "'");
        QCOMPARE(putPoster("maker", video_, png(800, 450), "image/png").status, 200);
        QCOMPARE(anonymous.get(url).header("Content-Type"), QByteArray("image/png"));
        QCOMPARE(QDir(market_.dataDir() + "/videos/" + packageDir + "/posters")
                     .entryList(QDir::Files | QDir::Hidden)
                     .size(),
                 1);
        // The package's own poster stays (it is listed in its manifest).
        QVERIFY(QFile::exists(market_.dataDir() + "/videos/" + packageDir + "/poster.jpg"));
    }

    void hostilePostersAreRefused_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("status");
        QByteArray noEnd = samplePoster(640, 360);
        noEnd.chop(2);
        QByteArray noFrame("\xFF\xD8\xFF\xE0\x00\x04" "ab", 8);
        noFrame += QByteArray(500, 'x') + QByteArray("\xFF\xD9", 2);
        QByteArray lying = samplePoster(640, 360);
        lying[7] = 'X'; // the APP0 length now runs past the end
        lying[5] = '\x7F';
        QTest::newRow("svg") << QByteArray("<svg xmlns='http://www.w3.org/2000/svg'/>") << 415;
        QTest::newRow("gif") << QByteArray("GIF89a\x10\x00\x10\x00", 10) << 415;
        QTest::newRow("html named .jpg") << QByteArray("<html><script>1</script>") << 415;
        QTest::newRow("empty") << QByteArray() << 415;
        QTest::newRow("too large") << samplePoster(640, 360) + QByteArray(1000 * 1000, 'z') << 413;
        QTest::newRow("cut short") << noEnd << 422;
        QTest::newRow("no frame header") << noFrame << 422;
        QTest::newRow("lying lengths") << lying << 422;
        QTest::newRow("tiny") << samplePoster(8, 8) << 422;
        QTest::newRow("huge sides") << samplePoster(20000, 60000) << 422;
        QTest::newRow("png zero wide") << png(0, 100) << 422;
        QTest::newRow("png 4 billion") << png(0xFFFFFFFF, 0xFFFFFFFF) << 422;
    }
    void hostilePostersAreRefused() {
        QFETCH(QByteArray, bytes);
        QFETCH(int, status);
        HttpClient anonymous(market_.server().baseUrl());
        const QByteArray before = anonymous.get("/api/videos/" + video_ + "/poster").body;
        const auto reply = putPoster("maker", video_, bytes);
        QCOMPARE(reply.status, status);
        QCOMPARE(anonymous.get("/api/videos/" + video_ + "/poster").body, before);
        QVERIFY(!reply.body.contains("<script>"));
    }

    void onlyTheCreatorReplacesThePoster() {
        const QByteArray image = samplePoster(320, 180);
        QCOMPARE(putPoster("rival", video_, image).status, 404); // someone else's video
        QCOMPARE(putPoster("buyer", video_, image).status, 403); // not a creator
        HttpClient anonymous(market_.server().baseUrl());
        QCOMPARE(
            anonymous.send("PUT", "/api/videos/" + video_ + "/poster", image, "image/jpeg").status,
            401);
        // A draft has no package to hold a poster yet.
        const auto draft = market_.client("maker")->postJson(
            "/api/videos", {{"title", "Draft"},
                            {"price", QJsonObject{{"amount_minor", 100}, {"currency", "USD"}}}});
        QCOMPARE(draft.status, 201);
        QCOMPARE(
            putPoster("maker", draft.json().object()["video"].toObject()["id"].toString(), image)
                .status,
            409);
    }

    void aPackageWithAFakePosterIsNotPublished() {
        PackageOptions options;
        options.poster = true;
        QList<TarEntry> files = samplePackage(options);
        replaceFile(files, "poster.jpg", "<html>not a picture</html>");
        QVERIFY(market_.publish("maker", "Fake poster", "1.00", "USD", 0, files).isEmpty());
    }

    void previewPlaysForAnyoneAndStopsAtItsSeconds() {
        HttpClient anonymous(market_.server().baseUrl());
        const QString base = "/preview/" + video_;
        QCOMPARE(anonymous.get(base + "/index.m3u8").status, 404); // off by default
        auto* maker = market_.client("maker");
        QCOMPARE(maker
                     ->send("PUT", "/api/videos/" + video_ + "/preview", R"({"seconds":10})",
                            "application/json")
                     .status,
                 200);
        const QJsonObject media = anonymous.get("/api/videos/" + video_ + "/media").json().object();
        QCOMPARE(media["preview_url"].toString(), base + "/index.m3u8");
        QCOMPARE(media["preview_seconds"].toInt(), 10);
        QCOMPARE(media["poster_url"].toString(), "/api/videos/" + video_ + "/poster");
        const auto playlist = anonymous.get(base + "/index.m3u8");
        QCOMPARE(playlist.status, 200);
        // 10 s hold two whole 4 s segments; the key is not part of it.
        QCOMPARE(playlist.body.count("#EXTINF"), 2);
        QVERIFY(playlist.body.contains("\n0.ts\n") && playlist.body.contains("\n1.ts\n"));
        QVERIFY(!playlist.body.contains("EXT-X-KEY"));
        QVERIFY(playlist.body.contains("#EXT-X-ENDLIST"));
        for (int n = 0; n < 2; ++n) {
            const auto segment = anonymous.get(base + QString("/%1.ts").arg(n));
            QCOMPARE(segment.status, 200);
            QCOMPARE(segment.body, clearSegment(n)); // decrypted on the server
        }
        // Past the preview, and anything else, is not there.
        for (const QString& path :
             {base + "/2.ts", base + "/5.ts", base + "/999999.ts", base + "/-1.ts", base + "/key",
              base + "/../key", base + "/360p/index.m3u8"})
            QCOMPARE(anonymous.get(path).status, 404);
        // The full video still needs a purchase.
        QCOMPARE(market_.client("stranger")
                     ->send("POST", "/api/videos/" + video_ + "/play", {}, {})
                     .status,
                 402);
    }

    void previewSettingIsTheCreators() {
        auto* maker = market_.client("maker");
        const QString path = "/api/videos/" + video_ + "/preview";
        for (const char* body : {R"({"seconds":121})", R"({"seconds":-1})", R"({"seconds":"10"})",
                                 R"({"seconds":1e9})", R"({})"})
            QCOMPARE(maker->send("PUT", path, body, "application/json").status, 400);
        QCOMPARE(market_.client("rival")
                     ->send("PUT", path, R"({"seconds":120})", "application/json")
                     .status,
                 404);
        const QJsonObject facts = maker->get(path).json().object();
        QCOMPARE(facts["seconds"].toInt(), 10);
        QCOMPARE(facts["segment_ms"].toInt(), 4000); // for the studio's trace length
        QCOMPARE(facts["forensic_ab"].toBool(), true);
        QCOMPARE(maker->send("PUT", path, R"({"seconds":0})", "application/json").status, 200);
        HttpClient anonymous(market_.server().baseUrl());
        QCOMPARE(anonymous.get("/preview/" + video_ + "/index.m3u8").status, 404);
        QCOMPARE(anonymous.get("/preview/" + video_ + "/0.ts").status, 404);
        QVERIFY(anonymous.get("/api/videos/" + video_ + "/media")
                    .json()
                    .object()["preview_url"]
                    .isNull());
        QCOMPARE(maker->send("PUT", path, R"({"seconds":120})", "application/json").status, 200);
        QCOMPARE(anonymous.get("/preview/" + video_ + "/index.m3u8").body.count("#EXTINF"),
                 kSegments); // the whole 22.5 s video fits
    }

    void aWatermarkEditReachesTheNextSession() {
        auto* maker = market_.client("maker");
        const QString path = "/api/videos/" + video_ + "/watermark";
        const auto before = maker->get(path).json().object();
        QCOMPARE(before["edited"].toBool(), false);
        QCOMPARE(before["watermark"].toObject()["motion"].toString(), QString("hash-v1"));
        const auto put = maker->send(
            "PUT", path,
            R"({"template":"{username} · {date}","opacity":0.8,"color":"#FF0000","interval_ms":2000})",
            "application/json");
        QCOMPARE(put.status, 200);
        const Session session = play(*market_.client("buyer"), video_);
        QCOMPARE(session.status, 201);
        QCOMPARE(session.overlay["template"].toString(), QString("{username} · {date}"));
        QCOMPARE(session.overlay["opacity"].toDouble(), 0.8);
        QCOMPARE(session.overlay["color"].toString(), QString("#ff0000"));
        QCOMPARE(session.overlay["interval_ms"].toInt(), 2000);
        QCOMPARE(session.overlay["username"].toString(), QString("buyer"));
        // Untouched fields keep the package's design (and its seed).
        QCOMPARE(session.overlay["box"].toBool(), before["watermark"].toObject()["box"].toBool());
        QCOMPARE(session.overlay["seed"].toInteger(),
                 before["watermark"].toObject()["seed"].toInteger());
        QCOMPARE(maker->get(path).json().object()["edited"].toBool(), true);
    }

    void badWatermarksAreRefused_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("unknown field") << QByteArray(R"j({"script":"alert(1)"})j");
        QTest::newRow("other motion") << QByteArray(R"j({"motion":"sin"})j");
        QTest::newRow("control char") << QByteArray(R"j({"template":"a\u0007b"})j");
        QTest::newRow("blank template") << QByteArray(R"j({"template":"   "})j");
        QTest::newRow("long template")
            << QByteArray(R"j({"template":")j" + QByteArray(201, 'x') + R"j("})j");
        QTest::newRow("fast interval") << QByteArray(R"j({"interval_ms":10})j");
        QTest::newRow("fractional interval") << QByteArray(R"j({"interval_ms":1000.5})j");
        QTest::newRow("invisible") << QByteArray(R"j({"opacity":0})j");
        QTest::newRow("giant font") << QByteArray(R"j({"font_size_pct":90})j");
        QTest::newRow("named colour") << QByteArray(R"j({"color":"red"})j");
        QTest::newRow("seed too big") << QByteArray(R"j({"seed":4294967296})j");
        QTest::newRow("box text") << QByteArray(R"j({"box":"yes"})j");
        QTest::newRow("not an object") << QByteArray(R"j([1,2])j");
    }
    void badWatermarksAreRefused() {
        QFETCH(QByteArray, body);
        auto* maker = market_.client("maker");
        const QString path = "/api/videos/" + video_ + "/watermark";
        const QByteArray before = maker->get(path).body;
        QCOMPARE(maker->send("PUT", path, body, "application/json").status, 400);
        QCOMPARE(maker->get(path).body, before);
    }

    void watermarkIsTheCreatorsOnly() {
        const QString path = "/api/videos/" + video_ + "/watermark";
        QCOMPARE(market_.client("rival")->get(path).status, 404);
        QCOMPARE(market_.client("rival")
                     ->send("PUT", path, R"({"opacity":1})", "application/json")
                     .status,
                 404);
        QCOMPARE(market_.client("buyer")->get(path).status, 403);
    }

    // Runs last: it unpublishes and deletes the video.
    void leavingTheCatalogEndsAllowlistedSessionsButNotBuyers() {
        auto* maker = market_.client("maker");
        QCOMPARE(maker
                     ->send("PUT", "/api/videos/" + video_ + "/allowlist",
                            R"({"usernames":["friend"]})", "application/json")
                     .status,
                 200);
        const Session friendly = play(*market_.client("friend"), video_);
        const Session bought = play(*market_.client("buyer"), video_);
        QCOMPARE(friendly.status, 201);
        QCOMPARE(bought.status, 201);
        QCOMPARE(market_.client("friend")->get(friendly.master).status, 200);
        QCOMPARE(market_.client("buyer")->get(bought.master).status, 200);

        QCOMPARE(maker->send("POST", "/api/videos/" + video_ + "/unpublish", {}, {}).status, 200);
        QCOMPARE(market_.client("friend")->get(friendly.master).status, 403);
        QCOMPARE(play(*market_.client("friend"), video_).status, 404);
        QCOMPARE(market_.client("buyer")->get(bought.master).status, 200);
        HttpClient anonymous(market_.server().baseUrl());
        QCOMPARE(maker
                     ->send("PUT", "/api/videos/" + video_ + "/preview", R"({"seconds":8})",
                            "application/json")
                     .status,
                 200);
        QCOMPARE(anonymous.get("/preview/" + video_ + "/index.m3u8").status, 404);

        QCOMPARE(maker->send("POST", "/api/videos/" + video_ + "/republish", {}, {}).status, 200);
        QCOMPARE(anonymous.get("/preview/" + video_ + "/index.m3u8").status, 200);
        const Session again = play(*market_.client("friend"), video_);
        QCOMPARE(again.status, 201);
        QCOMPARE(maker->send("DELETE", "/api/videos/" + video_, {}, {}).status, 200);
        QCOMPARE(market_.client("friend")->get(again.master).status, 403);
        QCOMPARE(market_.client("buyer")->get(bought.master).status, 200);
        QCOMPARE(play(*market_.client("buyer"), video_).status, 201);
        QCOMPARE(anonymous.get("/preview/" + video_ + "/0.ts").status, 404);
        // The buyer's library still shows the poster.
        QCOMPARE(anonymous.get("/api/videos/" + video_ + "/poster").status, 200);
    }
};

QTEST_GUILESS_MAIN(TestVideoMedia)
#include "tst_videomedia.moc"
