#pragma once
// Packs a transcoded package folder (the one holding manifest.json) into one ustar file, the
// form in which it is uploaded. Regular files only (a link or anything else is refused, as the
// server would), paths relative to the folder, sorted so the same folder gives the same bytes.
// Runs on the calling thread; call it off the UI thread for big packages.

#include <QString>

struct PackageArchiveResult {
    bool ok = false;
    QString error; // readable, when !ok
    qint64 bytes = 0;
};

PackageArchiveResult writePackageArchive(const QString& packageDir, const QString& tarPath);
