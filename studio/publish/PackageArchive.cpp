#include "publish/PackageArchive.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace {

void putOctal(QByteArray& header, int offset, int width, qint64 value) {
    const QByteArray digits = QByteArray::number(value, 8).rightJustified(width - 1, '0');
    header.replace(offset, width - 1, digits);
    header[offset + width - 1] = '\0';
}

// ustar header; long paths are split into prefix (155) and name (100) at a '/'.
bool makeHeader(const QByteArray& path, qint64 size, QByteArray& h) {
    h = QByteArray(512, '\0');
    QByteArray name = path;
    QByteArray prefix;
    if (path.size() > 100) {
        int cut = path.indexOf('/', qMax(0, int(path.size()) - 101));
        while (cut > 0 && (cut > 155 || path.size() - cut - 1 > 100))
            cut = path.indexOf('/', cut + 1);
        if (cut <= 0)
            return false;
        prefix = path.left(cut);
        name = path.mid(cut + 1);
    }
    h.replace(0, name.size(), name);
    putOctal(h, 100, 8, 0644);
    putOctal(h, 108, 8, 0);
    putOctal(h, 116, 8, 0);
    putOctal(h, 124, 12, size);
    putOctal(h, 136, 12, 0);
    h[156] = '0';
    h.replace(257, 6, QByteArray("ustar\0", 6));
    h.replace(263, 2, "00");
    h.replace(345, prefix.size(), prefix);
    h.replace(148, 8, QByteArray(8, ' '));
    unsigned sum = 0;
    for (char c : h)
        sum += static_cast<unsigned char>(c);
    putOctal(h, 148, 7, sum);
    h[155] = ' ';
    return true;
}

} // namespace

PackageArchiveResult writePackageArchive(const QString& packageDir, const QString& tarPath) {
    PackageArchiveResult result;
    const QDir root(packageDir);
    if (!QFileInfo::exists(root.filePath("manifest.json"))) {
        result.error =
            QObject::tr("%1 is not a Reelgate package (no manifest.json).").arg(packageDir);
        return result;
    }
    QStringList files;
    QDirIterator it(packageDir,
                    QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QFileInfo info(it.next());
        if (info.isSymLink() || (!info.isFile() && !info.isDir())) {
            result.error = QObject::tr("%1 is a link or special file; a package holds only files.")
                               .arg(root.relativeFilePath(info.filePath()));
            return result;
        }
        if (info.isFile())
            files.append(root.relativeFilePath(info.filePath()));
    }
    files.sort();

    QSaveFile out(tarPath);
    if (!out.open(QIODevice::WriteOnly)) {
        result.error = QObject::tr("Cannot write %1: %2").arg(tarPath, out.errorString());
        return result;
    }
    QByteArray header;
    for (const QString& relative : files) {
        QFile file(root.filePath(relative));
        if (!file.open(QIODevice::ReadOnly)) {
            result.error = QObject::tr("Cannot read %1: %2").arg(relative, file.errorString());
            return result;
        }
        if (!makeHeader(relative.toUtf8(), file.size(), header)) {
            result.error =
                QObject::tr("The path %1 is too long for the package format.").arg(relative);
            return result;
        }
        out.write(header);
        while (!file.atEnd())
            out.write(file.read(1 << 20));
        out.write(QByteArray((512 - file.size() % 512) % 512, '\0'));
    }
    out.write(QByteArray(1024, '\0'));
    if (!out.commit()) {
        result.error = QObject::tr("Cannot write %1: %2").arg(tarPath, out.errorString());
        return result;
    }
    result.ok = true;
    result.bytes = QFileInfo(tarPath).size();
    return result;
}
