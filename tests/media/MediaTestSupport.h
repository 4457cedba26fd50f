#pragma once
// Helpers for the media tests: run the ffmpeg/ffprobe CLIs and reelgate-encode, make short
// synthetic sources (lavfi testsrc2 + sine) and read ffprobe's JSON. Paths of the tools come
// from CMake (REELGATE_FFMPEG, REELGATE_FFPROBE, REELGATE_ENCODE).

#include <QByteArray>
#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QtTest>

namespace mediatest {

struct ProcessResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

inline ProcessResult run(const QString& program, const QStringList& args, int timeoutMs = 180000) {
    QProcess process;
    process.start(program, args);
    ProcessResult result;
    if (!process.waitForStarted(10000)) {
        result.err = "cannot start " + program.toUtf8();
        return result;
    }
    process.waitForFinished(timeoutMs);
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return result;
}

inline ProcessResult ffmpeg(const QStringList& args) {
    return run(REELGATE_FFMPEG, QStringList{"-v", "error", "-y"} + args);
}

inline ProcessResult encode(const QStringList& args, int timeoutMs = 240000) {
    return run(REELGATE_ENCODE, args, timeoutMs);
}

// A synthetic source: testsrc2 of size WxH at `rate` fps for `seconds`, with a sine tone unless
// withAudio is false. extraArgs go before the output (filters, metadata, codec options).
inline bool makeSource(const QString& path, const QString& size, int seconds, bool withAudio = true,
                       const QStringList& extraArgs = {}, const QString& rate = "30") {
    QStringList args{"-f", "lavfi", "-i",
                     QString("testsrc2=size=%1:rate=%2:duration=%3").arg(size, rate).arg(seconds)};
    if (withAudio) {
        args += {"-f", "lavfi", "-i",
                 QString("sine=frequency=440:sample_rate=48000:duration=%1").arg(seconds)};
    }
    args += {"-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-pix_fmt", "yuv420p"};
    if (withAudio) {
        args += {"-c:a", "aac", "-b:a", "96k"};
    }
    args += extraArgs;
    args += path;
    const ProcessResult r = ffmpeg(args);
    if (r.exitCode != 0) {
        qWarning().noquote() << "ffmpeg failed:" << r.err;
    }
    return r.exitCode == 0;
}

// Gives an MP4 written by FFmpeg a 90-degree display rotation (phone portrait video): rewrites
// the matrix of its first track header. FFmpeg 5.1's CLI has no option for that.
inline bool setRotation90(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadWrite)) {
        return false;
    }
    QByteArray bytes = file.readAll();
    const qsizetype box = bytes.indexOf("tkhd");
    if (box < 0 || bytes.at(box + 4) != 0) { // version 0 header only
        return false;
    }
    // type, version/flags, created, modified, track id, reserved, duration, reserved[8],
    // layer, group, volume, reserved: the matrix starts 44 bytes after the box type.
    const qsizetype matrix = box + 4 + 40;
    const qint32 values[9] = {0, 65536, 0, -65536, 0, 0, 0, 0, 1 << 30};
    for (int i = 0; i < 9; ++i) {
        const auto v = static_cast<quint32>(values[i]);
        for (int b = 0; b < 4; ++b) {
            bytes[matrix + i * 4 + b] = static_cast<char>((v >> (24 - 8 * b)) & 0xFF);
        }
    }
    file.seek(0);
    return file.write(bytes) == bytes.size();
}

inline QJsonObject ffprobe(const QString& path, const QStringList& extra) {
    const ProcessResult r = run(REELGATE_FFPROBE, QStringList{"-v", "error", "-of", "json"} +
                                                      extra + QStringList{path});
    return QJsonDocument::fromJson(r.out).object();
}

inline QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

inline QString sha256Hex(const QByteArray& bytes) {
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

inline QJsonObject readJson(const QString& path) {
    return QJsonDocument::fromJson(readAll(path)).object();
}

} // namespace mediatest
