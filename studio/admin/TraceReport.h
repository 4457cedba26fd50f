#pragma once
// A finished leak trace told in words an admin who is not an engineer can act on: who the copy
// came from (or why nobody could be named), when that viewer watched, and how sure the match
// is (the false-accusation bound, other sessions named, the runner-up; no confidence figure
// when nobody is named). Input: the "result" object of GET /api/admin/traces/{id}
// (server/forensics/ TraceService.h). Output: rich text (HTML) for a QLabel. Pure functions; any
// thread.

#include <QJsonObject>
#include <QString>

namespace traceReport {

// "Identified: alice ..." / "Not identified ..." with the reasons and the figures.
QString describe(const QJsonObject& result);

// "99.97 %" (confidence 0..1), never rounded up to a certainty the figure does not have.
QString percent(double confidence);

} // namespace traceReport
