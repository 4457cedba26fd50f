#include "TestPackage.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

namespace reelgate::test {
namespace {

void putOctal(QByteArray& header, int offset, int width, qint64 value) {
    const QByteArray digits = QByteArray::number(value, 8).rightJustified(width - 1, '0');
    header.replace(offset, width - 1, digits);
    header[offset + width - 1] = '\0';
}

QByteArray header(const TarEntry& entry) {
    QByteArray h(512, '\0');
    const QByteArray name = entry.rawName.isEmpty() ? entry.name.toUtf8() : entry.rawName;
    h.replace(0, qMin<int>(name.size(), 100), name.left(100));
    putOctal(h, 100, 8, entry.type == '5' ? 0755 : 0644);
    putOctal(h, 108, 8, 0);
    putOctal(h, 116, 8, 0);
    putOctal(h, 124, 12, entry.type == '0' ? entry.data.size() : 0);
    putOctal(h, 136, 12, 1700000000);
    h[156] = entry.type;
    const QByteArray link = entry.linkTarget.toUtf8();
    h.replace(157, qMin<int>(link.size(), 100), link.left(100));
    h.replace(257, 6, QByteArray("ustar\0", 6));
    h.replace(263, 2, "00");
    h.replace(148, 8, QByteArray(8, ' '));
    unsigned sum = 0;
    for (char c : h)
        sum += static_cast<unsigned char>(c);
    putOctal(h, 148, 7, sum);
    h[155] = ' ';
    return h;
}

QString hex(const QByteArray& data) {
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

} // namespace

QByteArray makeTar(const QList<TarEntry>& entries) {
    QByteArray out;
    for (const auto& entry : entries) {
        out += header(entry);
        if (entry.type == '0') {
            out += entry.data;
            out += QByteArray((512 - entry.data.size() % 512) % 512, '\0');
        }
    }
    out += QByteArray(1024, '\0');
    return out;
}

QByteArray samplePoster(int widthPx, int heightPx) {
    // SOI, APP0 (JFIF), SOF0 with the size, then stand-in scan bytes and EOI: what a server
    // reads of a JPEG without decoding it.
    QByteArray jpeg("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 20);
    jpeg += QByteArray("\xFF\xC0\x00\x11\x08", 5);
    jpeg += char(heightPx >> 8);
    jpeg += char(heightPx & 0xff);
    jpeg += char(widthPx >> 8);
    jpeg += char(widthPx & 0xff);
    jpeg += QByteArray("\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01", 10);
    jpeg += QByteArray("\xFF\xDA\x00\x02", 4) + QByteArray(2000, 'p');
    return jpeg + QByteArray("\xFF\xD9", 2);
}

QList<TarEntry> samplePackage(const PackageOptions& options) {
    static const int kHeights[] = {240, 360, 480, 720, 1080};
    QList<TarEntry> files;
    QJsonObject fileMap;
    auto add = [&](const QString& name, const QByteArray& data) {
        files.append({name, '0', data, {}});
        fileMap.insert(name, QJsonObject{{"sha256", hex(data)}, {"bytes", data.size()}});
    };
    const QStringList variants = options.abVariants ? QStringList{"a", "b"} : QStringList{"a"};
    QJsonArray renditions;
    QByteArray master = "#EXTM3U\n#EXT-X-VERSION:3\n";
    const qint64 durationMs = 4000LL * (options.segments - 1) + 2500;
    for (int r = 0; r < options.renditions; ++r) {
        const int height = kHeights[r % 5];
        const QString name = QString("%1p").arg(height);
        QJsonObject playlists;
        for (const QString& variant : variants) {
            QByteArray playlist = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n"
                                  "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n";
            if (options.encrypted)
                playlist += "#EXT-X-KEY:METHOD=AES-128,URI=\"../key.bin\"\n";
            for (int n = 0; n < options.segments; ++n) {
                const bool last = n == options.segments - 1;
                playlist += last ? "#EXTINF:2.500,\n" : "#EXTINF:4.000,\n";
                playlist += QString("%1/%2.ts\n").arg(variant).arg(n).toUtf8();
                QByteArray segment(options.segmentBytes, '\0');
                for (auto& byte : segment)
                    byte = static_cast<char>(QRandomGenerator::global()->bounded(256));
                segment[0] = 0x47; // MPEG-TS sync byte, for appearances
                add(QString("%1/%2/%3.ts").arg(name, variant).arg(n), segment);
            }
            playlist += "#EXT-X-ENDLIST\n";
            add(QString("%1/%2.m3u8").arg(name, variant), playlist);
            playlists.insert(variant, QString("%1/%2.m3u8").arg(name, variant));
        }
        master += QString("#EXT-X-STREAM-INF:BANDWIDTH=%1,RESOLUTION=%2x%3,CODECS=\"avc1.64001f,"
                          "mp4a.40.2\"\n%4/a.m3u8\n")
                      .arg(300000 * (r + 1))
                      .arg(height * 16 / 9)
                      .arg(height)
                      .arg(name)
                      .toUtf8();
        renditions.append(QJsonObject{{"name", name},
                                      {"width", height * 16 / 9},
                                      {"height", height},
                                      {"playlists", playlists}});
    }
    add("master.m3u8", master);
    if (options.encrypted) {
        QByteArray key(16, '\0');
        for (auto& byte : key)
            byte = static_cast<char>(QRandomGenerator::global()->bounded(256));
        add("key.bin", key);
    }
    if (options.poster)
        add("poster.jpg", samplePoster(640, 360));
    QJsonObject manifest{
        {"format_version", 1},
        {"generator", "reelgate tests"},
        {"duration_ms", durationMs},
        {"segment_duration_ms", 4000},
        {"segment_count", options.segments},
        {"master_playlist", "master.m3u8"},
        {"renditions", renditions},
        {"variants", QJsonObject{{"ab", options.abVariants}}},
        {"files", fileMap},
    };
    if (options.poster)
        manifest.insert("poster", "poster.jpg");
    if (options.encrypted)
        manifest.insert("encryption", QJsonObject{{"method", "AES-128"},
                                                  {"key_file", "key.bin"},
                                                  {"iv_policy", "media-sequence"}});
    files.append({"manifest.json", '0', QJsonDocument(manifest).toJson(), {}});
    return files;
}

bool writePackage(const QString& dir, const QList<TarEntry>& entries) {
    for (const auto& entry : entries) {
        if (entry.type != '0')
            continue;
        const QString path = dir + "/" + entry.name;
        if (!QDir().mkpath(QFileInfo(path).absolutePath()))
            return false;
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(entry.data) != entry.data.size())
            return false;
    }
    return true;
}

QJsonObject waitForVideoState(HttpClient& owner, const QString& id, const QString& state) {
    QJsonObject video;
    (void)QTest::qWaitFor(
        [&] {
            video = owner.get("/api/videos/" + id).json().object().value("video").toObject();
            return video.value("state").toString() == state;
        },
        20000);
    return video;
}

} // namespace reelgate::test
