#pragma once
// SQL text shared by the services' queries (no values: those always go as parameters).

#include <string>

namespace reelgate::server::db {

// `to_char(<column> AT TIME ZONE 'UTC', ...)`: a timestamptz as ISO 8601 UTC text,
// e.g. 2026-11-22T03:33:11Z, the form every API answer uses.
inline std::string isoUtc(const std::string& column) {
    return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
}

// `text` for use inside a LIKE/ILIKE pattern ('%' || $1 || '%'): '%', '_' and the escape
// character '\\' (PostgreSQL's default LIKE escape) stand for themselves.
inline std::string likeEscaped(const std::string& text) {
    std::string out;
    for (const char c : text) {
        if (c == '%' || c == '_' || c == '\\')
            out += '\\';
        out += c;
    }
    return out;
}

} // namespace reelgate::server::db
