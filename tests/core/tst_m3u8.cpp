// Unit tests for the one HLS playlist model (reelgate/core/M3u8.h): what the encoder writes
// reads back the same; only the tags we write are accepted; hostile text is refused with a
// message that carries no raw bytes.

#include <reelgate/core/InvalidInput.h>
#include <reelgate/core/M3u8.h>
#include <reelgate/core/Text.h>

#include <QtTest>

#include <string>

using namespace reelgate::core;

namespace {

std::string raw(const QByteArray& array) {
    return std::string(array.constData(), static_cast<std::size_t>(array.size()));
}

const char* kMedia = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n"
                     "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n"
                     "#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-KEY:METHOD=AES-128,URI=\"../key.bin\"\n"
                     "#EXTINF:4.000,\na/0.ts\n#EXTINF:2.500,\na/1.ts\n#EXT-X-ENDLIST\n";

const char* kMaster = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n"
                      "#EXT-X-STREAM-INF:BANDWIDTH=900000,AVERAGE-BANDWIDTH=700000,"
                      "RESOLUTION=1280x720,CODECS=\"avc1.64001f,mp4a.40.2\",FRAME-RATE=29.970\n"
                      "720p/a.m3u8\n";

} // namespace

class TestM3u8 : public QObject {
    Q_OBJECT

private slots:
    void readsWhatTheEncoderWrites() {
        const M3u8MediaPlaylist p = parseMediaPlaylist(kMedia);
        QCOMPARE(p.version, 3);
        QCOMPARE(p.targetDurationS, 4);
        QVERIFY(p.vod && p.endList && p.independentSegments && p.encrypted());
        QCOMPARE(QString::fromStdString(p.key->uri), QString("../key.bin"));
        QCOMPARE(p.segments.size(), std::size_t{2});
        QCOMPARE(p.segments[1].durationUs, 2500000);
        QCOMPARE(QString::fromStdString(p.segments[1].uri), QString("a/1.ts"));
        QCOMPARE(QString::fromStdString(writeMediaPlaylist(p)), QString(kMedia));
    }

    void masterRoundTrips() {
        const M3u8MasterPlaylist m = parseMasterPlaylist(kMaster);
        QCOMPARE(m.variants.size(), std::size_t{1});
        QCOMPARE(m.variants[0].bandwidth, 900000);
        QCOMPARE(m.variants[0].frameRateMilli, 29970);
        QCOMPARE(QString::fromStdString(m.variants[0].codecs), QString("avc1.64001f,mp4a.40.2"));
        QCOMPARE(QString::fromStdString(writeMasterPlaylist(m)), QString(kMaster));
    }

    void microsecondDurationsRoundTrip() {
        M3u8MediaPlaylist p;
        p.targetDurationS = 5;
        p.segments = {{4004000, "0.ts"}, {1234567, "1.ts"}};
        const std::string text = writeMediaPlaylist(p);
        QVERIFY(text.find("#EXTINF:4.004,") != std::string::npos);
        QVERIFY(text.find("#EXTINF:1.234567,") != std::string::npos);
        QCOMPARE(parseMediaPlaylist(text).segments[1].durationUs, 1234567);
    }

    void refusesWhatWeDoNotWrite_data() {
        QTest::addColumn<QByteArray>("line");
        QTest::newRow("map") << QByteArray("#EXT-X-MAP:URI=\"https://evil.example/init.mp4\"");
        QTest::newRow("media") << QByteArray("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"x\","
                                             "URI=\"https://evil.example/a.m3u8\"");
        QTest::newRow("session key")
            << QByteArray("#EXT-X-SESSION-KEY:METHOD=AES-128,URI=\"https://evil.example/k\"");
        QTest::newRow("byterange") << QByteArray("#EXT-X-BYTERANGE:100@0");
        QTest::newRow("unknown tag") << QByteArray("#EXT-X-SOMETHING-NEW");
        QTest::newRow("key without uri") << QByteArray("#EXT-X-KEY:METHOD=AES-128");
        QTest::newRow("key unquoted uri") << QByteArray("#EXT-X-KEY:METHOD=AES-128,URI=k");
        QTest::newRow("key with iv") << QByteArray(
            "#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x00000000000000000000000000000001");
        QTest::newRow("sample-aes") << QByteArray("#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"k\"");
        QTest::newRow("nul") << QByteArray("a/\0x.ts", 7);
        QTest::newRow("ff fe") << QByteArray("a/\xFF\xFE.ts");
        QTest::newRow("escape") << QByteArray("a/\x1B[31m.ts");
        QTest::newRow("bidi override") << QByteArray("a/\xE2\x80\xAEst.ts");
    }
    void refusesWhatWeDoNotWrite() {
        QFETCH(QByteArray, line);
        const bool isTag = line.startsWith('#');
        QByteArray text = "#EXTM3U\n#EXT-X-TARGETDURATION:4\n";
        text += isTag ? line + "\n#EXTINF:4.000,\n0.ts\n" : "#EXTINF:4.000,\n" + line + "\n";
        try {
            parseMediaPlaylist(raw(text));
            QFAIL("accepted");
        } catch (const InvalidInput& e) {
            QCOMPARE(checkText(e.what()), TextProblem::None); // never raw bytes in the message
        }
    }

