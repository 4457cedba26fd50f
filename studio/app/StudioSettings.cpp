#include "app/StudioSettings.h"

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
