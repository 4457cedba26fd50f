#pragma once
// PresetCatalog: the ladder presets a creator can pick: the engine's built-ins
// (LadderPreset::builtinNames) and their own preset JSON files, imported into
// <app data>/presets/<name>.json after LadderPreset::fromJson accepted them (older versions are
// upgraded and saved in the current format). Stateless apart from that folder. GUI thread.
// A preset also says which protections the Transcode page ticks by default: forensic A/B
// variants and AES-128 are on unless its JSON turns them off with
// "protection": {"forensic_ab": false, "aes128": false} (either may be left out).

#include <QString>
#include <QStringList>

namespace reelgate::media {
struct LadderPreset;
}

struct PresetProtection {
    bool forensicAb = true;
    bool aes128 = true;
};

class PresetCatalog {
public:
    static QString directory();

    QStringList names() const; // built-ins first, then the user's, sorted
    bool isBuiltin(const QString& name) const;
    // Validates and copies a preset file into the folder. Returns its name, or an empty string
    // and *error ("not valid JSON ...", "preset segment_ms must be ...") when it was refused.
    QString importFile(const QString& path, QString* error) const;
    bool remove(const QString& name) const; // user presets only
    // Loads a built-in or user preset by name; false and *error when it cannot.
    bool load(const QString& name, reelgate::media::LadderPreset& out, QString* error) const;
    // One line for the UI: "240p, 360p, 480p · 4 s segments · x264 superfast".
    QString summary(const QString& name) const;
    // The preset's default protections (both on for built-ins and for an unreadable preset).
    PresetProtection protection(const QString& name) const;
};
