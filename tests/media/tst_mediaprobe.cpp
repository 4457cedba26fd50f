// Tests of probeMedia (duration, streams, size, rotation, frame rate, audio layout, refusals)
// and of planRenditions (the ladder sizes: never upscaled, even, aspect kept).

#include "MediaTestSupport.h"

#include <reelgate/media/LadderPreset.h>
#include <reelgate/media/MediaError.h>
#include <reelgate/media/MediaProbe.h>
#include <reelgate/media/RenditionPlan.h>

#include <QTemporaryDir>
#include <QtTest>

using namespace reelgate::media;

class TestMediaProbe : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void probesPlainSource();
    void probesOddSizeWithoutAudio();
    void probesRotation();
    void detectsVariableFrameRate();
    void refusesUnreadableFile();
    void refusesAudioOnlyFile();
    void refusesMissingFile();
    void plansLadder_data();
    void plansLadder();
    void presetJsonRoundTripAndUpgrade();
    void presetRefusesNewerVersion();

private:
    QTemporaryDir dir_;
    QString path(const QString& name) const { return dir_.filePath(name); }
};

void TestMediaProbe::initTestCase() {
    QVERIFY(dir_.isValid());
    QVERIFY(mediatest::makeSource(path("plain.mp4"), "320x180", 3));
    QVERIFY(
        mediatest::makeSource(path("odd.mp4"), "642x364", 2, false,
                              {"-vf", "format=yuv444p,crop=641:363:0:0", "-pix_fmt", "yuv444p"}));
    QVERIFY(mediatest::makeSource(path("rotated.mp4"), "320x180", 2));
    QVERIFY(mediatest::setRotation90(path("rotated.mp4")));
    QVERIFY(mediatest::makeSource(
        path("vfr.mkv"), "320x180", 3, false,
        {"-vf", "setpts='N/30/TB+if(gte(N,30),0.5/TB,0)+if(gte(N,60),0.01*mod(N,7)/TB,0)'",
         "-fps_mode", "passthrough"}));
    QFile junk(path("junk.mp4"));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    QByteArray bytes(64 * 1024, '\0');
    for (int i = 0; i < bytes.size(); ++i) {
        bytes[i] = static_cast<char>((i * 7919 + 13) & 0xFF);
    }
    junk.write(bytes);
    junk.close();
    const auto audio = mediatest::ffmpeg(
        {"-f", "lavfi", "-i", "sine=duration=2", "-c:a", "aac", path("audio.m4a")});
    QCOMPARE(audio.exitCode, 0);
}

void TestMediaProbe::probesPlainSource() {
    const MediaInfo info = probeMedia(path("plain.mp4").toStdString());
    QVERIFY(std::abs(info.durationMs - 3000) <= 100);
    QCOMPARE(info.video.codec, std::string("h264"));
    QCOMPARE(info.video.widthPx, 320);
    QCOMPARE(info.video.heightPx, 180);
    QCOMPARE(info.video.displayWidthPx, 320);
    QCOMPARE(info.video.rotationDeg, 0);
    QCOMPARE(info.video.frameRate, (Rational{30, 1}));
    QVERIFY(!info.video.variableFrameRate);
    QVERIFY(info.audio.has_value());
    QCOMPARE(info.audio->sampleRate, 48000);
    QCOMPARE(info.audio->channels, 1);
    QCOMPARE(info.audio->channelLayout, std::string("mono"));
    QCOMPARE(info.streamCount, 2);
    QCOMPARE(info.toJson()["video"]["width"].get<int>(), 320);
}

void TestMediaProbe::probesOddSizeWithoutAudio() {
    const MediaInfo info = probeMedia(path("odd.mp4").toStdString());
    QCOMPARE(info.video.widthPx, 641);
    QCOMPARE(info.video.heightPx, 363);
    QVERIFY(!info.audio.has_value());
    QVERIFY(info.toJson()["audio"].is_null());
}

void TestMediaProbe::probesRotation() {
    const MediaInfo info = probeMedia(path("rotated.mp4").toStdString());
    QCOMPARE(info.video.rotationDeg, 90);
    QCOMPARE(info.video.widthPx, 320);
    QCOMPARE(info.video.displayWidthPx, 180);
    QCOMPARE(info.video.displayHeightPx, 320);
}

