// Tests of the forensic detector against copies whose time line or picture placement differs
// from the package's: a copy played faster (1.04x), a copy with 10 s cut out of the middle, and
// a screen capture whose player window has a light title bar and a dark task bar. Every slot the
// detector reads must be the bit the viewer received; the slots the copy still shows must read.
// One small package (60 s 480x270 testsrc2 with a moving box, 2 s segments = 30 slots) serves
// every case.

#include "MediaTestSupport.h"

#include <reelgate/media/ForensicDetector.h>
#include <reelgate/media/ForensicMark.h>

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace reelgate::media;

namespace {

constexpr int kSeconds = 60;
// The session's bits, one per 2-second slot.
const QString kBits = "BAABBABAAABBABABBBAABABAABBAAB";

} // namespace

class TestForensicAttacks : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void fasterCopyReads();
    void copyWithCutReads();
    void captureWithWindowChromeReads();
    void zoomUnderScreenCaptureReads();
    void longRecordingTracesInLittleMemory();
    void markIsBoostedOnlyInDenseTexture();
    void denseTextureReads();
    void settledDenseTextureKeepsItsTime();

private:
    QString path(const QString& name) const { return dir_.filePath(name); }
    // Writes NAME.m3u8 playing segment n of package directory `pkg` (rendition) from variant
    // bits[n]; returns its path.
    QString playlist(const QString& name, const QString& pkg, const QString& rendition,
                     const QString& bits);
    // The viewer's copy (segment n from variant kBits[n]) run through ffmpeg with encodeArgs.
    QString leak(const QString& name, const QStringList& encodeArgs);
    // `seconds` of the lavfi graph encoded at crf, packaged as NAME + "pkg" (draft --ab, 2 s
    // segments, mark seed): empty, or what failed.
    QString packageLavfi(const QString& name, const QString& lavfi, const QString& crf,
                         const QString& seed, int seconds = 16);
    // Package NAME + "pkg" (360p) played as `bits`, run through the -vf `filter` and x264 at
    // 900 kb/s (max 1 Mb/s), then detected.
    DetectionReport detectCaptured(const QString& name, const QString& bits, const QString& filter);
    // packageLavfi, then detectCaptured into `report`: empty, or what failed.
    QString captureLavfi(const QString& name, const QString& lavfi, const QString& crf,
                         const QString& seed, int seconds, const QString& bits,
                         const QString& filter, DetectionReport& report) {
        const QString failed = packageLavfi(name, lavfi, crf, seed, seconds);
        if (failed.isEmpty()) {
            report = detectCaptured(name, bits, filter);
        }
        return failed;
    }
    // The bits read ("A", "B", "?" per slot), or a text naming the wrong ones.
    static QString readBits(const DetectionReport& report);
    QString readBits(const QString& copy) {
        return readBits(ForensicDetector(path("pkg").toStdString()).detect(copy.toStdString()));
    }

    QTemporaryDir dir_;
    QString rendition_;
};

