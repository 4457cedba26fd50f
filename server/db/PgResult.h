#pragma once
// RAII owner of a libpq PGresult. Movable, not copyable. Values are text (libpq text format).

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace reelgate::server::db {

class PgResult {
public:
    PgResult() = default;
    explicit PgResult(PGresult* result)
        : result_(result) {}

    int rows() const { return result_ ? PQntuples(result_.get()) : 0; }
    int columns() const { return result_ ? PQnfields(result_.get()) : 0; }
    bool isNull(int row, int column) const;
    // Text of a cell; "" for NULL.
    std::string text(int row, int column) const;
    std::optional<std::string> optionalText(int row, int column) const;
    std::int64_t int64(int row, int column) const;
    bool boolean(int row, int column) const;
    // Number of rows an INSERT/UPDATE/DELETE touched.
    std::int64_t affectedRows() const;

    PGresult* get() const { return result_.get(); }

private:
    struct Deleter {
        void operator()(PGresult* r) const { PQclear(r); }
    };
    std::unique_ptr<PGresult, Deleter> result_;
};

} // namespace reelgate::server::db
