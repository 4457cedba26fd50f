// WatermarkSpec (the JSON the web player reads) and WatermarkPainter (the shared rendering
// rule): exact shape and defaults, refusal of bad values, template substitution, and positions
// checked against tests/data/watermark_vectors.json.

#include "reelgate/core/WatermarkMotion.h"
#include "reelgate/media/PackageManifest.h"
#include "watermark/WatermarkPainter.h"
#include "watermark/WatermarkSpec.h"

#include <QFile>
#include <QFontMetrics>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QTimeZone>

#include <cmath>

class TestWatermarkSpec : public QObject {
    Q_OBJECT

private slots:
    void defaultsAreTheEnginesShape() {
        const QJsonObject json = WatermarkSpec::defaults().toJson();
        const QJsonObject expected =
            QJsonDocument::fromJson(
                "{\"template\":\"{username} {time}\",\"font_size_pct\":3.5,"
                "\"opacity\":0.35,\"color\":\"#ffffff\",\"box\":true,\"box_color\":\"#000000\","
                "\"box_opacity\":0.35,\"interval_ms\":5000,\"margin_pct\":3.0,\"motion\":\"hash-"
                "v1\","
                "\"seed\":0}")
                .object();
        QCOMPARE(json, expected);
        // The manifest default has the same fields (seed absent there, meaning 0).
        QJsonObject engine = QJsonDocument::fromJson(
                                 QByteArray::fromStdString(
                                     reelgate::media::PackageManifest::defaultWatermark().dump()))
                                 .object();
        engine.insert("seed", 0);
        QCOMPARE(engine, expected);
    }

    void roundTripsExactly() {
        const QByteArray text =
            "{\"template\":\"{username} · {date}\",\"font_size_pct\":5,\"opacity\":0.5,"
            "\"color\":\"#ffcc00\",\"box\":false,\"box_color\":\"#102030\",\"box_opacity\":0.2,"
            "\"interval_ms\":7000,\"margin_pct\":2.5,\"motion\":\"hash-v1\",\"seed\":4294967295}";
        QString error;
        const auto spec = WatermarkSpec::fromJsonText(text, &error);
        QVERIFY2(spec, qPrintable(error));
        QCOMPARE(spec->seed, 4294967295U);
        QCOMPARE(spec->intervalMs, 7000);
        QCOMPARE(spec->color, QColor("#ffcc00"));
        QVERIFY(!spec->box);
        QCOMPARE(QJsonDocument::fromJson(spec->toJsonText()).object(),
                 QJsonDocument::fromJson(text).object());
        // Missing fields take the defaults.
        const auto partial = WatermarkSpec::fromJsonText("{\"seed\":7}", &error);
        QVERIFY(partial);
        WatermarkSpec expected = WatermarkSpec::defaults();
        expected.seed = 7;
        QVERIFY(*partial == expected);
    }

