// Tests of the forensic A/B variants and their detector: A and B segments differ only by the
// mark (same frames elsewhere, same timestamps, both start with IDR and play mixed), the mark is
// small and has the designed shape, and the detector reads the right bit per segment slot from
// copies re-encoded by ffmpeg at 360p CRF 32 and cropped, and nothing from an unmarked copy.
// The package is AES-128 encrypted, so the detector's decryption path is covered too.

#include "MediaTestSupport.h"

#include <reelgate/media/ForensicDetector.h>
#include <reelgate/media/ForensicMark.h>
#include <reelgate/media/MediaError.h>

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace reelgate::media;

class TestForensicAB : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void variantsDifferOnlyInMarkWindow();
    void variantsShareTimestampsAndKeyframes();
    void markIsSmallAndShaped();
    void mixedVariantsPlay();
    void variantsCostAlmostNoBitrate();
    void detectorReadsReencodedCopy();
    void detectorSurvivesCropAndScale();
    void unmarkedCopyReadsUnknown();
    void mirroredCopyReads();
    void differentVideoIsRefused();
    void cliDetect();

private:
    QString path(const QString& name) const { return dir_.filePath(name); }
    // A copy of the 360p rendition that plays variant bits[n] in segment n, as a viewer with that
    // forensic pattern would receive it, re-encoded by ffmpeg with `filters`.
    QString leak(const QString& name, const QString& bits, const QStringList& encodeArgs);
    QStringList frameHashes(const QString& playlist);

    QTemporaryDir dir_;
    QJsonObject manifest_;
    int windowFrames_ = 0;
    QList<int> segmentFrames_;
};

void TestForensicAB::initTestCase() {
    QVERIFY(dir_.isValid());
    QVERIFY(mediatest::makeSource(path("src.mp4"), "640x360", 13));
    const auto r = mediatest::encode(
        {"transcode", path("src.mp4"), path("pkg"), "--preset", "draft", "--ab", "--aes",
         "--segment-seconds", "2", "--mark-seed", "20240611", "--quiet"}); // same pattern every run
    QVERIFY2(r.exitCode == 0, r.err.constData());
    manifest_ = mediatest::readJson(path("pkg/manifest.json"));
    windowFrames_ = manifest_["forensic"].toObject()["mark"].toObject()["window_frames"].toInt();
    QCOMPARE(windowFrames_, 30);
    for (const auto& s : manifest_["segments"].toArray()) {
        segmentFrames_ << s.toObject()["frames"].toInt();
    }
    // 2-second segments (the default for videos over ~3 minutes): one A/B slot every 2 s.
    QCOMPARE(segmentFrames_, (QList<int>{60, 60, 60, 60, 60, 60, 30}));
}

QStringList TestForensicAB::frameHashes(const QString& playlist) {
    const auto r = mediatest::ffmpeg(
        {"-allowed_extensions", "ALL", "-i", playlist, "-map", "0:v", "-f", "framemd5", "-"});
    QStringList hashes;
    for (const QByteArray& line : r.out.split('\n')) {
        if (!line.startsWith('#') && line.count(',') >= 5) {
            hashes << QString::fromLatin1(line.split(',').last().trimmed());
        }
    }
    return hashes;
}

void TestForensicAB::variantsDifferOnlyInMarkWindow() {
    const QStringList a = frameHashes(path("pkg/360p/a.m3u8"));
    const QStringList b = frameHashes(path("pkg/360p/b.m3u8"));
    QCOMPARE(a.size(), 390);
    QCOMPARE(b.size(), a.size());
    int frame = 0;
    for (int n = 0; n < segmentFrames_.size(); ++n) {
        for (int k = 0; k < segmentFrames_[n]; ++k, ++frame) {
            if (k >= windowFrames_) {
                QVERIFY2(a[frame] == b[frame], qPrintable(QString("frame %1 differs").arg(frame)));
            } else if (k >= 2 && k < windowFrames_ - 2) {
                QVERIFY2(a[frame] != b[frame], qPrintable(QString("frame %1 unmarked").arg(frame)));
            }
        }
    }
}