void TestForensicAttacks::initTestCase() {
    QVERIFY(dir_.isValid());
    // testsrc2 repeats every 12 s at the scale of the time fingerprints: a dark box moving on a
    // path that never repeats makes every moment distinct, as real footage is.
    QVERIFY(
        mediatest::makeSource(path("src.mp4"), "480x270", kSeconds, false,
                              {"-vf", "color=c=0x202020:s=120x90[box];[in][box]overlay="
                                      "x='180+150*sin(t*0.7)':y='90+80*sin(t*0.31)':shortest=1"}));
    const auto r =
        mediatest::encode({"transcode", path("src.mp4"), path("pkg"), "--preset", "draft", "--ab",
                           "--segment-seconds", "2", "--mark-seed", "4242", "--quiet"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject manifest = mediatest::readJson(path("pkg/manifest.json"));
    QCOMPARE(manifest["segments"].toArray().size(), kBits.size());
    rendition_ = manifest["renditions"].toArray().last().toObject()["name"].toString();
}

QString TestForensicAttacks::playlist(const QString& name, const QString& pkg,
                                      const QString& rendition, const QString& bits) {
    QString text = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
                   "#EXT-X-PLAYLIST-TYPE:VOD\n";
    for (int n = 0; n < bits.size(); ++n) {
        text += QString("#EXTINF:2.000,\n%1/%2/%3/%4.ts\n")
                    .arg(pkg, rendition, bits[n] == 'B' ? "b" : "a")
                    .arg(n);
    }
    text += "#EXT-X-ENDLIST\n";
    QFile out(path(name + ".m3u8"));
    out.open(QIODevice::WriteOnly);
    out.write(text.toUtf8());
    out.close();
    return path(name + ".m3u8");
}

QString TestForensicAttacks::leak(const QString& name, const QStringList& encodeArgs) {
    playlist(name, "pkg", rendition_, kBits);
    const QString copy = path(name + ".mp4");
    const auto r =
        mediatest::ffmpeg(QStringList{"-allowed_extensions", "ALL", "-i", path(name + ".m3u8")} +
                          encodeArgs + QStringList{"-an", copy});
    if (r.exitCode != 0) {
        qWarning().noquote() << r.err;
    }
    return r.exitCode == 0 ? copy : QString();
}

QString TestForensicAttacks::packageLavfi(const QString& name, const QString& lavfi,
                                          const QString& crf, const QString& seed, int seconds) {
    const auto made = mediatest::ffmpeg({"-f", "lavfi", "-i", lavfi, "-t", QString::number(seconds),
                                         "-c:v", "libx264", "-preset", "ultrafast", "-crf", crf,
                                         "-pix_fmt", "yuv420p", path(name + ".mp4")});
    if (made.exitCode != 0) {
        return QString::fromUtf8(made.err);
    }
    const auto packaged = mediatest::encode({"transcode", path(name + ".mp4"), path(name + "pkg"),
                                             "--preset", "draft", "--ab", "--segment-seconds", "2",
                                             "--mark-seed", seed, "--quiet"});
    return packaged.exitCode == 0 ? QString() : QString::fromUtf8(packaged.err);
}

DetectionReport TestForensicAttacks::detectCaptured(const QString& name, const QString& bits,
                                                    const QString& filter) {
    playlist(name, name + "pkg", "360p", bits);
    const auto copied = mediatest::ffmpeg(
        {"-allowed_extensions", "ALL", "-i", path(name + ".m3u8"), "-vf", filter, "-c:v", "libx264",
         "-b:v", "900k", "-maxrate", "1M", "-bufsize", "2M", "-an", path(name + "copy.mp4")});
    if (copied.exitCode != 0) {
        qWarning().noquote() << copied.err;
    }
    return ForensicDetector(path(name + "pkg").toStdString())
        .detect(path(name + "copy.mp4").toStdString());
}

QString TestForensicAttacks::readBits(const DetectionReport& report) {
    QString bits;
    int wrong = 0;
    for (const SlotReading& s : report.readings) {
        bits += slotBitName(s.bit);
        if (s.bit != SlotBit::Unknown && QString(slotBitName(s.bit))[0] != kBits[bits.size() - 1]) {
            ++wrong;
        }
    }
    qInfo("read %s (%d wrong), offset %.2f s, speed %.4f, crop %.3f %.3f %.3f %.3f",
          qPrintable(bits), wrong, report.offsetSeconds, report.speed, report.cropLeft,
          report.cropTop, report.cropRight, report.cropBottom);
    if (wrong > 0) {
        return QString("%1 wrong: %2").arg(wrong).arg(bits);
    }
    return bits;
}

// Played at 1.04x (a common trick against fingerprint matching): the time line drifts 2.3 s over
// the copy, so no single offset fits it.
void TestForensicAttacks::fasterCopyReads() {
    const QString copy = leak("faster", {"-vf", "setpts=PTS/1.04,scale=-2:240", "-r", "30", "-c:v",
                                         "libx264", "-crf", "28"});
    QVERIFY(!copy.isEmpty());
    const QString bits = readBits(copy);
    QCOMPARE(bits.size(), kBits.size());
    QCOMPARE(bits.count('?'), 0);
}

// Ten seconds removed from the middle (package 26..36 s): the slots whose mark window falls in
// the cut are unknown, every other slot reads, on both sides of the cut.
void TestForensicAttacks::copyWithCutReads() {
    const QString copy =
        leak("cut", {"-vf", "select='not(between(t,26,36))',setpts=N/30/TB,scale=-2:240", "-r",
                     "30", "-c:v", "libx264", "-crf", "28"});
    QVERIFY(!copy.isEmpty());
    const QString bits = readBits(copy);
    QCOMPARE(bits.size(), kBits.size());
    for (int n = 0; n < kBits.size(); ++n) {
        const bool cut = n >= 13 && n <= 17; // windows 26-27 s .. 34-35 s
        QVERIFY2(cut || bits[n] != '?', qPrintable(QString("slot %1 unread: %2").arg(n).arg(bits)));
        QVERIFY2(!cut || bits[n] == '?',
                 qPrintable(QString("slot %1 read inside the cut: %2").arg(n).arg(bits)));
    }
}

// A screen capture of a player window: a light title bar (28 px at 1366x768) above the picture,
// a dark task bar (40 px) below it, the whole screen scaled to 1920x1080, with the capture's
// gamma, contrast, blur, 25 fps and noise. Neither bar may pull the picture rectangle off.
void TestForensicAttacks::captureWithWindowChromeReads() {
    const QString copy =
        leak("chrome",
             {"-t", "16", "-vf",
              "scale=1366:768,pad=1366:796:0:28:color=0xE6E6E6,pad=1366:836:0:0:color=0x1E1E1E,"
              "scale=1920:1080,eq=gamma=1.15:contrast=0.9,gblur=sigma=1.5,fps=25,"
              "noise=alls=6:allf=t",
              "-c:v", "libx264", "-preset", "veryfast", "-crf", "28"});
    QVERIFY(!copy.isEmpty());
    const DetectionReport report =
        ForensicDetector(path("pkg").toStdString()).detect(copy.toStdString());
    // The picture spans rows 28..796 of 836: package coordinates -28/768 .. 808/768.
    QVERIFY2(std::abs(report.cropTop + 28.0 / 768) < 0.01 &&
                 std::abs(report.cropBottom - 808.0 / 768) < 0.01 &&
                 std::abs(report.cropLeft) < 0.01 && std::abs(report.cropRight - 1) < 0.01,
             qPrintable(QString("%1 %2 %3 %4")
                            .arg(report.cropLeft)
                            .arg(report.cropTop)
                            .arg(report.cropRight)
                            .arg(report.cropBottom)));
    const QString bits = readBits(report);
    QCOMPARE(bits.left(8), kBits.left(8)); // 16 s: the first 8 slots
    QCOMPARE(bits.mid(8).count('?'), kBits.size() - 8);
}

// Fast motion: a continuous zoom into the Mandelbrot set (self-similar: the picture scaled
// looks like the picture a moment later) under the screen-capture attack (1366x768 in a black
// 1920x1080 frame, gamma, contrast, blur, noise, 25 fps, 480p at 900 kb/s). A rectangle fit that
// ignores the border traded scale for time here and read nothing; the border rows must count.
void TestForensicAttacks::zoomUnderScreenCaptureReads() {
    const QString bits = "AABBABBA";
    DetectionReport report;
    const QString failed = captureLavfi(
        "zoom", "mandelbrot=size=320x180:rate=30,scale=640:360", "16", "99", 16, bits,
        "scale=1366:768,pad=1920:1080:277:156:black,eq=gamma=1.15:contrast=0.9:brightness=0.03,"
        "gblur=sigma=1.5,noise=alls=6:allf=t,fps=25,scale=-2:480",
        report);
    QVERIFY2(failed.isEmpty(), qPrintable(failed));
    QString read;
    for (const SlotReading& s : report.readings) {
        read += slotBitName(s.bit);
    }
    qInfo("zoom capture: read %s, crop %.3f %.3f %.3f %.3f", qPrintable(read), report.cropLeft,
          report.cropTop, report.cropRight, report.cropBottom);
    QVERIFY2(std::abs(report.cropLeft + 277.0 / 1366) < 0.02 &&
                 std::abs(report.cropRight - 1643.0 / 1366) < 0.02,
             qPrintable(QString("%1 %2").arg(report.cropLeft).arg(report.cropRight)));
    QCOMPARE(read, bits);
}

// Detection streams: memory must not grow with the recording (a 2-hour film traces within 1 GB).
// Three minutes at 160x90: reading the whole copy and every package window frame into memory
// took ~170 MB here (the grids do not shrink with the picture); streaming stays near the
// process's fixed ~70-100 MB.
void TestForensicAttacks::longRecordingTracesInLittleMemory() {
    constexpr int kLongSeconds = 180;
    QVERIFY(
        mediatest::makeSource(path("long.mp4"), "160x90", kLongSeconds, false,
                              {"-vf", "color=c=0x202020:s=40x30[box];[in][box]overlay="
                                      "x='60+50*sin(t*0.7)':y='30+27*sin(t*0.31)':shortest=1"}));
    const auto made =
        mediatest::encode({"transcode", path("long.mp4"), path("longpkg"), "--preset", "draft",
                           "--ab", "--segment-seconds", "2", "--mark-seed", "77", "--quiet"});
    QVERIFY2(made.exitCode == 0, made.err.constData());
    const QJsonObject manifest = mediatest::readJson(path("longpkg/manifest.json"));
    const QString rendition = manifest["renditions"].toArray().last().toObject()["name"].toString();
    QString bits;
    for (int n = 0; n < kLongSeconds / 2; ++n) {
        bits += kBits[n % kBits.size()] == kBits[(n / kBits.size()) % kBits.size()] ? 'A' : 'B';
    }
    playlist("long", "longpkg", rendition, bits);
    const auto copied =
        mediatest::ffmpeg({"-allowed_extensions", "ALL", "-i", path("long.m3u8"), "-c:v", "libx264",
                           "-preset", "veryfast", "-crf", "28", "-an", path("longcopy.mp4")});
    QVERIFY2(copied.exitCode == 0, copied.err.constData());
    const auto r = mediatest::encode({"detect", path("longcopy.mp4"), path("longpkg"), "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject report = QJsonDocument::fromJson(r.out).object();
    QString read;
    for (const auto& slot : report["slots"].toArray()) {
        read += slot.toObject()["bit"].toString();
    }
    const double peakMb = report["peak_memory_mb"].toDouble();
    qInfo("3 min at 160x90: peak memory %.1f MB", peakMb);
    QCOMPARE(read, bits);
    QVERIFY2(peakMb > 0 && peakMb < 130, qPrintable(QString::number(peakMb)));
}

// The embedder on a saturated binary texture (pixels at 0 or 255, as a cellular automaton
// draws): the 16x16 block means of (A - B) / 2, which is what survives scaling and coding, must
// carry the mark boosted (the texture hides it; x264 at ladder bitrates quantises a 3-level
// mark away there). Before: half the pixels clipped and no boost, slope ~0.5. On a smooth
// picture the mark is exactly the designed one (gain 1).
void TestForensicAttacks::markIsBoostedOnlyInDenseTexture() {
    constexpr int kW = 320, kH = 176, kBlock = 16;
    const ForensicMark mark(ForensicMarkSpec{});
    const std::vector<float> offsets = mark.lumaOffsets(kW, kH);
    auto slope = [&](const std::vector<std::uint8_t>& picture, double* psnr) {
        std::vector<std::uint8_t> a = picture, b = picture;
        ForensicMark::apply(a.data(), kW, kW, kH, offsets, 1.0);
        ForensicMark::apply(b.data(), kW, kW, kH, offsets, -1.0);
        double xy = 0, xx = 0, err = 0;
        for (int by = 0; by < kH / kBlock; ++by) {
            for (int bx = 0; bx < kW / kBlock; ++bx) {
                double diff = 0, designed = 0;
                for (int y = by * kBlock; y < (by + 1) * kBlock; ++y) {
                    for (int x = bx * kBlock; x < (bx + 1) * kBlock; ++x) {
                        const auto i = static_cast<std::size_t>(y * kW + x);
                        diff += (a[i] - b[i]) / 2.0;
                        designed += offsets[i];
                        err += (a[i] - picture[i]) * (a[i] - picture[i]);
                    }
                }
                xy += diff * designed;
                xx += designed * designed;
            }
        }
        *psnr = 10 * std::log10(255.0 * 255.0 / (err / (kW * kH)));
        return xy / xx;
    };
    std::vector<std::uint8_t> texture(kW * kH), smooth(kW * kH);
    std::uint32_t state = 12345;
    for (std::size_t i = 0; i < texture.size(); ++i) {
        state = state * 1664525u + 1013904223u;
        texture[i] = (state >> 31) != 0 ? 255 : 0;
        smooth[i] = static_cast<std::uint8_t>(60 + (i % kW) * 120 / kW);
    }
    double texturePsnr = 0, smoothPsnr = 0;
    const double onTexture = slope(texture, &texturePsnr);
    const double onSmooth = slope(smooth, &smoothPsnr);
    qInfo("mark on binary texture: slope %.2f, PSNR of A %.1f dB; on a smooth ramp: slope %.2f, "
          "PSNR %.1f dB",
          onTexture, texturePsnr, onSmooth, smoothPsnr);
    QVERIFY2(onTexture > 3, qPrintable(QString::number(onTexture)));
    QVERIFY2(std::abs(onSmooth - 1) < 0.02, qPrintable(QString::number(onSmooth)));
    QVERIFY(smoothPsnr > 40);
}

// A cellular automaton (ffmpeg cellauto, rule 110: pixels at 0 or 255, a new row every frame)
// re-encoded to 480p at 900 kb/s: about half the slots read, none wrongly (x264 at the ladder's 800
// kb/s and then at 900 kb/s still keeps only part of the boosted mark: |gamma| 0.1-0.6). Before,
// the mark was clipped on half the pixels and quantised away on the rest (|gamma| 0.05-0.18 after
// this attack, below the 0.35 floor), and the reference fingerprints, nearly flat on such texture,
// were matched by the mark once it was strong enough to read (B windows lost their frames): 0 slots
// read.
void TestForensicAttacks::denseTextureReads() {
    const QString failed = packageLavfi(
        "cells", "cellauto=size=640x360:rate=30:rule=110:start_full=1:random_seed=7", "10", "110");
    QVERIFY2(failed.isEmpty(), qPrintable(failed));
    const QString bits = "ABBABAAB";
    playlist("cells", "cellspkg", "360p", bits);
    const auto copied =
        mediatest::ffmpeg({"-allowed_extensions", "ALL", "-i", path("cells.m3u8"), "-vf",
                           "scale=-2:480", "-c:v", "libx264", "-b:v", "900k", "-maxrate", "1M",
                           "-bufsize", "2M", "-an", path("cellscopy.mp4")});
    QVERIFY2(copied.exitCode == 0, copied.err.constData());
    const DetectionReport report = ForensicDetector(path("cellspkg").toStdString())
                                       .detect(path("cellscopy.mp4").toStdString());
    QString read;
    QString gains;
    for (const SlotReading& s : report.readings) {
        read += slotBitName(s.bit);
        gains += QString(" %1").arg(s.gamma, 0, 'f', 2);
    }
    qInfo("cellauto 480p 900 kb/s: read %s, gamma%s", qPrintable(read), qPrintable(gains));
    for (int n = 0; n < bits.size(); ++n) {
        QVERIFY2(read[n] == '?' || read[n] == bits[n], qPrintable(read));
    }
    QVERIFY2(read.count('?') <= bits.size() - 3, qPrintable(read)); // 4-6 read in 5 runs
}

// Rule 110 settles after a few thousand generations into its periodic background with a few
// gliders: the 4x4 time fingerprints are flat, and what was left in them was the mark. The
// reference prints of window frames came from variant A, so A copies matched there and B copies
// anti-matched: their window frames were placed in other segments (a 6-minute recording traced
// in 4-minute windows read 11-18% of its slots wrong, and its bit-exact copy 7 of 180). Window
// frames are now fingerprinted as (A + B) / 2. Screen capture at 480p: every slot keeps 23-27 of 25
// window frames and the fitted gain has the viewer's sign in every slot (before: 6-23 frames in
// some slots, gains near 0). (A stretch of pure background, 24 s from generation 9000, has no
// time structure at all and is refused as not matching.) The package's own encoder keeps only
// part of the mark on this texture (|gamma| 0.1-0.6 in the copy, z 4-30): the gain floor (0.35
// of the designed mark) left 15 of 20 slots unread; it is now relative to what the package's A
// and B carry per slot (down to a third of it), and 16-19 read, all right. The creator's source
// (its first 16 s) re-encoded to 480p still reads nothing (|gamma| <= 0.08 there).
void TestForensicAttacks::settledDenseTextureKeepsItsTime() {
    const QString bits = "ABBABAABBABBBAABABAB";
    DetectionReport report;
    const QString failed = captureLavfi(
        "ether",
        "cellauto=size=640x360:rate=30:rule=110:start_full=1:random_seed=7,"
        "trim=start_frame=9000,setpts=PTS-STARTPTS",
        "10", "110", 40, bits,
        "scale=607:341,pad=854:480:123:69:black,eq=gamma=1.15:contrast=0.9:brightness=0.03,"
        "gblur=sigma=0.67,noise=alls=6:allf=t,fps=25",
        report);
    QVERIFY2(failed.isEmpty(), qPrintable(failed));
    QString read, detail;
    int signRight = 0, framesMissing = 0; // slots missing a fifth of their window frames
    for (const SlotReading& s : report.readings) {
        const auto n = static_cast<int>(s.slot);
        read += slotBitName(s.bit);
        detail += QString(" %1/%2").arg(s.gamma, 0, 'f', 2).arg(s.framesUsed);
        signRight += (s.z > 0) == (bits[n] == 'A') ? 1 : 0;
        framesMissing += s.framesUsed < 20 ? 1 : 0; // of 25 (before: 6, 13, 15)
        QVERIFY2(read[n] == '?' || read[n] == bits[n], qPrintable(read));
    }
    qInfo("settled cellauto, capture 480p: read %s, gamma/frames%s", qPrintable(read),
          qPrintable(detail));
    QCOMPARE(framesMissing, 0);
    QCOMPARE(signRight, bits.size());
    QVERIFY2(read.count('?') <= 8, qPrintable(read)); // before: 15 unread
    const auto source =
        mediatest::ffmpeg({"-i", path("ether.mp4"), "-t", "16", "-vf", "scale=-2:480", "-c:v",
                           "libx264", "-b:v", "900k", "-an", path("ether480.mp4")});
    QVERIFY2(source.exitCode == 0, source.err.constData());
    const QString pristine = readBits(ForensicDetector(path("etherpkg").toStdString())
                                          .detect(path("ether480.mp4").toStdString()));
    QCOMPARE(pristine.count('?'), bits.size());
}

QTEST_GUILESS_MAIN(TestForensicAttacks)
#include "tst_forensicattacks.moc"
