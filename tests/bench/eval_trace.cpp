// Leak-trace evaluation: generated sources of several kinds are packaged with A/B variants and
// published; buyers play sessions through the real server; one session per trial is recorded
// (ffmpeg as the client), attacked with the ffmpeg CLI and traced with `reelgate-server trace`.
// Prints: trials, named correctly, not identified, named wrongly, median trace time.
// Small size (CI, label integration): one source, two attacks. REELGATE_EVAL_FULL=1: every
// source and attack, 4-minute sources (the bench). Fails only when a wrong buyer is named or
// the machinery breaks, never because a copy was not identified.

#include "../media/MediaTestSupport.h"
#include "Marketplace.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>
#include <QUuid>

#include <algorithm>

using namespace reelgate::test;

namespace {

struct Source {
    QString name;
    QString lavfi; // ffmpeg lavfi graph of the picture
};

struct Attack {
    QString name;
    QStringList args; // ffmpeg arguments between the input and the output
};

const QList<Source> kSources = {
    {"testsrc2", "testsrc2=size=640x360:rate=30"},
    {"cellauto", "cellauto=size=640x360:rate=30:rule=110,format=yuv420p"},
    {"mandelbrot", "mandelbrot=size=320x180:rate=30,scale=640:360"},
    {"dark", "testsrc2=size=640x360:rate=30,eq=brightness=-0.25:contrast=0.35"},
    // A slow pan and zoom over one still picture (a photograph), and fast motion (a scroll of
    // 8 px a frame across, 1.4 down).
    {"photo pan",
     "mandelbrot=size=1280x720:rate=30:start_scale=0.3,trim=end_frame=1,loop=loop=-1:size=1,"
     "gblur=sigma=2,noise=alls=12,zoompan=z=1.6:x='(iw-iw/zoom)*(0.5+0.5*sin(on/90))':"
     "y='(ih-ih/zoom)*(0.5+0.5*cos(on/130))':d=1:s=640x360:fps=30"},
    {"fast scroll", "testsrc2=size=640x360:rate=30,scroll=h=0.012:v=0.004"},
};

const QList<Attack> kAttacks = {
    {"480p <= 1 Mbps",
     {"-vf", "scale=-2:480", "-c:v", "libx264", "-b:v", "900k", "-maxrate", "1M", "-bufsize",
      "2M"}},
    {"mirrored 480p", {"-vf", "hflip,scale=-2:480", "-c:v", "libx264", "-crf", "28"}},
    {"screen capture",
     {"-vf",
      "scale=1366:768,pad=1920:1080:277:156:black,eq=gamma=1.15:contrast=0.9:brightness=0.03,"
      "gblur=sigma=1.5,noise=alls=6:allf=t,fps=25,scale=-2:480",
      "-c:v", "libx264", "-b:v", "900k", "-maxrate", "1M", "-bufsize", "2M"}},
    {"excerpt 100 s",
     {"-ss", "30", "-t", "100", "-vf", "scale=-2:480", "-c:v", "libx264", "-crf", "28"}},
    {"speed 1.04x",
     {"-vf", "setpts=PTS/1.04,scale=-2:480", "-r", "30", "-c:v", "libx264", "-crf", "28"}},
    {"window chrome capture",
     {"-vf",
      "scale=1366:768,pad=1366:796:0:28:color=0xE6E6E6,pad=1366:836:0:0:color=0x1E1E1E,"
      "scale=1920:1080,eq=gamma=1.15:contrast=0.9,gblur=sigma=1.5,noise=alls=6:allf=t,fps=25,"
      "scale=-2:480",
      "-c:v", "libx264", "-b:v", "900k", "-maxrate", "1M", "-bufsize", "2M"}},
    {"10 s cut at 60 s",
     {"-vf", "select='not(between(t,60,70))',setpts=N/30/TB,scale=-2:480", "-r", "30", "-c:v",
      "libx264", "-crf", "28"}},
};

constexpr int kLongMs = 1800000;

mediatest::ProcessResult longFfmpeg(const QStringList& args) {
    return mediatest::run(REELGATE_FFMPEG, QStringList{"-v", "error", "-y"} + args, kLongMs);
}

} // namespace

class EvalTrace : public QObject {
    Q_OBJECT

