#pragma once
// SQL text shared by the services' queries (no values: those always go as parameters).

#include <string>

namespace reelgate::server::db {

// `to_char(<column> AT TIME ZONE 'UTC', ...)`: a timestamptz as ISO 8601 UTC text,
// e.g. 2026-11-22T03:33:11Z, the form every API answer uses.
inline std::string isoUtc(const std::string& column) {
    return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
}

} // namespace reelgate::server::db
