// The untrusted formats of an upload, tested on the server's own functions (no HTTP): tus
// headers, the tar reader (libarchive plus our path rules) with hostile archives, and package
// validation -- what passes ingest must load for playback, and playlists that playback could
// not serve or that point elsewhere are refused. No message carries raw input bytes.

#include "TestPackage.h"
#include "http/ApiError.h"
#include "playback/PlaybackPackage.h"
#include "reelgate/core/Text.h"
#include "uploads/PackageValidator.h"
#include "uploads/TarReader.h"
#include "uploads/TusHeaders.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace reelgate::test;
using namespace reelgate::server;
using reelgate::core::checkText;
using reelgate::core::TextProblem;

namespace {

std::string raw(const QByteArray& array) {
    return std::string(array.constData(), static_cast<std::size_t>(array.size()));
}

TarEntry* find(QList<TarEntry>& entries, const QString& name) {
    for (auto& entry : entries)
        if (entry.name == name)
            return &entry;
    return nullptr;
}

// Recomputes manifest.json's sizes and hashes after a test changed files.
void rehash(QList<TarEntry>& entries) {
    TarEntry* manifestEntry = find(entries, "manifest.json");
    QJsonObject manifest = QJsonDocument::fromJson(manifestEntry->data).object();
    QJsonObject files;
    for (const auto& entry : entries) {
        if (entry.type != '0' || entry.name == "manifest.json")
            continue;
        files.insert(
            entry.name,
            QJsonObject{
                {"bytes", entry.data.size()},
                {"sha256",
                 QString::fromLatin1(
                     QCryptographicHash::hash(entry.data, QCryptographicHash::Sha256).toHex())}});
    }
    manifest.insert("files", files);
    manifestEntry->data = QJsonDocument(manifest).toJson();
}

// Replaces `from` by `to` in every name and in every playlist and the manifest.
void rewrite(QList<TarEntry>& entries, const QByteArray& from, const QByteArray& to) {
    for (auto& entry : entries) {
        entry.name.replace(QString::fromUtf8(from), QString::fromUtf8(to));
        if (entry.name.endsWith(".m3u8") || entry.name == "manifest.json")
            entry.data.replace(from, to);
    }
    rehash(entries);
}

} // namespace

class TestUploadFormats : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    int runs_ = 0;

    // Writes `tar`, extracts it and validates it; the refusal reason, or "" when it passed
    // (and then loads it as playback would).
    QString ingest(const QByteArray& tar, const uploads::TarLimits& limits = {}) {
        const QString dir = tmp_.path() + "/run" + QString::number(++runs_);
        const QString archive = dir + ".tar";
        QFile file(archive);
        if (!file.open(QIODevice::WriteOnly) || file.write(tar) != tar.size())
            return "cannot write the archive";
        file.close();
        try {
            std::filesystem::create_directories(dir.toStdString());
            const auto files =
                uploads::extractTar(archive.toStdString(), dir.toStdString(), limits);
            uploads::validatePackage(dir.toStdString(), files);
            const auto package = playback::PlaybackPackage::load(dir.toStdString());
            if (package->masterPlaylist().find("index.m3u8") == std::string::npos)
                return "playback wrote no master playlist";
            return {};
        } catch (const std::exception& e) {
            if (checkText(e.what(), {2000, false, false}) != TextProblem::None)
                return "RAW BYTES IN THE MESSAGE";
            return QString::fromUtf8(e.what());
        }
    }

