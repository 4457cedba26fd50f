#pragma once
// How the admin's Payments tab writes a deposit (a JSON object of GET /api/admin/deposits or
// /api/admin/deposits/{id}): money as the server formatted it, times in local time, statuses in
// words, and the details pane's text with every raw notification (indented when it is JSON).
// Pure functions; GUI thread (QObject::tr).

#include <QJsonObject>
#include <QString>

namespace depositText {

QString shortTime(const QJsonValue& isoUtc);    // "2026-11-29 09:43", local time
QString amountText(const QJsonObject& deposit); // "10.00 USD (charged 158000.00 IDR)"
QString purposeText(const QJsonObject& deposit);
QString statusText(const QString& status); // "posted" -> "Paid"
QString detailsText(const QJsonObject& deposit);

} // namespace depositText
