#pragma once
// WatermarkSpec: the visible viewer watermark as the creator designed it. Its JSON is the exact
// shape the buyer's web player and manifest.json use (snake_case, no extra fields):
//   {"template":"{username} {time}","font_size_pct":3.5,"opacity":0.35,"color":"#ffffff",
//    "box":true,"box_color":"#000000","box_opacity":0.35,"interval_ms":5000,"margin_pct":3.0,
//    "motion":"hash-v1","seed":<uint32>}
// The version of the shape is its "motion" ("hash-v1"): an unknown motion is refused, a missing
// field takes its default (PackageManifest::defaultWatermark()), a bad value is refused with a
// message naming the field. Plain value; thread: any.

#include <QColor>
#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

struct LibraryItem;

struct WatermarkSpec {
    static constexpr const char* kMotion = "hash-v1";
    static constexpr int kMinIntervalMs = 500;
    static constexpr int kMaxIntervalMs = 3600000;

    QString templateText = "{username} {time}";
    double fontSizePct = 3.5; // of the displayed video height
    double opacity = 0.35;    // of the text, 0..1
    QColor color = QColor("#ffffff");
    bool box = true;
    QColor boxColor = QColor("#000000");
    double boxOpacity = 0.35;
    int intervalMs = 5000;  // the mark jumps to a new place every intervalMs of playback
    double marginPct = 3.0; // of the displayed video height, kept free at every edge
    QString motion = kMotion;
    quint32 seed = 0; // chosen once per video

    // The engine's default (PackageManifest::defaultWatermark()), seed 0.
    static WatermarkSpec defaults();
    // The design new videos start from (StudioSettings), or defaults() when none was saved.
    static WatermarkSpec studioDefault();
    static void setStudioDefault(const WatermarkSpec& spec); // the seed is not kept there
    // What a video's viewers will see: its own design, else the studio default, with its seed.
    static WatermarkSpec forItem(const LibraryItem& item);
    // Missing fields take the defaults. nullopt and *error set when a value is bad.
    static std::optional<WatermarkSpec> fromJson(const QJsonObject& json, QString* error);
    static std::optional<WatermarkSpec> fromJsonText(const QByteArray& text, QString* error);
    QJsonObject toJson() const;
    QByteArray toJsonText() const; // compact UTF-8

    // The text a viewer sees: {username}, {time} (HH:MM:SS, 24 h, UTC) and {date} (YYYY-MM-DD,
    // UTC) replaced.
    QString renderText(const QString& username, const QDateTime& now) const;

    bool operator==(const WatermarkSpec&) const = default;
};
