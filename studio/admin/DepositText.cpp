#include "admin/DepositText.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QObject>

namespace depositText {
namespace {

QString localTime(const QJsonValue& isoUtc) {
    if (isoUtc.isNull() || isoUtc.toString().isEmpty())
        return {};
    QDateTime when = QDateTime::fromString(isoUtc.toString(), Qt::ISODate);
    if (!when.isValid())
        return isoUtc.toString();
    when.setTimeSpec(Qt::UTC);
    return QLocale().toString(when.toLocalTime(), QLocale::ShortFormat);
}

QString formatted(const QJsonValue& money) {
    return money.toObject().value("formatted").toString();
}

// A raw notification: indented when it is JSON, as received otherwise.
QString rawText(const QString& raw) {
    const QJsonDocument doc = QJsonDocument::fromJson(raw.toUtf8());
    return doc.isNull() ? raw : QString::fromUtf8(doc.toJson(QJsonDocument::Indented)).trimmed();
}

} // namespace

// Compact, for the table's columns: the details pane has the full form.
QString shortTime(const QJsonValue& isoUtc) {
    QDateTime when = QDateTime::fromString(isoUtc.toString(), Qt::ISODate);
    if (!when.isValid())
        return isoUtc.toString();
    when.setTimeSpec(Qt::UTC);
    return when.toLocalTime().toString("yyyy-MM-dd HH:mm");
}

QString amountText(const QJsonObject& d) {
    const QJsonObject amount = d.value("amount").toObject();
    const QJsonObject charge = d.value("charge").toObject();
    if (charge.value("currency") == amount.value("currency"))
        return formatted(amount);
    return QObject::tr("%1 (charged %2)").arg(formatted(amount), formatted(charge));
}

QString purposeText(const QJsonObject& d) {
    if (d.value("purpose").toString() == "checkout")
        return QObject::tr("Video: %1").arg(d.value("video").toObject().value("title").toString());
    return QObject::tr("Wallet top-up");
}

QString statusText(const QString& status) {
    if (status == "pending")
        return QObject::tr("Pending");
    if (status == "posted")
        return QObject::tr("Paid");
    if (status == "voided")
        return QObject::tr("Voided");
    if (status == "refunded")
        return QObject::tr("Refunded");
    if (status == "disputed")
        return QObject::tr("Disputed");
    return status;
}

QString detailsText(const QJsonObject& d) {
    QStringList lines;
    const auto line = [&](const QString& label, const QString& value) {
        if (!value.isEmpty())
            lines << label + ": " + value;
    };
    line(QObject::tr("Payment"), d.value("id").toString());
    line(QObject::tr("Reference"), d.value("reference").toString());
    line(QObject::tr("Buyer"), d.value("user").toString());
    line(QObject::tr("Amount"), amountText(d));
    line(QObject::tr("Exchange rate"), d.value("exchange_rate").toString());
    line(QObject::tr("Status"), statusText(d.value("status").toString()));
    if (d.value("reversed").toObject().value("amount_minor").toInteger() > 0)
        line(QObject::tr("Reversed so far"), formatted(d.value("reversed")));
    if (d.value("flagged").toBool())
        line(QObject::tr("FLAGGED"), d.value("status_reason").toString());
    else
        line(QObject::tr("Reason"), d.value("status_reason").toString());
    line(QObject::tr("Admin note"), d.value("admin_note").toString());
    line(QObject::tr("Created"), localTime(d.value("created_at")));
    line(QObject::tr("Settled"), localTime(d.value("settled_at")));
    const QJsonArray events = d.value("events").toArray();
    lines << ""
          << (events.isEmpty() ? QObject::tr("No notifications yet.")
                               : QObject::tr("Notifications (%1):").arg(events.size()));
    for (const auto& value : events) {
        const QJsonObject e = value.toObject();
        lines << ""
              << QString("%1  %2 -> %3%4  (%5)")
                     .arg(localTime(e.value("received_at")), e.value("status").toString(),
                          e.value("outcome").toString(),
                          e.value("flagged").toBool() ? QObject::tr("  [flagged]") : "",
                          e.value("event_id").toString());
        if (e.contains("raw"))
            lines << rawText(e.value("raw").toString());
    }
    return lines.join('\n');
}

} // namespace depositText
