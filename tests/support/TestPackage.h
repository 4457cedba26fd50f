#pragma once
// Test support: video packages and tar archives built in memory, so upload tests control every
// byte (valid packages, and the hostile ones a server must refuse). The segments are stand-in
// bytes: the server checks structure and hashes, not the pictures.

#include "HttpClient.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace reelgate::test {

struct TarEntry {
    QString name;
    char type = '0'; // '0' file, '2' symlink, '3' char device, '5' directory
    QByteArray data;
    QString linkTarget;
    QByteArray rawName = {}; // when set, the name's bytes as they are (hostile names: FF FE, NUL)
};

// A ustar archive of the entries, with the two zero blocks that end it.
QByteArray makeTar(const QList<TarEntry>& entries);

struct PackageOptions {
    int renditions = 2;
    int segments = 3;
    bool abVariants = true;
    int segmentBytes = 4096;
    bool poster = false;    // adds poster.jpg and names it in the manifest
    bool encrypted = false; // adds key.bin, EXT-X-KEY lines and the manifest's encryption
};

// The bytes of a JPEG's headers with this size (what the server checks), scan data stand-ins.
QByteArray samplePoster(int widthPx, int heightPx);

// The files of a valid package: manifest.json, master.m3u8, <r>/a.m3u8, <r>/a/<n>.ts, ...
QList<TarEntry> samplePackage(const PackageOptions& options = {});

// Writes the regular-file entries under `dir` (created); false on an I/O error.
bool writePackage(const QString& dir, const QList<TarEntry>& entries);

// Polls GET /api/videos/<id> as `owner` until the video is in `state` (20 s at most); returns
// the video object as last seen.
QJsonObject waitForVideoState(HttpClient& owner, const QString& id, const QString& state);

} // namespace reelgate::test
