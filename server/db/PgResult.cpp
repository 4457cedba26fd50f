#include "db/PgResult.h"

#include "db/DbError.h"

#include <charconv>

namespace reelgate::server::db {

bool PgResult::isNull(int row, int column) const {
    return PQgetisnull(result_.get(), row, column) == 1;
}

std::string PgResult::text(int row, int column) const {
    if (isNull(row, column))
        return {};
    return std::string(PQgetvalue(result_.get(), row, column),
                       static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

std::optional<std::string> PgResult::optionalText(int row, int column) const {
    if (isNull(row, column))
        return std::nullopt;
    return text(row, column);
}

std::int64_t PgResult::int64(int row, int column) const {
    const std::string value = text(row, column);
    std::int64_t out = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
    if (ec != std::errc() || ptr != value.data() + value.size())
        throw DbError("column " + std::to_string(column) + " is not an integer: '" + value + "'");
    return out;
}

bool PgResult::boolean(int row, int column) const {
    return text(row, column) == "t";
}

std::int64_t PgResult::affectedRows() const {
    const char* n = PQcmdTuples(result_.get());
    return (n && *n) ? std::stoll(n) : 0;
}

} // namespace reelgate::server::db
