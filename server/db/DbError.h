#pragma once
// Database failures. `DbError` is a query or connection failure; `DbUnavailable` means no
// connection could be had at all (the database is down or unreachable).

#include <stdexcept>
#include <string>

namespace reelgate::server::db {

class DbError : public std::runtime_error {
public:
    DbError(const std::string& message, std::string sqlState = {})
        : std::runtime_error(message)
        , sqlState_(std::move(sqlState)) {}
    // Five-character SQLSTATE ("23505" unique violation, ...) or empty.
    const std::string& sqlState() const { return sqlState_; }

private:
    std::string sqlState_;
};

class DbUnavailable : public DbError {
public:
    using DbError::DbError;
};

} // namespace reelgate::server::db
