// Tests of the ladder transcode (TranscodeJob and `reelgate-encode transcode`): every rendition
// checked with ffprobe (codec, size, keyframe-started segments of the configured length), the
// playlists parsed, manifest.json checked against the files, and the odd inputs: no audio, odd
// size, rotation, variable frame rate, an unreadable file, an audio-only file; AES-128; cancel;
// the poster (a JPEG in the package, picked away from a black opening).

#include "HlsCheck.h"
#include "MediaTestSupport.h"

#include <reelgate/media/TranscodeJob.h>

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <thread>

using namespace reelgate::media;

namespace {

struct SegmentTimes {
    QList<double> firstPts; // first video presentation time per segment
    QList<double> lastPts;
    QList<bool> startsWithKey; // first video packet is a keyframe
};

SegmentTimes probeSegments(const QString& dir, const QStringList& uris) {
    SegmentTimes times;
    for (const QString& uri : uris) {
        const QJsonObject json =
            mediatest::ffprobe(QDir(dir).filePath(uri),
                               {"-select_streams", "v", "-show_entries", "packet=pts_time,flags"});
        const QJsonArray packets = json["packets"].toArray();
        double first = 1e9, last = -1e9;
        for (const auto& p : packets) {
            const double pts = p.toObject()["pts_time"].toString().toDouble();
            first = std::min(first, pts);
            last = std::max(last, pts);
        }
        times.firstPts << first;
        times.lastPts << last;
        times.startsWithKey << (!packets.isEmpty() &&
                                packets.first().toObject()["flags"].toString().startsWith('K'));
    }
    return times;
}

} // namespace

class TestTranscode : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void ladderRenditionsAreRight();
    void playlistsParseAndMatchManifest();
    void manifestListsEveryFileWithItsHash();
    void oddSizeWithoutAudio();
    void narrowSourceMakesItsPoster();
    void rotatedSourceBecomesPortrait();
    void variableFrameRateKeepsSegmentLength();
    void refusesUnreadableAndAudioOnly_data();
    void refusesUnreadableAndAudioOnly();
    void refusesExistingOutput();
    void encryptsWithAes128();
    void reportsProgressAndCancels();
    void posterAvoidsABlackOpening();
    void constantRateWithBFramesIsNotVariable();

private:
    QString path(const QString& name) const { return dir_.filePath(name); }
    // Checks every rendition of a package with ffprobe: codec, size, segment starts and lengths.
    void checkPackage(const QString& package, double segmentSeconds, bool audio);

    QTemporaryDir dir_;
};