    Marketplace market_;
    QString path(const QString& name) const { return market_.workDir() + "/" + name; }

private slots:
    void evaluate() {
        const bool full = qEnvironmentVariableIntValue("REELGATE_EVAL_FULL") == 1;
        const int seconds = full ? 240 : 110;
        const int buyers = 3;
        QVERIFY2(market_.start(), qPrintable(market_.server().log()));
        QVERIFY(market_.signUp("maker", true));
        for (int b = 0; b < buyers; ++b)
            QVERIFY(market_.signUp(QString("buyer%1").arg(b)));
        int trials = 0, right = 0, none = 0, wrong = 0;
        QList<qint64> traceMs;
        QStringList rows;
        const auto sources = full ? kSources : kSources.mid(0, 1);
        const auto attacks = full ? kAttacks : kAttacks.mid(0, 2);
        for (const Source& source : sources) {
            const QString src = path(source.name + ".mp4");
            const auto made =
                longFfmpeg({"-f", "lavfi", "-i", source.lavfi, "-t", QString::number(seconds),
                            "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", src});
            QVERIFY2(made.exitCode == 0, made.err.constData());
            const auto encoded = mediatest::encode({"transcode", src, path(source.name + "-pkg"),
                                                    "--preset", "draft", "--ab", "--quiet"},
                                                   kLongMs);
            QVERIFY2(encoded.exitCode == 0, encoded.err.constData());
            const QString video = market_.publishDir(path(source.name + "-pkg"), "maker",
                                                     source.name, "1.00", "USD", 0);
            QVERIFY(!video.isEmpty());
            for (int a = 0; a < attacks.size(); ++a) {
                const QString leaker = QString("buyer%1").arg(a % buyers);
                QString leakedUrl;
                for (int b = 0; b < buyers; ++b) {
                    const QString name = QString("buyer%1").arg(b);
                    QVERIFY(market_.credit(name, "1", "USD"));
                    market_.client(name)->send(
                        "POST", "/api/videos/" + video + "/purchase", {}, {},
                        {{"Idempotency-Key", QUuid::createUuid().toByteArray()}});
                    const auto r = market_.client(name)->send(
                        "POST", "/api/videos/" + video + "/play", {}, {});
                    QCOMPARE(r.status, 201);
                    if (name == leaker)
                        leakedUrl =
                            r.json().object()["session"].toObject()["master_url"].toString();
                }
                const QString recording = path(QString("%1-%2.ts").arg(source.name).arg(a));
                const auto recorded = mediatest::ffmpeg(
                    {"-headers",
                     "Authorization: Bearer " + QString::fromUtf8(market_.token(leaker)) + "\r\n",
                     "-i", market_.server().baseUrl() + leakedUrl, "-map", "0:v:0", "-c", "copy",
                     recording});
                QVERIFY2(recorded.exitCode == 0, recorded.err.constData());
                const QString copy = path(QString("%1-%2.mp4").arg(source.name).arg(a));
                const auto attacked = longFfmpeg(QStringList{"-i", recording} + attacks[a].args +
                                                 QStringList{"-an", copy});
                QVERIFY2(attacked.exitCode == 0, attacked.err.constData());
                QElapsedTimer timer;
                timer.start();
                const auto traced = market_.cli({"trace", copy, "--video", video, "--json"});
                traceMs << timer.elapsed();
                const auto result = QJsonDocument::fromJson(traced.out.toUtf8()).object();
                QString outcome = "not identified";
                ++trials;
                const QJsonArray named = result["named"].toArray();
                bool wrongName = false;
                for (const auto& n : named)
                    wrongName |= n.toObject()["user"].toObject()["username"].toString() != leaker;
                if (wrongName) {
                    ++wrong;
                    outcome = "NAMED WRONGLY";
                } else if (!named.isEmpty()) {
                    ++right;
                    outcome = "named correctly";
                } else {
                    ++none;
                    if (traced.exitCode != 0 && traced.exitCode != 3)
                        outcome = "refused: " + traced.err.trimmed().left(80);
                }
                rows << QString("| %1 | %2 | %3 | %4/%5 read | %6 s |")
                            .arg(source.name, attacks[a].name, outcome)
                            .arg(result["slots"].toObject()["agreeing"].toInt())
                            .arg(result["slots"].toObject()["informative"].toInt())
                            .arg(timer.elapsed() / 1000.0, 0, 'f', 1);
            }
        }
        std::sort(traceMs.begin(), traceMs.end());
        const double median = traceMs.isEmpty() ? 0 : traceMs[traceMs.size() / 2] / 1000.0;
        QString table =
            "| source | attack | outcome | agreeing | trace time |\n|---|---|---|---|---|\n";
        for (const QString& row : rows)
            table += row + "\n";
        table += QString("\ntrials %1, named correctly %2, not identified %3, named wrongly %4, "
                         "median trace time %5 s (%6 s sources, %7 buyers, 2 s segments)\n")
                     .arg(trials)
                     .arg(right)
                     .arg(none)
                     .arg(wrong)
                     .arg(median, 0, 'f', 1)
                     .arg(seconds)
                     .arg(buyers);
        qInfo().noquote() << "\n" << table;
        QCOMPARE(wrong, 0);
    }
};

QTEST_MAIN(EvalTrace)
#include "eval_trace.moc"
