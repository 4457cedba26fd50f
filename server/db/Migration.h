#pragma once
// One forward-only schema migration: sql/NNNN_name.sql.

#include <string>
#include <vector>

namespace reelgate::server::db {

struct Migration {
    int version = 0;  // NNNN
    std::string name; // file name, e.g. "0001_init.sql"
    std::string sql;
    std::string checksum; // SHA-256 hex of the file's bytes
};

// The migrations compiled into the binary (generated from sql/ at build time), in order.
std::vector<Migration> builtInMigrations();

// Reads every NNNN_name.sql in `dir`, in order. Throws std::runtime_error with a clear
// message for an unreadable directory, a misnamed .sql file or a duplicate version.
std::vector<Migration> loadMigrationsFromDir(const std::string& dir);

// Validates names, computes checksums and sorts; shared by both sources.
std::vector<Migration> prepareMigrations(std::vector<Migration> migrations);

} // namespace reelgate::server::db