void TestForensicAB::variantsShareTimestampsAndKeyframes() {
    for (int n = 0; n < segmentFrames_.size(); ++n) {
        QStringList timing[2];
        for (int v = 0; v < 2; ++v) {
            const QString file = path(QString("pkg/360p/%1/%2.ts").arg(v == 0 ? "a" : "b").arg(n));
            // Decrypted through ffmpeg's HLS reader would hide the layout: read via the playlist.
            const QString list = path(QString("one_%1_%2.m3u8").arg(v).arg(n));
            QFile out(list);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(
                QString("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n"
                        "#EXT-X-MEDIA-SEQUENCE:%1\n#EXT-X-KEY:METHOD=AES-128,URI=\"pkg/key.bin\"\n"
                        "#EXTINF:4.000,\n%2\n#EXT-X-ENDLIST\n")
                    .arg(n)
                    .arg(file)
                    .toUtf8());
            out.close();
            const QJsonObject json =
                mediatest::ffprobe(list, {"-allowed_extensions", "ALL", "-show_entries",
                                          "packet=codec_type,pts,dts,flags"});
            const QJsonArray packets = json["packets"].toArray();
            QVERIFY(!packets.isEmpty());
            bool firstVideo = true;
            QList<qint64> videoPts;
            for (const auto& p : packets) {
                const QJsonObject packet = p.toObject();
                const bool video = packet["codec_type"] == "video";
                if (firstVideo && video) {
                    QVERIFY2(packet["flags"].toString().startsWith('K'),
                             "segment starts without IDR");
                    firstVideo = false;
                }
                // Decode timestamps in order, and every packet's presentation time; inside the
                // mark window A and B may order B-frames differently (separate encoders).
                timing[v] << QString("%1 dts %2")
                                 .arg(packet["codec_type"].toString(),
                                      QString::number(packet["dts"].toInteger()));
                if (video) {
                    videoPts << packet["pts"].toInteger();
                } else {
                    timing[v] << QString("audio pts %1").arg(packet["pts"].toInteger());
                }
            }
            std::sort(videoPts.begin(), videoPts.end());
            for (qint64 pts : videoPts) {
                timing[v] << QString("video pts %1").arg(pts);
            }
        }
        QCOMPARE(timing[1], timing[0]);
    }
}

void TestForensicAB::markIsSmallAndShaped() {
    // Segment 1, middle of the window: decode both variants as gray pictures.
    auto gray = [&](const char* variant) {
        const QString list = path(QString("mark_%1.m3u8").arg(variant));
        QFile out(list);
        out.open(QIODevice::WriteOnly);
        out.write(QString("#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:1\n"
                          "#EXT-X-KEY:METHOD=AES-128,URI=\"pkg/key.bin\"\n#EXTINF:4.000,\n"
                          "pkg/360p/%1/1.ts\n#EXT-X-ENDLIST\n")
                      .arg(variant)
                      .toUtf8());
        out.close();
        const auto r =
            mediatest::ffmpeg({"-allowed_extensions", "ALL", "-i", list, "-vf", "select=eq(n\\,15)",
                               "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-"});
        return r.out;
    };
    const QByteArray a = gray("a");
    const QByteArray b = gray("b");
    QCOMPARE(a.size(), 640 * 360);
    QCOMPARE(b.size(), a.size());
    // Small: A and B differ by a few code values (the mark plus the two encoders' different
    // coding noise), PSNR of A against B above 30 dB.
    double squared = 0;
    for (int i = 0; i < a.size(); ++i) {
        const int d = static_cast<unsigned char>(a[i]) - static_cast<unsigned char>(b[i]);
        squared += d * d;
    }
    const double psnr = 10 * std::log10(255.0 * 255.0 / (squared / a.size()));
    QVERIFY2(psnr > 30, qPrintable(QString("PSNR %1 dB").arg(psnr)));
    // Shaped: the 16x16-block mean of A - B follows 2 * amplitude * P(u, v); 95% of the blocks
    // stay within the designed peak plus coding noise (moving sharp edges code differently).
    const QJsonObject markJson = manifest_["forensic"].toObject()["mark"].toObject();
    ForensicMarkSpec spec;
    spec.seed = static_cast<std::uint32_t>(markJson["seed"].toDouble());
    spec.amplitude = markJson["amplitude"].toDouble();
    const ForensicMark mark(spec);
    double sxy = 0, sxx = 0, syy = 0;
    QList<double> blockChanges;
    for (int by = 0; by < 360 / 16; ++by) {
        for (int bx = 0; bx < 640 / 16; ++bx) {
            double diff = 0;
            for (int y = by * 16; y < by * 16 + 16; ++y) {
                for (int x = bx * 16; x < bx * 16 + 16; ++x) {
                    diff += static_cast<unsigned char>(a[y * 640 + x]) -
                            static_cast<unsigned char>(b[y * 640 + x]);
                }
            }
            diff /= 256;
            blockChanges << std::abs(diff);
            const double expected =
                2 * spec.amplitude * mark.pattern((bx * 16 + 8) / 640.0, (by * 16 + 8) / 360.0);
            sxy += diff * expected;
            sxx += expected * expected;
            syy += diff * diff;
        }
    }
    std::sort(blockChanges.begin(), blockChanges.end());
    const double peak = blockChanges[blockChanges.size() * 95 / 100];
    QVERIFY2(peak < 2 * spec.amplitude + 1.5, qPrintable(QString("95th percentile %1").arg(peak)));
    const double correlation = sxy / std::sqrt(sxx * syy);
    QVERIFY2(correlation > 0.8, qPrintable(QString("correlation %1").arg(correlation)));
    qInfo("A vs B: PSNR %.1f dB, 95%% of blocks within %.2f, shape correlation %.3f", psnr, peak,
          correlation);
}

