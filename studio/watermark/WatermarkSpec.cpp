#include "watermark/WatermarkSpec.h"

#include "common/StudioSettings.h"
#include "library/LibraryItem.h"
#include "reelgate/media/PackageManifest.h"

#include <QJsonDocument>
#include <QLocale>
#include <QRegularExpression>
#include <QTimeZone>

#include <cmath>

namespace {

QString number(double value) {
    return QLocale::c().toString(value, 'f', QLocale::FloatingPointShortest);
}

bool readNumber(const QJsonObject& json, const char* key, double min, double max, double& out,
                QString* error) {
    if (!json.contains(key))
        return true;
    const QJsonValue value = json.value(key);
    if (!value.isDouble() || !std::isfinite(value.toDouble()) || value.toDouble() < min ||
        value.toDouble() > max) {
        *error = QObject::tr("watermark \"%1\" must be a number from %2 to %3")
                     .arg(key, number(min), number(max));
        return false;
    }
    out = value.toDouble();
    return true;
}

bool readColor(const QJsonObject& json, const char* key, QColor& out, QString* error) {
    if (!json.contains(key))
        return true;
    static const QRegularExpression hex("^#[0-9a-fA-F]{6}$");
    const QString text = json.value(key).toString();
    if (!json.value(key).isString() || !hex.match(text).hasMatch()) {
        *error = QObject::tr("watermark \"%1\" must be a colour like \"#ffffff\"").arg(key);
        return false;
    }
    out = QColor(text);
    return true;
}

} // namespace

WatermarkSpec WatermarkSpec::defaults() {
    const std::string text = reelgate::media::PackageManifest::defaultWatermark().dump();
    QString error;
    auto spec = fromJsonText(QByteArray::fromStdString(text), &error);
    // The engine's default is valid by construction; fall back to the member defaults anyway.
    return spec ? *spec : WatermarkSpec{};
}

WatermarkSpec WatermarkSpec::studioDefault() {
    const auto saved = fromJsonText(StudioSettings().watermarkDefault(), nullptr);
    return saved ? *saved : defaults();
}

void WatermarkSpec::setStudioDefault(const WatermarkSpec& spec) {
    WatermarkSpec stored = spec;
    stored.seed = 0;
    StudioSettings().setWatermarkDefault(stored.toJsonText());
}

WatermarkSpec WatermarkSpec::forItem(const LibraryItem& item) {
    std::optional<WatermarkSpec> own;
    if (!item.watermarkJson.isEmpty())
        own = fromJsonText(item.watermarkJson.toUtf8(), nullptr);
    WatermarkSpec spec = own ? *own : studioDefault();
    spec.seed = item.watermarkSeed;
    return spec;
}

std::optional<WatermarkSpec> WatermarkSpec::fromJson(const QJsonObject& json, QString* error) {
    QString ignored;
    if (!error)
        error = &ignored;
    WatermarkSpec spec;
    if (json.contains("motion")) {
        spec.motion = json.value("motion").toString();
        if (spec.motion != kMotion) {
            *error = QObject::tr("watermark motion \"%1\" is not supported (this studio knows "
                                 "\"%2\")")
                         .arg(spec.motion, kMotion);
            return std::nullopt;
        }
    }
    if (json.contains("template")) {
        spec.templateText = json.value("template").toString();
        if (!json.value("template").isString() || spec.templateText.trimmed().isEmpty() ||
            spec.templateText.size() > 200) {
            *error = QObject::tr("watermark \"template\" must be a text of 1 to 200 characters");
            return std::nullopt;
        }
    }
    double interval = spec.intervalMs;
    double seed = 0;
    if (!readNumber(json, "font_size_pct", 0.5, 20, spec.fontSizePct, error) ||
        !readNumber(json, "opacity", 0.05, 1, spec.opacity, error) ||
        !readNumber(json, "box_opacity", 0, 1, spec.boxOpacity, error) ||
        !readNumber(json, "margin_pct", 0, 25, spec.marginPct, error) ||
        !readNumber(json, "interval_ms", kMinIntervalMs, kMaxIntervalMs, interval, error) ||
        !readNumber(json, "seed", 0, 4294967295.0, seed, error) ||
        !readColor(json, "color", spec.color, error) ||
        !readColor(json, "box_color", spec.boxColor, error))
        return std::nullopt;
    if (interval != std::floor(interval) || seed != std::floor(seed)) {
        *error = QObject::tr("watermark \"interval_ms\" and \"seed\" must be whole numbers");
        return std::nullopt;
    }
    spec.intervalMs = static_cast<int>(interval);
    spec.seed = static_cast<quint32>(seed);
    if (json.contains("box")) {
        if (!json.value("box").isBool()) {
            *error = QObject::tr("watermark \"box\" must be true or false");
            return std::nullopt;
        }
        spec.box = json.value("box").toBool();
    }
    return spec;
}

std::optional<WatermarkSpec> WatermarkSpec::fromJsonText(const QByteArray& text, QString* error) {
    if (text.isEmpty()) {
        if (error)
            *error = QObject::tr("watermark spec is empty");
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &parseError);
    if (!doc.isObject()) {
        if (error)
            *error =
                QObject::tr("watermark spec is not a JSON object (%1)")
                    .arg(parseError.error == QJsonParseError::NoError ? QObject::tr("wrong type")
                                                                      : parseError.errorString());
        return std::nullopt;
    }
    return fromJson(doc.object(), error);
}

QJsonObject WatermarkSpec::toJson() const {
    return {{"template", templateText},
            {"font_size_pct", fontSizePct},
            {"opacity", opacity},
            {"color", color.name(QColor::HexRgb)},
            {"box", box},
            {"box_color", boxColor.name(QColor::HexRgb)},
            {"box_opacity", boxOpacity},
            {"interval_ms", intervalMs},
            {"margin_pct", marginPct},
            {"motion", motion},
            {"seed", static_cast<qint64>(seed)}};
}

QByteArray WatermarkSpec::toJsonText() const {
    return QJsonDocument(toJson()).toJson(QJsonDocument::Compact);
}

QString WatermarkSpec::renderText(const QString& username, const QDateTime& now) const {
    const QDateTime utc = now.toUTC();
    QString text = templateText;
    text.replace("{username}", username);
    text.replace("{time}", utc.toString("HH:mm:ss"));
    text.replace("{date}", utc.toString("yyyy-MM-dd"));
    return text;
}
