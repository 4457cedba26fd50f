#include "transcode/PresetCatalog.h"

#include "reelgate/media/LadderPreset.h"
#include "reelgate/media/MediaError.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>

namespace {

bool parsePreset(const QByteArray& bytes, const QString& fileName,
                 reelgate::media::LadderPreset& out, QString* error) {
    const nlohmann::json json =
        nlohmann::json::parse(bytes.constData(), bytes.constData() + bytes.size(), nullptr, false);
    if (json.is_discarded()) {
        *error = QObject::tr("%1 is not valid JSON").arg(fileName);
        return false;
    }
    try {
        out = reelgate::media::LadderPreset::fromJson(json);
    } catch (const std::exception& e) {
        *error = QObject::tr("%1 is not a usable preset: %2").arg(fileName, e.what());
        return false;
    }
    return true;
}

// The optional "protection" block: an object of booleans; false and *error otherwise.
bool parseProtection(const nlohmann::json& json, PresetProtection& out, QString* error) {
    if (!json.is_object() || !json.contains("protection"))
        return true;
    const nlohmann::json& block = json["protection"];
    const auto flag = [&](const char* key, bool& value) {
        if (!block.contains(key))
            return true;
        if (!block[key].is_boolean())
            return false;
        value = block[key].get<bool>();
        return true;
    };
    if (!block.is_object() || !flag("forensic_ab", out.forensicAb) || !flag("aes128", out.aes128)) {
        *error = QObject::tr("\"protection\" must be {\"forensic_ab\": true or false, "
                             "\"aes128\": true or false}");
        return false;
    }
    return true;
}

} // namespace

QString PresetCatalog::directory() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/presets";
}

QStringList PresetCatalog::names() const {
    QStringList out;
    for (const std::string& name : reelgate::media::LadderPreset::builtinNames())
        out << QString::fromStdString(name);
    QStringList user;
    for (const QFileInfo& file : QDir(directory()).entryInfoList({"*.json"}, QDir::Files))
        user << file.completeBaseName();
    user.sort(Qt::CaseInsensitive);
    return out + user;
}

bool PresetCatalog::isBuiltin(const QString& name) const {
    for (const std::string& builtin : reelgate::media::LadderPreset::builtinNames()) {
        if (name == QString::fromStdString(builtin))
            return true;
    }
    return false;
}

QString PresetCatalog::importFile(const QString& path, QString* error) const {
    QString ignored;
    if (!error)
        error = &ignored;
    const QFileInfo info(path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QObject::tr("cannot read %1: %2").arg(info.fileName(), file.errorString());
        return {};
    }
    const QByteArray bytes = file.readAll();
    reelgate::media::LadderPreset preset;
    if (!parsePreset(bytes, info.fileName(), preset, error))
        return {};
    PresetProtection protection;
    const nlohmann::json source =
        nlohmann::json::parse(bytes.constData(), bytes.constData() + bytes.size(), nullptr, false);
    if (!parseProtection(source, protection, error)) {
        *error = info.fileName() + ": " + *error;
        return {};
    }
    // The preset's own name, unless it has none ("custom" is fromJson's fallback).
    QString name = QString::fromStdString(preset.name);
    if (name.isEmpty() || name == "custom")
        name = info.completeBaseName();
    name.replace(QRegularExpression("[^A-Za-z0-9 ._-]"), "_");
    name = name.trimmed();
    if (name.isEmpty() || name.startsWith('.')) {
        *error = QObject::tr("%1: the preset needs a name").arg(info.fileName());
        return {};
    }
    if (isBuiltin(name)) {
        *error = QObject::tr("%1: \"%2\" is the name of a built-in preset; give yours another "
                             "\"name\"")
                     .arg(info.fileName(), name);
        return {};
    }
    preset.name = name.toStdString();
    QDir().mkpath(directory());
    QSaveFile out(directory() + "/" + name + ".json");
    if (!out.open(QIODevice::WriteOnly)) {
        *error = out.errorString();
        return {};
    }
    nlohmann::json saved = preset.toJson();
    saved["protection"] = {{"forensic_ab", protection.forensicAb}, {"aes128", protection.aes128}};
    out.write(QByteArray::fromStdString(saved.dump(2)) + "\n");
    if (!out.commit()) {
        *error = out.errorString();
        return {};
    }
    return name;
}

bool PresetCatalog::remove(const QString& name) const {
    return !isBuiltin(name) && QFile::remove(directory() + "/" + name + ".json");
}

bool PresetCatalog::load(const QString& name, reelgate::media::LadderPreset& out,
                         QString* error) const {
    QString ignored;
    if (!error)
        error = &ignored;
    if (isBuiltin(name)) {
        out = reelgate::media::LadderPreset::builtin(name.toStdString());
        return true;
    }
    QFile file(directory() + "/" + name + ".json");
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QObject::tr("the preset \"%1\" is gone (it was removed from %2)")
                     .arg(name, directory());
        return false;
    }
    return parsePreset(file.readAll(), name + ".json", out, error);
}

QString PresetCatalog::summary(const QString& name) const {
    reelgate::media::LadderPreset preset;
    QString error;
    if (!load(name, preset, &error))
        return error;
    QStringList rungs;
    for (const reelgate::media::RungSpec& rung : preset.rungs)
        rungs << QString::fromStdString(rung.name);
    return QObject::tr("%1 · %2 s segments · x264 %3")
        .arg(rungs.join(", "))
        .arg(preset.segmentMs / 1000.0)
        .arg(QString::fromStdString(preset.x264Preset));
}

PresetProtection PresetCatalog::protection(const QString& name) const {
    PresetProtection out;
    if (isBuiltin(name))
        return out;
    QFile file(directory() + "/" + name + ".json");
    if (!file.open(QIODevice::ReadOnly))
        return out;
    const QByteArray bytes = file.readAll();
    const nlohmann::json json =
        nlohmann::json::parse(bytes.constData(), bytes.constData() + bytes.size(), nullptr, false);
    QString ignored;
    PresetProtection parsed;
    return parseProtection(json, parsed, &ignored) ? parsed : out;
}