QString TestForensicAB::leak(const QString& name, const QString& bits,
                             const QStringList& encodeArgs) {
    QString text = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:0\n"
                   "#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-KEY:METHOD=AES-128,URI=\"pkg/key.bin\"\n";
    for (int n = 0; n < bits.size(); ++n) {
        text += QString("#EXTINF:%1,\npkg/360p/%2/%3.ts\n")
                    .arg(segmentFrames_[n] / 30.0, 0, 'f', 3)
                    .arg(bits[n] == 'B' ? "b" : "a")
                    .arg(n);
    }
    text += "#EXT-X-ENDLIST\n";
    const QString list = path(name + ".m3u8");
    QFile out(list);
    out.open(QIODevice::WriteOnly);
    out.write(text.toUtf8());
    out.close();
    const QString copy = path(name + ".mp4");
    const auto r = mediatest::ffmpeg(QStringList{"-allowed_extensions", "ALL", "-i", list} +
                                     encodeArgs + QStringList{"-an", copy});
    return r.exitCode == 0 ? copy : QString();
}

void TestForensicAB::mixedVariantsPlay() {
    const QString copy = leak("mixed", "ABABABA", {"-c:v", "copy"});
    QVERIFY(!copy.isEmpty());
    const auto decoded = mediatest::ffmpeg({"-i", copy, "-f", "framecrc", "-"});
    QVERIFY2(decoded.exitCode == 0 && decoded.err.isEmpty(), decoded.err.constData());
    QCOMPARE(decoded.out.count("\n0,"), 390);
}

