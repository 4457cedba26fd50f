#pragma once
// Test helper: parses a package's HLS playlists and checks them against RFC 8216's rules that a
// player relies on. Returns an empty string when valid, else what is wrong.

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <cmath>

namespace mediatest {

struct MediaPlaylist {
    int targetDuration = 0;
    QStringList uris;
    QList<double> durations;
    QString keyLine;
};

// Parses and validates a VOD media playlist; segment URIs must exist next to it.
inline QString checkMediaPlaylist(const QString& path, MediaPlaylist& out) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return "cannot open " + path;
    }
    const QStringList lines = QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
    if (lines.value(0) != "#EXTM3U") {
        return "first line is not #EXTM3U";
    }
    bool version = false, vod = false, ended = false;
    double pending = -1;
    const QRegularExpression extinf("^#EXTINF:(\\d+\\.\\d{3}),$");
    for (const QString& line : lines.mid(1)) {
        if (ended) {
            return "text after #EXT-X-ENDLIST";
        }
        if (line.startsWith("#EXT-X-VERSION:")) {
            version = line.mid(15).toInt() >= 3;
        } else if (line.startsWith("#EXT-X-TARGETDURATION:")) {
            out.targetDuration = line.mid(22).toInt();
        } else if (line == "#EXT-X-PLAYLIST-TYPE:VOD") {
            vod = true;
        } else if (line.startsWith("#EXT-X-KEY:")) {
            out.keyLine = line;
        } else if (line.startsWith("#EXTINF:")) {
            const auto match = extinf.match(line);
            if (!match.hasMatch()) {
                return "EXTINF without 3 decimals: " + line;
            }
            pending = match.captured(1).toDouble();
        } else if (line == "#EXT-X-ENDLIST") {
            ended = true;
        } else if (!line.startsWith('#')) {
            if (pending < 0) {
                return "URI without EXTINF: " + line;
            }
            if (!QFile::exists(QFileInfo(path).dir().filePath(line))) {
                return "missing segment " + line;
            }
            out.uris << line;
            out.durations << pending;
            pending = -1;
        }
    }
    if (!version || !vod || !ended || out.uris.isEmpty()) {
        return "missing VERSION>=3, PLAYLIST-TYPE:VOD, ENDLIST or segments";
    }
    for (double d : out.durations) {
        if (std::lround(d) > out.targetDuration) {
            return "a segment is longer than TARGETDURATION";
        }
    }
    return {};
}

struct Variant {
    QString uri;
    QString resolution;
    QString codecs;
    qint64 bandwidth = 0;
    qint64 averageBandwidth = 0;
    double frameRate = 0;
};

inline QString checkMasterPlaylist(const QString& path, QList<Variant>& out) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return "cannot open " + path;
    }
    const QStringList lines = QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
    if (lines.value(0) != "#EXTM3U") {
        return "first line is not #EXTM3U";
    }
    const QRegularExpression attr("([A-Z-]+)=(\"[^\"]*\"|[^,]*)");
    for (int i = 1; i < lines.size(); ++i) {
        if (!lines[i].startsWith("#EXT-X-STREAM-INF:")) {
            continue;
        }
        Variant v;
        auto it = attr.globalMatch(lines[i].mid(18));
        QStringList names;
        while (it.hasNext()) {
            const auto m = it.next();
            const QString value = m.captured(2).remove('"');
            names << m.captured(1);
            if (m.captured(1) == "BANDWIDTH") {
                v.bandwidth = value.toLongLong();
            } else if (m.captured(1) == "AVERAGE-BANDWIDTH") {
                v.averageBandwidth = value.toLongLong();
            } else if (m.captured(1) == "RESOLUTION") {
                v.resolution = value;
            } else if (m.captured(1) == "CODECS") {
                v.codecs = value;
            } else if (m.captured(1) == "FRAME-RATE") {
                v.frameRate = value.toDouble();
            }
        }
        for (const char* required :
             {"BANDWIDTH", "AVERAGE-BANDWIDTH", "RESOLUTION", "CODECS", "FRAME-RATE"}) {
            if (!names.contains(required)) {
                return QString("STREAM-INF without ") + required;
            }
        }
        v.uri = lines.value(i + 1);
        if (v.uri.startsWith('#') || !QFile::exists(QFileInfo(path).dir().filePath(v.uri))) {
            return "STREAM-INF without an existing URI";
        }
        if (v.bandwidth < v.averageBandwidth || v.averageBandwidth <= 0) {
            return "BANDWIDTH must be >= AVERAGE-BANDWIDTH > 0";
        }
        out << v;
    }
    return out.isEmpty() ? "no variants" : QString();
}

} // namespace mediatest