    void refusesBadValues_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("font size text") << QByteArray("{\"font_size_pct\":\"big\"}")
                                        << "\"font_size_pct\" must be a number from 0.5 to 20";
        QTest::newRow("opacity above 1")
            << QByteArray("{\"opacity\":2}") << "\"opacity\" must be a number from 0.05 to 1";
        QTest::newRow("colour name")
            << QByteArray("{\"color\":\"white\"}") << "\"color\" must be a colour like \"#ffffff\"";
        QTest::newRow("interval 0") << QByteArray("{\"interval_ms\":0}")
                                    << "\"interval_ms\" must be a number from 500 to 3600000";
        QTest::newRow("negative seed")
            << QByteArray("{\"seed\":-1}") << "\"seed\" must be a number from 0 to 4294967295";
        QTest::newRow("fractional seed")
            << QByteArray("{\"seed\":1.5}") << "\"seed\" must be whole numbers";
        QTest::newRow("other motion")
            << QByteArray("{\"motion\":\"sine-v2\"}") << "motion \"sine-v2\" is not supported";
        QTest::newRow("empty template") << QByteArray("{\"template\":\"  \"}")
                                        << "\"template\" must be a text of 1 to 200 characters";
        QTest::newRow("box text") << QByteArray("{\"box\":\"yes\"}")
                                  << "\"box\" must be true or false";
        QTest::newRow("not an object") << QByteArray("[1,2]") << "not a JSON object";
        QTest::newRow("broken") << QByteArray("{\"seed\":") << "not a JSON object";
    }

    void refusesBadValues() {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        QString error;
        QVERIFY(!WatermarkSpec::fromJsonText(json, &error));
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    void substitutesTheTemplate() {
        WatermarkSpec spec;
        spec.templateText = "{username} watched on {date} at {time} ({username})";
        const QDateTime utc(QDate(2024, 3, 5), QTime(7, 8, 9), QTimeZone::utc());
        QCOMPARE(spec.renderText("ann", utc),
                 QString("ann watched on 2024-03-05 at 07:08:09 (ann)"));
        // Local times are shown in UTC, 24 h: 23:30 at UTC-2 is 01:30 the next day.
        const QDateTime local(QDate(2024, 12, 31), QTime(23, 30, 0), QTimeZone(-2 * 3600));
        QCOMPARE(spec.renderText("bo", local),
                 QString("bo watched on 2025-01-01 at 01:30:00 (bo)"));
    }

    void placesLikeTheSharedVectors() {
        QFile file(QString(REELGATE_TEST_DATA_DIR) + "/watermark_vectors.json");
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonArray cases =
            QJsonDocument::fromJson(file.readAll()).object()["cases"].toArray();
        QVERIFY(cases.size() > 20);
        int checked = 0;
        for (const QJsonValue& value : cases) {
            const QJsonObject c = value.toObject();
            const qint64 intervalMs = c["interval_ms"].toInteger();
            if (intervalMs > std::numeric_limits<int>::max())
                continue; // the spec's interval is an int of milliseconds
            WatermarkSpec spec;
            spec.seed = static_cast<quint32>(c["seed"].toInteger());
            spec.intervalMs = static_cast<int>(intervalMs);
            const int frameH = c["frame_h"].toInt();
            spec.marginPct = c["margin_px"].toInt() * 100.0 / frameH;
            QCOMPARE(WatermarkPainter::marginPx(spec, frameH), c["margin_px"].toInt());
            const QPoint at = WatermarkPainter::position(
                spec, QSize(c["frame_w"].toInt(), frameH),
                QSize(c["box_w"].toInt(), c["box_h"].toInt()), c["t_ms"].toInteger());
            QCOMPARE(at, QPoint(c["x"].toInt(), c["y"].toInt()));
            ++checked;
        }
        QVERIFY(checked >= cases.size() - 3);
    }

    void boxIsTextPlusPadding() {
        WatermarkSpec spec = WatermarkSpec::defaults();
        spec.seed = 42;
        const QString text = "sample_viewer 12:34:56";
        const QSize video(1280, 720);
        const WatermarkLayout layout = WatermarkPainter::layout(spec, text, video, 12345);
        QCOMPARE(layout.fontPx, 25);   // round(3.5 % of 720) = round(25.2)
        QCOMPARE(layout.marginPx, 22); // round(3 % of 720) = round(21.6)
        QCOMPARE(layout.paddingPx, 6); // round(0.25 * 25) = round(6.25)
        const QFontMetrics metrics(WatermarkPainter::font(25));
        QCOMPARE(layout.box.size(),
                 QSize(metrics.horizontalAdvance(text) + 12, metrics.height() + 12));
        const auto point = reelgate::core::motionAt(42, 12345, 5000);
        const auto expected = reelgate::core::placeMark(point, 1280, 720, layout.box.width(),
                                                        layout.box.height(), 22);
        QCOMPARE(layout.box.topLeft(), QPoint(expected.xPx, expected.yPx));
        QCOMPARE(layout.textRect, layout.box.adjusted(6, 6, -6, -6));
    }
};

QTEST_MAIN(TestWatermarkSpec)
#include "tst_watermarkspec.moc"