void TestForensicAB::variantsCostAlmostNoBitrate() {
    // The same source without A/B: the split encoders must not spend more than the one encoder
    // (x264 must not read the gaps between the frames it gets as long frames).
    const auto r = mediatest::encode(
        {"transcode", path("src.mp4"), path("plain"), "--preset", "draft", "--quiet"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonArray plain =
        mediatest::readJson(path("plain/manifest.json"))["renditions"].toArray();
    const QJsonArray marked = manifest_["renditions"].toArray();
    QCOMPARE(marked.size(), plain.size());
    for (int i = 0; i < plain.size(); ++i) {
        const double average = marked[i].toObject()["average_bandwidth"].toDouble() /
                               plain[i].toObject()["average_bandwidth"].toDouble();
        const double peak = marked[i].toObject()["bandwidth"].toDouble() /
                            plain[i].toObject()["bandwidth"].toDouble();
        qInfo("%s: A/B average bandwidth %.3fx, peak %.3fx of the plain ladder",
              qPrintable(plain[i].toObject()["name"].toString()), average, peak);
        QVERIFY2(average < 1.1 && peak < 1.25, qPrintable(QString("%1 %2").arg(average).arg(peak)));
    }
}

void TestForensicAB::detectorReadsReencodedCopy() {
    const QString copy =
        leak("crf32", "BAABABB", {"-vf", "scale=-2:360", "-c:v", "libx264", "-crf", "32"});
    QVERIFY(!copy.isEmpty());
    const DetectionReport report =
        ForensicDetector(path("pkg").toStdString()).detect(copy.toStdString());
    QCOMPARE(report.readings.size(), std::size_t{7});
    QString bits;
    for (const SlotReading& s : report.readings) {
        bits += slotBitName(s.bit);
        QVERIFY2(s.bit == SlotBit::Unknown || s.confidence > 0.999,
                 qPrintable(QString::number(s.z)));
        qInfo("slot %lld: %s z=%.1f gamma=%.2f", static_cast<long long>(s.slot), slotBitName(s.bit),
              s.z, s.gamma);
    }
    QCOMPARE(bits, QString("BAABABB"));
    QVERIFY(std::abs(report.offsetSeconds) < 0.05);
}

void TestForensicAB::detectorSurvivesCropAndScale() {
    // 4% off the left, 3% off the top, 5% off the right, 2% off the bottom; then 360p CRF 30.
    const QString copy = leak("crop", "ABBABAA",
                              {"-vf", "crop=iw*0.91:ih*0.95:iw*0.04:ih*0.03,scale=-2:300", "-c:v",
                               "libx264", "-crf", "30"});
    QVERIFY(!copy.isEmpty());
    const DetectionReport report =
        ForensicDetector(path("pkg").toStdString()).detect(copy.toStdString());
    QString bits;
    for (const SlotReading& s : report.readings) {
        bits += slotBitName(s.bit);
    }
    QCOMPARE(bits, QString("ABBABAA"));
    QVERIFY2(std::abs(report.cropLeft - 0.04) < 0.01 && std::abs(report.cropRight - 0.95) < 0.01,
             qPrintable(QString("%1 %2").arg(report.cropLeft).arg(report.cropRight)));
}

void TestForensicAB::unmarkedCopyReadsUnknown() {
    const DetectionReport report =
        ForensicDetector(path("pkg").toStdString()).detect(path("src.mp4").toStdString());
    for (const SlotReading& s : report.readings) {
        QCOMPARE(s.bit, SlotBit::Unknown);
        QVERIFY2(std::abs(s.gamma) < ForensicDetector::kMinGain / 2,
                 qPrintable(QString("gamma %1 z %2").arg(s.gamma).arg(s.z)));
    }
    QVERIFY(report.readings.front().framesUsed > 0); // aligned, compared, and found nothing
}

void TestForensicAB::mirroredCopyReads() {
    const QString copy =
        leak("mirrored", "BBAABAB", {"-vf", "hflip,scale=-2:360", "-c:v", "libx264", "-crf", "30"});
    QVERIFY(!copy.isEmpty());
    const DetectionReport report =
        ForensicDetector(path("pkg").toStdString()).detect(copy.toStdString());
    QVERIFY(report.mirrored);
    QString bits;
    for (const SlotReading& s : report.readings) {
        bits += slotBitName(s.bit);
    }
    QCOMPARE(bits, QString("BBAABAB"));
}

// A recording of another video is refused as such, never read slot by slot.
void TestForensicAB::differentVideoIsRefused() {
    const auto made =
        mediatest::ffmpeg({"-f", "lavfi", "-i", "mandelbrot=size=640x360:rate=30", "-t", "13",
                           "-c:v", "libx264", "-pix_fmt", "yuv420p", path("other.mp4")});
    QVERIFY2(made.exitCode == 0, made.err.constData());
    try {
        ForensicDetector(path("pkg").toStdString()).detect(path("other.mp4").toStdString());
        QFAIL("a different video was read");
    } catch (const MediaError& e) {
        QVERIFY2(QString(e.what()).contains("does not match this video"), e.what());
    }
    const auto cli = mediatest::encode({"detect", path("other.mp4"), path("pkg")});
    QCOMPARE(cli.exitCode, 1);
    QVERIFY(cli.err.contains("does not match this video"));
}

void TestForensicAB::cliDetect() {
    const auto r = mediatest::encode({"detect", path("crf32.mp4"), path("pkg")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(r.out.contains("slot"));
    const auto json = mediatest::encode({"detect", path("crf32.mp4"), path("pkg"), "--json"});
    const QJsonArray slotList = QJsonDocument::fromJson(json.out).object()["slots"].toArray();
    QCOMPARE(slotList.size(), 7);
    QCOMPARE(slotList[0].toObject()["bit"].toString(), QString("B"));
    const auto notPackage = mediatest::encode({"detect", path("crf32.mp4"), path(".")});
    QCOMPARE(notPackage.exitCode, 1);
    QVERIFY(notPackage.err.contains("manifest.json"));
    QVERIFY_THROWS_EXCEPTION(MediaError, ForensicDetector(path(".").toStdString()));
}

QTEST_GUILESS_MAIN(TestForensicAB)
#include "tst_forensicab.moc"