    void masterRefusesOtherTagsAndAttributes_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("media") << QByteArray("#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,URI=\"x\"\n"
                                             "#EXT-X-STREAM-INF:BANDWIDTH=1\na.m3u8\n");
        QTest::newRow("audio group")
            << QByteArray("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,AUDIO=\"g\"\na.m3u8\n");
        QTest::newRow("no bandwidth") << QByteArray("#EXTM3U\n#EXT-X-STREAM-INF:CODECS=\"x\"\na\n");
        QTest::newRow("duplicate")
            << QByteArray("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,BANDWIDTH=2\na.m3u8\n");
        QTest::newRow("dangling") << QByteArray("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n");
        QTest::newRow("bad resolution")
            << QByteArray("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=wide\na\n");
        QTest::newRow("no header") << QByteArray("\xEF\xBB\xBF#EXTM3U\n");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("overflow") << QByteArray(
            "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=99999999999999999999\na\n");
    }
    void masterRefusesOtherTagsAndAttributes() {
        QFETCH(QByteArray, text);
        QVERIFY_THROWS_EXCEPTION(InvalidInput, parseMasterPlaylist(raw(text)));
    }

    void mediaStructureIsChecked_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("no target") << QByteArray("#EXTM3U\n#EXTINF:4,\n0.ts\n");
        QTest::newRow("segment without extinf")
            << QByteArray("#EXTM3U\n#EXT-X-TARGETDURATION:4\n0.ts\n");
        QTest::newRow("extinf at end")
            << QByteArray("#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\n");
        QTest::newRow("after endlist")
            << QByteArray("#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-ENDLIST\n#EXTINF:4,\n0.ts\n");
        QTest::newRow("negative") << QByteArray(
            "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:-4,\n0.ts\n");
        QTest::newRow("huge") << QByteArray(
            "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:1e99,\n0.ts\n");
        QTest::newRow("longer than a day")
            << QByteArray("#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:86400.5,\n0.ts\n");
        QTest::newRow("padded uri")
            << QByteArray("#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\n0.ts \n");
        QTest::newRow("key after segment")
            << QByteArray("#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\n0.ts\n"
                          "#EXT-X-KEY:METHOD=AES-128,URI=\"k\"\n");
        QTest::newRow("event") << QByteArray("#EXTM3U\n#EXT-X-TARGETDURATION:4\n"
                                             "#EXT-X-PLAYLIST-TYPE:EVENT\n");
    }
    void mediaStructureIsChecked() {
        QFETCH(QByteArray, text);
        QVERIFY_THROWS_EXCEPTION(InvalidInput, parseMediaPlaylist(raw(text)));
    }

    void commentsAreDroppedNotCopied() {
        const auto p = parseMediaPlaylist("#EXTM3U\n# a comment\n#EXT-X-TARGETDURATION:4\n"
                                          "#EXTINF:4,title\n0.ts\n");
        const std::string text = writeMediaPlaylist(p);
        QVERIFY(text.find("comment") == std::string::npos);
        QVERIFY(text.find("title") == std::string::npos);
    }

    void everythingParsedCanBeWritten() {
        // The round trip fuzz_m3u8 checks: a key URI may start with '#', CODECS may too.
        const auto p =
            parseMediaPlaylist("#EXTM3U\n#EXT-X-TARGETDURATION:4\n"
                               "#EXT-X-KEY:METHOD=AES-128,URI=\"#k\"\n#EXTINF:4,\n0.ts\n");
        QCOMPARE(QString::fromStdString(parseMediaPlaylist(writeMediaPlaylist(p)).key->uri),
                 QString("#k"));
        const auto m =
            parseMasterPlaylist("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=\"#c\"\na.m3u8\n");
        QCOMPARE(
            QString::fromStdString(parseMasterPlaylist(writeMasterPlaylist(m)).variants[0].codecs),
            QString("#c"));
    }

    void writerRefusesWhatWouldNotReadBack() {
        M3u8MediaPlaylist p;
        p.targetDurationS = 4;
        p.segments = {{4000000, "a\"b.ts"}};
        QVERIFY_THROWS_EXCEPTION(InvalidInput, writeMediaPlaylist(p));
        p.segments = {{4000000, "a\nb.ts"}};
        QVERIFY_THROWS_EXCEPTION(InvalidInput, writeMediaPlaylist(p));
        p.segments = {{4000000, "#EXT-X-MAP:URI=x"}};
        QVERIFY_THROWS_EXCEPTION(InvalidInput, writeMediaPlaylist(p));
        M3u8MasterPlaylist m;
        m.variants = {{1, 0, "1x1", "a\"", 0, "a.m3u8"}};
        QVERIFY_THROWS_EXCEPTION(InvalidInput, writeMasterPlaylist(m));
    }
};

QTEST_APPLESS_MAIN(TestM3u8)
#include "tst_m3u8.moc"
