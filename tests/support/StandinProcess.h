#pragma once
// Test support: runs a payment-provider STAND-IN (tests/standins/<name>-standin.mjs, a node
// program that imitates the provider's public API) and waits until it prints its address.
// The stand-in is stopped when this object goes. Synchronous.

#include <QProcess>
#include <QString>
#include <QStringList>

namespace reelgate::test {

class StandinProcess {
public:
    ~StandinProcess();
    // script: file name under tests/standins; false (see log()) when it did not start.
    bool start(const QString& script, const QStringList& args, int timeoutMs = 30000);
    QString baseUrl() const { return baseUrl_; }
    QString log();

private:
    QProcess process_;
    QString baseUrl_;
    QString log_;
};

} // namespace reelgate::test