private slots:
    void validPackagesPassAndPlay_data() {
        QTest::addColumn<bool>("encrypted");
        QTest::addColumn<bool>("ab");
        QTest::newRow("plain") << false << false;
        QTest::newRow("a/b") << false << true;
        QTest::newRow("encrypted a/b") << true << true;
    }
    void validPackagesPassAndPlay() {
        QFETCH(bool, encrypted);
        QFETCH(bool, ab);
        PackageOptions options{2, 3, ab, 1024};
        options.encrypted = encrypted;
        QCOMPARE(ingest(makeTar(samplePackage(options))), QString());
    }

    void hostileArchivesAreRefused_data() {
        QTest::addColumn<QList<TarEntry>>("extra");
        QTest::addColumn<QString>("reason");
        QTest::newRow("FF FE name")
            << QList<TarEntry>{{{}, '0', "x", {}, "240p/\xFF\xFE.ts"}} << "not UTF-8";
        QTest::newRow("escape in name")
            << QList<TarEntry>{{{}, '0', "x", {}, "a\x1B[2J.ts"}} << "control characters";
        QTest::newRow("parent") << QList<TarEntry>{{"../evil.ts", '0', "x", {}}} << "unsafe path";
        QTest::newRow("absolute") << QList<TarEntry>{{"/etc/evil", '0', "x", {}}} << "unsafe path";
        QTest::newRow("symlink") << QList<TarEntry>{{"l.ts", '2', {}, "/etc/passwd"}} << "link";
        QTest::newRow("hard link") << QList<TarEntry>{{"h.ts", '1', {}, "manifest.json"}} << "link";
        QTest::newRow("char device") << QList<TarEntry>{{"dev", '3', {}, {}}} << "device";
        QTest::newRow("fifo") << QList<TarEntry>{{"fifo", '6', {}, {}}} << "device or pipe";
        QTest::newRow("twice") << QList<TarEntry>{{"x.ts", '0', "1", {}}, {"x.ts", '0', "2", {}}}
                               << "twice";
        QTest::newRow("file then folder")
            << QList<TarEntry>{{"x", '0', "1", {}}, {"x/y.ts", '0', "2", {}}}
            << "file and a folder";
    }
    void hostileArchivesAreRefused() {
        QFETCH(QList<TarEntry>, extra);
        QFETCH(QString, reason);
        QList<TarEntry> entries = extra;
        entries += samplePackage({1, 2, false, 512});
        const QString refusal = ingest(makeTar(entries));
        QVERIFY2(refusal.contains(reason), qPrintable(refusal));
    }

    void damagedAndOversizedArchivesAreRefused() {
        const QByteArray tar = makeTar(samplePackage({1, 2, false, 4096}));
        QVERIFY(ingest(tar.left(3000)).contains("ends in the middle"));
        QVERIFY(ingest(QByteArray(4096, 'x')).contains("not a valid tar"));
        QVERIFY(ingest(tar, {3, std::uint64_t{1} << 30}).contains("too many entries"));
        QVERIFY(ingest(tar, {1000, 5000}).contains("larger than allowed"));
        QByteArray corrupt = tar;
        corrupt[600] = 'Z'; // inside the first header's checksum span: a damaged header
        corrupt[100] = '9';
        QVERIFY(!ingest(corrupt).isEmpty());
    }

    void playlistsPlaybackCannotServeAreRefused_data() {
        QTest::addColumn<int>("damage");
        QTest::addColumn<QString>("reason");
        QTest::newRow("EXT-X-MAP") << 0 << "not allowed";
        QTest::newRow("EXT-X-MEDIA in master") << 1 << "not allowed";
        QTest::newRow("EXT-X-SESSION-KEY in master") << 2 << "not allowed";
        QTest::newRow("segment elsewhere") << 3 << "must be a/0.ts";
        QTest::newRow("rendition r.1") << 4 << "rendition name";
        QTest::newRow("key without URI") << 5 << "without a quoted URI";
        QTest::newRow("key but no encryption") << 6 << "manifest.json has no encryption";
        QTest::newRow("variant elsewhere") << 7 << "streams must be";
        QTest::newRow("master lists an unlisted rendition") << 8 << "different renditions";
    }
    void playlistsPlaybackCannotServeAreRefused() {
        QFETCH(int, damage);
        QFETCH(QString, reason);
        QList<TarEntry> entries = samplePackage({1, 2, false, 512});
        QByteArray& master = find(entries, "master.m3u8")->data;
        QByteArray& media = find(entries, "240p/a.m3u8")->data;
        switch (damage) {
        case 0:
            media.replace("#EXTINF", "#EXT-X-MAP:URI=\"https://evil.example/i.mp4\"\n#EXTINF");
            break;
        case 1:
            master.replace("#EXT-X-STREAM-INF", "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"e\","
                                                "URI=\"https://evil.example/a.m3u8\"\n"
                                                "#EXT-X-STREAM-INF");
            break;
        case 2:
            master.replace("#EXT-X-STREAM-INF",
                           "#EXT-X-SESSION-KEY:METHOD=AES-128,URI=\"https://evil.example/k\"\n"
                           "#EXT-X-STREAM-INF");
            break;
        case 3:
            media.replace("a/0.ts", "https://evil.example/0.ts");
            break;
        case 4:
            rewrite(entries, "240p", "r.1");
            break;
        case 5:
            media.replace("#EXTINF:4", "#EXT-X-KEY:METHOD=AES-128\n#EXTINF:4");
            break;
        case 6:
            media.replace("#EXTINF:4", "#EXT-X-KEY:METHOD=AES-128,URI=\"../x\"\n#EXTINF:4");
            break;
        case 7:
            master.replace("240p/a.m3u8", "240p/../240p/a.m3u8");
            break;
        case 8:
            master += "#EXT-X-STREAM-INF:BANDWIDTH=1\nother/a.m3u8\n";
            break;
        }
        rehash(entries);
        const QString refusal = ingest(makeTar(entries));
        QVERIFY2(refusal.contains(reason), qPrintable(refusal));
    }

    void tusHeadersAreReadStrictly_data() {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("length FF") << QByteArray("length") << QByteArray("1\xFF");
        QTest::newRow("length negative") << QByteArray("length") << QByteArray("-1");
        QTest::newRow("length huge") << QByteArray("length") << QByteArray(30, '9');
        QTest::newRow("length empty") << QByteArray("length") << QByteArray();
        QTest::newRow("metadata FF FE") << QByteArray("metadata") << QByteArray("k \xFF\xFE");
        QTest::newRow("metadata value FF FE")
            << QByteArray("metadata") << QByteArray("k " + QByteArray("\xFF\xFE").toBase64());
        QTest::newRow("metadata value NUL")
            << QByteArray("metadata") << QByteArray("k " + QByteArray("a\0b", 3).toBase64());
        QTest::newRow("metadata value newline")
            << QByteArray("metadata") << QByteArray("k " + QByteArray("a\nb").toBase64());
        QTest::newRow("metadata twice") << QByteArray("metadata") << QByteArray("k YQ==,k YQ==");
        QTest::newRow("metadata not base64") << QByteArray("metadata") << QByteArray("k !!!");
        QTest::newRow("metadata key") << QByteArray("metadata") << QByteArray("k\x01 YQ==");
        QTest::newRow("checksum FF") << QByteArray("checksum") << QByteArray("sha1 \xFF");
        QTest::newRow("checksum algorithm") << QByteArray("checksum") << QByteArray("md5 AAAA");
        QTest::newRow("checksum short") << QByteArray("checksum") << QByteArray("sha1 AAAA");
        QTest::newRow("checksum NUL") << QByteArray("checksum") << QByteArray("sha1\0 AAAA", 10);
    }
    void tusHeadersAreReadStrictly() {
        QFETCH(QByteArray, header);
        QFETCH(QByteArray, value);
        try {
            if (header == "length")
                uploads::parseTusByteCount("Upload-Length", raw(value));
            else if (header == "metadata")
                uploads::parseTusMetadata(raw(value));
            else
                uploads::parseTusChecksum(raw(value));
            QFAIL("accepted");
        } catch (const http::ApiError& e) {
            QCOMPARE(e.status(), 400);
            QCOMPARE(checkText(e.what()), TextProblem::None);
        }
    }

    void goodTusHeadersAreRead() {
        QCOMPARE(uploads::parseTusByteCount("Upload-Offset", "1234"), 1234);
        const auto metadata = uploads::parseTusMetadata(
            "video_id " + QByteArray("abc").toBase64().toStdString() + ", filename " +
            QByteArray("film ü.tar").toBase64().toStdString() + ",empty");
        QCOMPARE(metadata.at("video_id"), std::string("abc"));
        QCOMPARE(metadata.at("filename"), std::string("film ü.tar"));
        QCOMPARE(metadata.at("empty"), std::string());
        const auto sum = uploads::parseTusChecksum(
            "sha256 " +
            QCryptographicHash::hash("x", QCryptographicHash::Sha256).toBase64().toStdString());
        QVERIFY(sum.algorithm == uploads::ChecksumAlgorithm::Sha256);
        QCOMPARE(sum.digest.size(), std::size_t{32});
        QVERIFY(uploads::parseTusChecksum("").algorithm == uploads::ChecksumAlgorithm::None);
    }
};

QTEST_GUILESS_MAIN(TestUploadFormats)
#include "tst_uploadformats.moc"