void TestMediaProbe::detectsVariableFrameRate() {
    QVERIFY(probeMedia(path("vfr.mkv").toStdString()).video.variableFrameRate);
}

void TestMediaProbe::refusesUnreadableFile() {
    try {
        probeMedia(path("junk.mp4").toStdString());
        QFAIL("junk was accepted");
    } catch (const MediaError& e) {
        QVERIFY2(QString(e.what()).contains("junk.mp4"), e.what());
    }
}

void TestMediaProbe::refusesAudioOnlyFile() {
    try {
        probeMedia(path("audio.m4a").toStdString());
        QFAIL("audio-only file was accepted");
    } catch (const MediaError& e) {
        QVERIFY2(QString(e.what()).contains("no video stream"), e.what());
    }
}

void TestMediaProbe::refusesMissingFile() {
    QVERIFY_THROWS_EXCEPTION(MediaError, probeMedia(path("nothing-here.mp4").toStdString()));
}

void TestMediaProbe::plansLadder_data() {
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<QString>("expected");
    QTest::newRow("720p source") << 1280 << 720 << "426x240 640x360 854x480 1280x720";
    QTest::newRow("1080p source") << 1920 << 1080 << "426x240 640x360 854x480 1280x720 1920x1080";
    QTest::newRow("odd 641x363") << 641 << 363 << "424x240 636x360";
    QTest::newRow("portrait") << 720 << 1280 << "240x426 360x640 480x854 720x1280";
    QTest::newRow("4:3") << 640 << 480 << "320x240 480x360 640x480";
    QTest::newRow("cinema 2.4:1") << 1920 << 800 << "576x240 864x360 1152x480 1728x720";
    QTest::newRow("below every rung") << 321 << 181 << "320x180";
    QTest::newRow("square") << 500 << 500 << "240x240 360x360 480x480";
}

void TestMediaProbe::plansLadder() {
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(QString, expected);
    const auto plan = planRenditions(width, height, LadderPreset::builtin("default").rungs);
    QStringList sizes;
    for (const RenditionSpec& r : plan) {
        QCOMPARE(r.widthPx % 2, 0);
        QCOMPARE(r.heightPx % 2, 0);
        QVERIFY(r.widthPx <= width + 1 && r.heightPx <= height + 1); // never upscaled
        sizes << QString("%1x%2").arg(r.widthPx).arg(r.heightPx);
    }
    QCOMPARE(sizes.join(' '), expected);
}

void TestMediaProbe::presetJsonRoundTripAndUpgrade() {
    const LadderPreset builtin = LadderPreset::builtin("default");
    const LadderPreset again = LadderPreset::fromJson(builtin.toJson());
    QCOMPARE(again.toJson(), builtin.toJson());
    // Version 0: no format_version, segment_seconds, rungs with "height". Missing fields default.
    const auto old = nlohmann::json::parse(R"({"name":"mine","segment_seconds":6,
        "rungs":[{"height":360,"video_kbps":700}]})");
    const LadderPreset upgraded = LadderPreset::fromJson(old);
    QCOMPARE(upgraded.segmentMs, 6000);
    QCOMPARE(upgraded.rungs.size(), std::size_t{1});
    QCOMPARE(upgraded.rungs[0].shortSidePx, 360);
    QCOMPARE(upgraded.rungs[0].name, std::string("360p"));
    QCOMPARE(upgraded.x264Preset, builtin.x264Preset);
    QCOMPARE(upgraded.toJson()["format_version"].get<int>(), 1);
}

void TestMediaProbe::presetRefusesNewerVersion() {
    QVERIFY_THROWS_EXCEPTION(MediaError,
                             LadderPreset::fromJson(nlohmann::json{{"format_version", 99}}));
    QVERIFY_THROWS_EXCEPTION(MediaError, LadderPreset::load("no-such-preset"));
    QVERIFY_THROWS_EXCEPTION(MediaError,
                             LadderPreset::fromJson(nlohmann::json::parse(R"({"format_version":1,
            "renditions":[{"short_side":2,"video_kbps":1}]})")));
}

QTEST_GUILESS_MAIN(TestMediaProbe)
#include "tst_mediaprobe.moc"
