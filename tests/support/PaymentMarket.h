#pragma once
// Test support for the money-in tests: a Marketplace whose server takes Stripe (through the
// Stripe STAND-IN, tests/standins/stripe-standin.mjs) and bank transfers, with people in it
// (maker, a creator with "The film" at 4.99 USD and 20 % to affiliates; alice, bob, carol,
// dave; root, an admin), and the calls the tests make: top-ups, checkouts, the stand-in's
// controls, and the ledger's invariants. Synchronous.

#include "HttpClient.h"
#include "Marketplace.h"
#include "StandinProcess.h"

#include <QJsonObject>

namespace reelgate::test {

class PaymentMarket {
public:
    static const QString kSecretKey;
    static const QString kWebhookSecret;    // what the stand-in signs with
    static const QString kOldWebhookSecret; // also accepted (a rotation in progress)
    static const QString kBankText;

    // False (with a warning naming what failed) when something did not start. extraArgs go
    // to the server after its payment options (payout providers, say).
    bool start(const QStringList& extraArgs = {});
    Marketplace& market() { return market_; }
    QString stripeUrl() const { return stripe_.baseUrl(); }
    const QString& film() const { return film_; }
    // The server's options (to start it again on the same data dir).
    QStringList serverArgs() const;

    static QByteArray newKey();
    HttpReply topUp(const QString& user, const QString& provider, const QString& amount,
                    const QByteArray& key = newKey());
    HttpReply checkout(const QString& user, const QString& video, const QJsonObject& extra = {});
    // The stand-in's session id of a deposit answer (its redirect URL ends in /pay/<id>).
    static QString sessionOf(const HttpReply& reply);
    // Asks the stand-in to pay a session (or only deliver an event) with faults; returns the
    // statuses our server answered, one per delivery attempt.
    QList<int> standin(const QString& session, const QString& action, const QJsonObject& faults);
    QString depositStatus(const QString& user, const QString& id);
    // verifyLedgerInvariants, and every settled deposit has its one transaction (QCOMPARE).
    void verifyLedger();

private:
    Marketplace market_;
    StandinProcess stripe_;
    QString film_;
};

} // namespace reelgate::test