void TestTranscode::initTestCase() {
    QVERIFY(dir_.isValid());
    QVERIFY(mediatest::makeSource(path("main.mp4"), "854x480", 13));
    const auto r = mediatest::encode({"transcode", path("main.mp4"), path("main"), "--quiet"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(r.out.contains("3 renditions"));
}

void TestTranscode::checkPackage(const QString& package, double segmentSeconds, bool audio) {
    const QJsonObject manifest = mediatest::readJson(QDir(package).filePath("manifest.json"));
    const QJsonArray renditions = manifest["renditions"].toArray();
    QVERIFY(!renditions.isEmpty());
    for (const auto& item : renditions) {
        const QJsonObject r = item.toObject();
        const QString playlist = QDir(package).filePath(r["playlists"].toObject()["a"].toString());
        mediatest::MediaPlaylist media;
        const QString problem = mediatest::checkMediaPlaylist(playlist, media);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        const QString dir = QFileInfo(playlist).path();
        // Codec and size of every rendition.
        const QJsonObject streams =
            mediatest::ffprobe(QDir(dir).filePath(media.uris.first()),
                               {"-show_entries", "stream=codec_type,codec_name,width,height"});
        bool sawAudio = false;
        for (const auto& s : streams["streams"].toArray()) {
            const QJsonObject stream = s.toObject();
            if (stream["codec_type"] == "video") {
                QCOMPARE(stream["codec_name"].toString(), QString("h264"));
                QCOMPARE(stream["width"].toInt(), r["width"].toInt());
                QCOMPARE(stream["height"].toInt(), r["height"].toInt());
            } else if (stream["codec_type"] == "audio") {
                QCOMPARE(stream["codec_name"].toString(), QString("aac"));
                sawAudio = true;
            }
        }
        QCOMPARE(sawAudio, audio);
        // Segment lengths measured on the video timestamps: the target within 0.1 s except
        // the last; every segment starts with a keyframe; EXTINF matches.
        const SegmentTimes times = probeSegments(dir, media.uris);
        for (int n = 0; n < media.uris.size(); ++n) {
            QVERIFY2(times.startsWithKey[n],
                     qPrintable(QString("segment %1 starts without keyframe").arg(n)));
            if (n + 1 < media.uris.size()) {
                const double length = times.firstPts[n + 1] - times.firstPts[n];
                QVERIFY2(std::abs(length - segmentSeconds) <= 0.1,
                         qPrintable(QString("%1 segment %2 lasts %3 s")
                                        .arg(r["name"].toString())
                                        .arg(n)
                                        .arg(length)));
                QVERIFY(std::abs(media.durations[n] - length) <= 0.05);
            } else {
                QVERIFY(media.durations[n] <= segmentSeconds + 0.1);
            }
        }
    }
}

void TestTranscode::ladderRenditionsAreRight() {
    const QJsonObject manifest = mediatest::readJson(path("main/manifest.json"));
    QStringList sizes;
    for (const auto& r : manifest["renditions"].toArray()) {
        sizes << QString("%1:%2x%3")
                     .arg(r.toObject()["name"].toString())
                     .arg(r.toObject()["width"].toInt())
                     .arg(r.toObject()["height"].toInt());
    }
    QCOMPARE(sizes.join(' '), QString("240p:428x240 360p:640x360 480p:854x480")); // 427 -> even
    checkPackage(path("main"), 4.0, true);
    QCOMPARE(manifest["segment_count"].toInt(), 4);
    QCOMPARE(manifest["segment_duration_ms"].toInt(), 4000);
    QVERIFY(std::abs(manifest["duration_ms"].toInt() - 13000) <= 40);
    // The whole rendition plays as one stream of the source's length.
    const QJsonObject format =
        mediatest::ffprobe(path("main/480p/a.m3u8"), {"-show_entries", "format=duration"});
    QVERIFY(std::abs(format["format"].toObject()["duration"].toString().toDouble() - 13.0) < 0.3);
}

void TestTranscode::playlistsParseAndMatchManifest() {
    QList<mediatest::Variant> variants;
    const QString problem = mediatest::checkMasterPlaylist(path("main/master.m3u8"), variants);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(variants.size(), 3);
    const QJsonArray renditions =
        mediatest::readJson(path("main/manifest.json"))["renditions"].toArray();
    for (int i = 0; i < variants.size(); ++i) {
        const QJsonObject r = renditions[i].toObject();
        QCOMPARE(variants[i].uri, r["playlists"].toObject()["a"].toString());
        QCOMPARE(variants[i].resolution,
                 QString("%1x%2").arg(r["width"].toInt()).arg(r["height"].toInt()));
        QVERIFY2(QRegularExpression("^avc1\\.[0-9a-f]{6},mp4a\\.40\\.2$")
                     .match(variants[i].codecs)
                     .hasMatch(),
                 qPrintable(variants[i].codecs));
        QCOMPARE(variants[i].frameRate, 30.0);
        QCOMPARE(variants[i].bandwidth, static_cast<qint64>(r["bandwidth"].toDouble()));
        // Average bandwidth near the rendition's target bitrate plus audio and TS overhead.
        const double kbps = variants[i].averageBandwidth / 1000.0;
        QVERIFY2(kbps > r["video_kbps"].toDouble() * 0.6 &&
                     kbps < r["video_kbps"].toDouble() * 1.6 + 200,
                 qPrintable(QString::number(kbps)));
    }
}

void TestTranscode::manifestListsEveryFileWithItsHash() {
    const QJsonObject manifest = mediatest::readJson(path("main/manifest.json"));
    QCOMPARE(manifest["format_version"].toInt(), 1);
    QCOMPARE(manifest["watermark"].toObject()["template"].toString(), QString("{username} {time}"));
    QVERIFY(manifest["forensic"].isNull());
    QVERIFY(manifest["encryption"].isNull());
    QCOMPARE(manifest["variants"].toObject()["segment_template"].toString(),
             QString("{rendition}/{variant}/{n}.ts"));
    const QJsonObject files = manifest["files"].toObject();
    int listed = 0;
    for (auto it = files.begin(); it != files.end(); ++it) {
        const QByteArray bytes = mediatest::readAll(path("main/" + it.key()));
        QCOMPARE(static_cast<qint64>(bytes.size()),
                 static_cast<qint64>(it.value().toObject()["bytes"].toDouble()));
        QCOMPARE(mediatest::sha256Hex(bytes), it.value().toObject()["sha256"].toString());
        ++listed;
    }
    // Every file in the folder but manifest.json is listed: 3 x (4 segments + playlist) + master
    // + poster.
    int onDisk = 0;
    QDirIterator all(path("main"), QDir::Files, QDirIterator::Subdirectories);
    while (all.hasNext()) {
        all.next();
        ++onDisk;
    }
    QCOMPARE(listed, 17);
    QCOMPARE(manifest["poster"].toString(), QString("poster.jpg"));
    QCOMPARE(onDisk, listed + 1);
    QVERIFY(!QFileInfo::exists(path("main.partial")));
}

void TestTranscode::oddSizeWithoutAudio() {
    QVERIFY(
        mediatest::makeSource(path("odd.mp4"), "642x364", 9, false,
                              {"-vf", "format=yuv444p,crop=641:363:0:0", "-pix_fmt", "yuv444p"}));
    const auto r = mediatest::encode(
        {"transcode", path("odd.mp4"), path("odd"), "--preset", "draft", "--quiet"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    checkPackage(path("odd"), 4.0, false);
    QList<mediatest::Variant> variants;
    QVERIFY(mediatest::checkMasterPlaylist(path("odd/master.m3u8"), variants).isEmpty());
    QCOMPARE(variants.size(), 2);
    QCOMPARE(variants[0].resolution, QString("424x240"));
    QCOMPARE(variants[1].resolution, QString("636x360"));
    QVERIFY(!variants[0].codecs.contains("mp4a"));
}

// 426 px wide (240p at 16:9): a picture row of 1,278 bytes. libswscale writes whole SIMD
// blocks, and the poster's frame grab once scaled into a tight buffer and overran the heap
// ("malloc(): corrupted top size"): the encoder died on the benchmarks' own source.
void TestTranscode::narrowSourceMakesItsPoster() {
    QVERIFY(mediatest::makeSource(path("narrow.mp4"), "426x240", 6));
    const auto r = mediatest::encode(
        {"transcode", path("narrow.mp4"), path("narrow"), "--preset", "draft", "--quiet"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QByteArray poster = mediatest::readAll(path("narrow/poster.jpg"));
    QVERIFY(poster.startsWith("\xff\xd8\xff"));
}

void TestTranscode::rotatedSourceBecomesPortrait() {
    QVERIFY(mediatest::makeSource(path("rot.mp4"), "640x360", 5));
    QVERIFY(mediatest::setRotation90(path("rot.mp4")));
    const auto r = mediatest::encode(
        {"transcode", path("rot.mp4"), path("rot"), "--preset", "draft", "--quiet"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    checkPackage(path("rot"), 4.0, true);
    const QJsonArray renditions =
        mediatest::readJson(path("rot/manifest.json"))["renditions"].toArray();
    QCOMPARE(renditions.size(), 2);
    QCOMPARE(renditions[1].toObject()["width"].toInt(), 360);
    QCOMPARE(renditions[1].toObject()["height"].toInt(), 640);
    // Upright: the first frame matches FFmpeg's own auto-rotated decode of the source, and
    // clearly not the picture turned the other way.
    auto gray = [&](const QString& input, const QString& filter, const QString& out) {
        const auto done = mediatest::ffmpeg({"-i", input, "-frames:v", "1", "-vf", filter, "-f",
                                             "rawvideo", "-pix_fmt", "gray", path(out)});
        return done.exitCode == 0 ? mediatest::readAll(path(out)) : QByteArray();
    };
    const QByteArray ours = gray(path("rot/360p/a/0.ts"), "scale=36:64", "ours.gray");
    const QByteArray upright = gray(path("rot.mp4"), "scale=36:64", "upright.gray");
    const QByteArray turned = gray(path("rot.mp4"), "scale=36:64,hflip,vflip", "turned.gray");
    QCOMPARE(ours.size(), 36 * 64);
    QCOMPARE(upright.size(), ours.size());
    auto distance = [&](const QByteArray& other) {
        double sum = 0;
        for (int i = 0; i < ours.size(); ++i) {
            sum += std::abs(static_cast<unsigned char>(ours[i]) -
                            static_cast<unsigned char>(other[i]));
        }
        return sum / ours.size();
    };
    QVERIFY2(distance(upright) < 8 && distance(upright) * 3 < distance(turned),
             qPrintable(QString("%1 vs %2").arg(distance(upright)).arg(distance(turned))));
}

void TestTranscode::variableFrameRateKeepsSegmentLength() {
    // Frames at irregular times (a 0.5 s gap, then jitter), 2-second segments.
    QVERIFY(mediatest::makeSource(
        path("vfr.mkv"), "320x240", 9, true,
        {"-vf", "setpts='N/30/TB+if(gte(N,60),0.5/TB,0)+if(gte(N,120),0.01*mod(N,7)/TB,0)'",
         "-fps_mode", "passthrough"}));
    const auto r = mediatest::encode({"transcode", path("vfr.mkv"), path("vfr"), "--preset",
                                      "draft", "--segment-seconds", "2", "--quiet"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    checkPackage(path("vfr"), 2.0, true);
    QCOMPARE(mediatest::readJson(path("vfr/manifest.json"))["frame_rate"].toString(),
             QString("30/1"));
}

void TestTranscode::refusesUnreadableAndAudioOnly_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("message");
    QTest::newRow("unreadable") << "junk.mp4"
                                << "cannot read junk.mp4";
    QTest::newRow("audio only") << "sound.m4a"
                                << "no video stream";
    QTest::newRow("missing") << "absent.mp4"
                             << "no such file";
}

void TestTranscode::refusesUnreadableAndAudioOnly() {
    QFETCH(QString, input);
    QFETCH(QString, message);
    if (!QFileInfo::exists(path("junk.mp4"))) {
        QFile junk(path("junk.mp4"));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write(QByteArray(50000, 'x') + QByteArray("\x00\x01\x02", 3));
    }
    if (!QFileInfo::exists(path("sound.m4a"))) {
        QCOMPARE(
            mediatest::ffmpeg({"-f", "lavfi", "-i", "sine=duration=2", path("sound.m4a")}).exitCode,
            0);
    }
    const QString out = path("refused-" + input);
    const auto r = mediatest::encode({"transcode", path(input), out, "--quiet"});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
    QVERIFY(!QFileInfo::exists(out));
    QVERIFY(!QFileInfo::exists(out + ".partial"));
    const auto probe = mediatest::encode({"probe", path(input)});
    QCOMPARE(probe.exitCode, 1);
    QVERIFY(probe.err.contains(message.toUtf8()));
}

void TestTranscode::refusesExistingOutput() {
    const auto r = mediatest::encode({"transcode", path("main.mp4"), path("main"), "--quiet"});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("already exists"), r.err.constData());
    QVERIFY(QFileInfo::exists(path("main/manifest.json")));
    const auto usage = mediatest::encode({"transcode", path("main.mp4")});
    QCOMPARE(usage.exitCode, 2);
}

void TestTranscode::encryptsWithAes128() {
    QVERIFY(mediatest::makeSource(path("clear.mp4"), "320x180", 6));
    const auto r = mediatest::encode(
        {"transcode", path("clear.mp4"), path("aes"), "--preset", "draft", "--aes", "--quiet"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject manifest = mediatest::readJson(path("aes/manifest.json"));
    const QJsonObject encryption = manifest["encryption"].toObject();
    QCOMPARE(encryption["method"].toString(), QString("AES-128"));
    QCOMPARE(encryption["iv_policy"].toString(), QString("media-sequence"));
    QCOMPARE(mediatest::readAll(path("aes/" + encryption["key_file"].toString())).size(), 16);
    QVERIFY(manifest["files"].toObject().contains("key.bin"));
    // Encrypted: not MPEG-TS on disk (sync byte 0x47 every 188 bytes), length a multiple of 16.
    const QByteArray segment = mediatest::readAll(path("aes/180p/a/0.ts"));
    QVERIFY(segment.size() % 16 == 0);
    QVERIFY(!(segment.at(0) == 0x47 && segment.at(188) == 0x47));
    mediatest::MediaPlaylist media;
    QVERIFY(mediatest::checkMediaPlaylist(path("aes/180p/a.m3u8"), media).isEmpty());
    QCOMPARE(media.keyLine, QString("#EXT-X-KEY:METHOD=AES-128,URI=\"../key.bin\""));
    // A player with the key decodes every frame.
    const auto decoded = mediatest::ffmpeg(
        {"-allowed_extensions", "ALL", "-i", path("aes/180p/a.m3u8"), "-f", "framecrc", "-"});
    QVERIFY2(decoded.exitCode == 0, decoded.err.constData());
    QCOMPARE(decoded.out.count("\n0,"), 180);
}

void TestTranscode::reportsProgressAndCancels() {
    TranscodeOptions options;
    options.input = path("main.mp4").toStdString();
    options.output = path("progress").toStdString();
    options.preset = LadderPreset::builtin("draft");
    {
        TranscodeJob job(options);
        QCOMPARE(job.progress().state, JobState::Ready);
        job.start();
        double last = 0;
        bool sawEta = false;
        while (job.progress().state == JobState::Running) {
            const TranscodeProgress p = job.progress();
            QVERIFY(p.fraction >= last);
            last = p.fraction;
            sawEta = sawEta || p.etaMs > 0;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        const TranscodeProgress end = job.wait();
        QCOMPARE(end.state, JobState::Succeeded);
        QCOMPARE(end.fraction, 1.0);
        QVERIFY(sawEta);
        QVERIFY(job.manifest().has_value());
    }
    options.output = path("cancelled").toStdString();
    TranscodeJob job(options);
    job.start();
    while (job.progress().fraction < 0.1 && job.progress().state == JobState::Running) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    job.cancel();
    const TranscodeProgress end = job.wait();
    QCOMPARE(end.state, JobState::Cancelled);
    QVERIFY(!QFileInfo::exists(path("cancelled")));
    QVERIFY(!QFileInfo::exists(path("cancelled.partial")));
}

void TestTranscode::posterAvoidsABlackOpening() {
    // 2 s of black, then 10 s of a test pattern: the first third holds both.
    const auto made = mediatest::ffmpeg(
        {"-f", "lavfi", "-i", "color=black:size=320x240:rate=30:duration=2", "-f", "lavfi", "-i",
         "testsrc2=size=320x240:rate=30:duration=10", "-filter_complex",
         "[0:v][1:v]concat=n=2:v=1[v]", "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast",
         "-pix_fmt", "yuv420p", path("black-start.mp4")});
    QVERIFY2(made.exitCode == 0, made.err.constData());
    const auto r =
        mediatest::encode({"transcode", path("black-start.mp4"), path("black-start"), "--quiet"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject manifest = mediatest::readJson(path("black-start/manifest.json"));
    QCOMPARE(manifest["poster"].toString(), QString("poster.jpg"));
    QVERIFY(manifest["files"].toObject().contains("poster.jpg"));
    const QJsonObject probe = mediatest::ffprobe(
        path("black-start/poster.jpg"), {"-show_entries", "stream=codec_name,width,height"});
    const QJsonObject stream = probe["streams"].toArray().first().toObject();
    QCOMPARE(stream["codec_name"].toString(), QString("mjpeg"));
    QCOMPARE(stream["width"].toInt(), 320);
    QCOMPARE(stream["height"].toInt(), 240);
    // Its brightness varies like the pattern's, not a black frame's (YAVG of black is 16).
    const auto stats =
        mediatest::run(REELGATE_FFMPEG, {"-v", "info", "-i", path("black-start/poster.jpg"), "-vf",
                                         "signalstats,metadata=print:key=lavfi.signalstats.YAVG",
                                         "-f", "null", "-"});
    const QByteArray all = stats.out + stats.err;
    const qsizetype at = all.indexOf("YAVG=");
    QVERIFY2(at >= 0, all.constData());
    const double yavg = all.mid(at + 5, 12).split('\n').first().trimmed().toDouble();
    QVERIFY2(yavg > 40, qPrintable(QString("poster YAVG %1").arg(yavg)));
}

void TestTranscode::constantRateWithBFramesIsNotVariable() {
    // x264's medium preset reorders frames (3 B-frames): decode order is not display order.
    QVERIFY(mediatest::makeSource(path("bframes.mp4"), "320x240", 20, false,
                                  {"-preset", "medium", "-bf", "3"}));
    const auto r = mediatest::encode({"probe", path("bframes.mp4")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject video = QJsonDocument::fromJson(r.out).object()["video"].toObject();
    QVERIFY2(video.contains("variable_frame_rate"), r.out.constData());
    QCOMPARE(video["variable_frame_rate"].toBool(), false);
}

QTEST_GUILESS_MAIN(TestTranscode)
#include "tst_transcode.moc"
