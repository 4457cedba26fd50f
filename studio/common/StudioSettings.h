#pragma once
// The studio's persisted preferences (QSettings: organization "Reelgate", application
// "Reelgate Studio"), one typed accessor per key. GUI thread.

#include <QByteArray>
#include <QSettings>
#include <QString>

class StudioSettings {
public:
    static constexpr const char* kDefaultServerUrl = "http://127.0.0.1:8080";

    QString serverUrl() const;
    void setServerUrl(const QString& url);
    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& geometry);
    QString lastPage() const;
    // Every step of the first-run checklist was done once: open on the last page from now on.
    bool firstRunDone() const;
    void setFirstRunDone(bool done);
    void setLastPage(const QString& page);
    // The watermark design new videos start from (WatermarkSpec JSON; empty = the engine's).
    QByteArray watermarkDefault() const;
    void setWatermarkDefault(const QByteArray& json);
    // Where the transcode page puts packages (last folder chosen).
    QString transcodeOutputDir() const;
    void setTranscodeOutputDir(const QString& dir);

private:
    QSettings settings_{"Reelgate", "Reelgate Studio"};
};
