#include "common/StudioSettings.h"

#include <QStandardPaths>

QString StudioSettings::serverUrl() const {
    return settings_.value("server/url", kDefaultServerUrl).toString();
}

void StudioSettings::setServerUrl(const QString& url) {
    settings_.setValue("server/url", url);
}

QByteArray StudioSettings::windowGeometry() const {
    return settings_.value("window/geometry").toByteArray();
}

void StudioSettings::setWindowGeometry(const QByteArray& geometry) {
    settings_.setValue("window/geometry", geometry);
}

QString StudioSettings::lastPage() const {
    return settings_.value("window/page").toString();
}

void StudioSettings::setLastPage(const QString& page) {
    settings_.setValue("window/page", page);
}

bool StudioSettings::firstRunDone() const {
    return settings_.value("checklist/done", false).toBool();
}

void StudioSettings::setFirstRunDone(bool done) {
    settings_.setValue("checklist/done", done);
}

QByteArray StudioSettings::watermarkDefault() const {
    return settings_.value("watermark/default").toByteArray();
}

void StudioSettings::setWatermarkDefault(const QByteArray& json) {
    settings_.setValue("watermark/default", json);
}

QString StudioSettings::transcodeOutputDir() const {
    const QString movies = QStandardPaths::writableLocation(QStandardPaths::MoviesLocation);
    return settings_.value("transcode/outputDir", movies + "/Reelgate packages").toString();
}

void StudioSettings::setTranscodeOutputDir(const QString& dir) {
    settings_.setValue("transcode/outputDir", dir);
}
