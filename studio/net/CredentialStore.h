#pragma once
// Where the studio keeps its sign-in token: the OS keychain (QtKeychain: Secret Service,
// KWallet, macOS Keychain, Windows Credential Store). Where no keychain runs, a file readable
// only by the user (0600) in the app's config directory, and usingFile() says so for the UI.
// One secret per server URL. Asynchronous: results arrive by callback on the GUI thread.
// REELGATE_STUDIO_CREDENTIALS=file forces the file (tests, headless machines).

#include <QObject>
#include <QString>

#include <functional>

class CredentialStore : public QObject {
    Q_OBJECT
public:
    explicit CredentialStore(QObject* parent);

    // done(token): empty when none is stored.
    void load(const QString& serverUrl, std::function<void(const QString&)> done);
    // done(ok, errorMessage)
    void save(const QString& serverUrl, const QString& token,
              std::function<void(bool, const QString&)> done);
    void remove(const QString& serverUrl, std::function<void()> done);

    bool usingFile() const { return usingFile_; }
    QString filePath() const;

private:
    QString readFile(const QString& key) const;
    bool writeFile(const QString& key, const QString& token, QString* error) const;

    bool usingFile_ = false;
};
