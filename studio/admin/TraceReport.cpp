#include "admin/TraceReport.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace traceReport {
namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("TraceReport", text);
}

QString esc(const QString& text) {
    return text.toHtmlEscaped();
}

// "Tuesday 4 June 2024 at 14:03 (your time)" from the server's UTC ISO time.
QString localTime(const QString& isoUtc) {
    QDateTime when = QDateTime::fromString(isoUtc, Qt::ISODate);
    if (!when.isValid())
        return esc(isoUtc);
    when.setTimeSpec(Qt::UTC);
    return tr("%1 (your time)").arg(QLocale().toString(when.toLocalTime(), QLocale::LongFormat));
}

// "about 1 in 4,000" for the chance that an unrelated viewer matches as well.
QString chanceOfLuck(double confidence) {
    const double p = 1.0 - confidence;
    if (p <= 1e-9)
        return tr("less than one in a billion");
    if (p >= 0.5)
        return tr("high");
    const double oneIn = 1.0 / p;
    // Two significant digits: "1 in 4,300", not "1 in 4,317.29".
    const double scale = std::pow(10.0, std::floor(std::log10(oneIn)) - 1);
    const qint64 rounded = static_cast<qint64>(std::floor(oneIn / scale) * scale);
    return tr("about 1 in %1").arg(QLocale().toString(rounded));
}

} // namespace

QString percent(double confidence) {
    const double value = std::clamp(confidence, 0.0, 1.0) * 100.0;
    // Truncated, so 99.99996 % reads "99.9999 %" and never "100 %" unless it is.
    const int decimals = value >= 99 ? 4 : 1;
    const double factor = std::pow(10.0, decimals);
    QString text = QLocale().toString(std::floor(value * factor) / factor, 'f', decimals);
    const QString point = QLocale().decimalPoint();
    while (text.endsWith('0') && text.contains(point))
        text.chop(1);
    if (text.endsWith(point))
        text.chop(point.size());
    return text + " %";
}

QString describe(const QJsonObject& r) {
    const QJsonObject video = r.value("video").toObject();
    const QJsonObject slotCounts = r.value("slots").toObject();
    const QJsonObject user = r.value("user").toObject();
    const QJsonObject session = r.value("session").toObject();
    const double confidence = r.value("confidence").toDouble();
    const QJsonObject bound = r.value("bound").toObject();
    const QJsonObject runnerUp = r.value("runner_up").toObject();
    const int candidates = r.value("candidates").toInt();
    const int total = slotCounts.value("total").toInt();
    const int read = slotCounts.value("read_a").toInt() + slotCounts.value("read_b").toInt();
    const int informative = slotCounts.value("informative").toInt();
    const int agreeing = slotCounts.value("agreeing").toInt();
    const QString videoName =
        tr("\"%1\" (%2)")
            .arg(esc(video.value("title").toString()), esc(video.value("id").toString()));

    QString html;
    if (r.value("identified").toBool() && !user.isEmpty()) {
        const QString name = esc(user.value("username").toString());
        const QString email = user.value("email").toString();
        html += tr("<p style='font-size:large'><b>Identified: %1</b>%2</p>")
                    .arg(name, email.isEmpty() ? QString() : " &lt;" + esc(email) + "&gt;");
        html += tr("<p>This copy of %1 was recorded from %2's viewing session %3, which started "
                   "on %4")
                    .arg(videoName, name)
                    .arg(session.value("id").toInteger())
                    .arg(localTime(session.value("started_at").toString()));
        const QString from = session.value("remote_addr").toString();
        html += from.isEmpty() ? tr(".</p>") : tr(" from the address %1.</p>").arg(esc(from));
        html += tr("<p><b>Confidence: %1</b>. %2 of %3 readable time slots match this viewer's "
                   "hidden pattern; the chance that someone else's session matches this well "
                   "by luck is %4.</p>")
                    .arg(percent(confidence))
                    .arg(agreeing)
                    .arg(informative)
                    .arg(chanceOfLuck(bound.isEmpty() ? confidence
                                                      : 1 - bound.value("value").toDouble()));
        if (!bound.isEmpty())
            html += tr("<p>Bound: a viewer who did not make this copy is named with a chance "
                       "below %1 over all %2 viewing session(s) of this video (the trace names "
                       "nobody above one in a billion).</p>")
                        .arg(QString::number(bound.value("value").toDouble(), 'g', 2))
                        .arg(bound.value("sessions").toInt());
        const QJsonArray named = r.value("named").toArray();
        for (qsizetype i = 1; i < named.size(); ++i) {
            const QJsonObject other = named[i].toObject();
            html += tr("<p><b>Also named: %1</b> (viewing session %2, %3 of %4 slots agree). "
                       "The copy was probably made from several viewers' copies.</p>")
                        .arg(esc(other.value("user").toObject().value("username").toString()))
                        .arg(other.value("session_id").toInteger())
                        .arg(other.value("slots_agreeing").toInt())
                        .arg(other.value("slots_read").toInt());
        }
        if (r.value("tie").toBool())
            html += tr("<p><b>Tie:</b> several sessions match exactly as well; all of them are "
                       "named above.</p>");
        if (runnerUp.contains("session_id"))
            html += tr("<p>Next best: viewing session %1, %2 of %3 slots agree; not named (chance "
                       "of a false accusation %4).</p>")
                        .arg(runnerUp.value("session_id").toInteger())
                        .arg(runnerUp.value("slots_agreeing").toInt())
                        .arg(runnerUp.value("slots_read").toInt())
                        .arg(QString::number(runnerUp.value("false_accusation_bound").toDouble(),
                                             'g', 2));
        html += r.value("method").toString() == "decoded"
                    ? tr("<p>The viewer's code was read directly from the file, then checked "
                         "against the %1 recorded viewing session(s) of this video.</p>")
                          .arg(candidates)
                    : tr("<p>Found by comparing the file with all %1 recorded viewing session(s) "
                         "of this video.</p>")
                          .arg(candidates);
        return html;
    }

    html += tr("<p style='font-size:large'><b>Not identified</b></p>");
    html += tr("<p>No viewer of %1 can be named from this file. Why:</p><ul>").arg(videoName);
    if (r.value("identified").toBool()) {
        html += tr("<li>The marks point to a viewing session that no longer exists.</li>");
    } else if (read == 0) {
        html += tr("<li>None of the file's %1 time slots carried a viewer's hidden marks. The "
                   "file may be the creator's unmarked original, a copy of a different video, or "
                   "too short, cropped or damaged to read.</li>")
                    .arg(total);
    } else if (candidates == 0) {
        html += tr("<li>Nobody has watched this video yet, so there is no viewer to compare "
                   "the file with. Check that you picked the right video.</li>");
    } else {
        html +=
            tr("<li>The best match among the %1 viewing session(s) of this video agrees on "
               "%2 of %3 readable time slots: naming that viewer would carry a chance of "
               "about %4 of accusing someone who did not make this copy. Naming someone "
               "needs that chance below one in a billion.</li>")
                .arg(candidates)
                .arg(runnerUp.value("slots_agreeing").toInt(agreeing))
                .arg(runnerUp.value("slots_read").toInt(informative))
                .arg(QString::number(runnerUp.value("false_accusation_bound").toDouble(1), 'g', 2));
        html += tr("<li>The file may be an original without viewer marks, a copy of a "
                   "different video, or too short or degraded; a longer or cleaner copy may "
                   "help.</li>");
    }
    html += "</ul>";
    html += tr("<p style='color:gray'>Read %1 of %2 time slots.</p>").arg(read).arg(total);
    return html;
}

} // namespace traceReport
