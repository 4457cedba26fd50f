#include "db/Migration.h"

#include "reelgate/core/Crypto.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace reelgate::server::db {

std::vector<Migration> prepareMigrations(std::vector<Migration> migrations) {
    static const std::regex kName(R"(^(\d{4})_[a-z0-9_]+\.sql$)");
    for (auto& m : migrations) {
        std::smatch match;
        if (!std::regex_match(m.name, match, kName))
            throw std::runtime_error("migration file '" + m.name +
                                     "' is not named NNNN_lowercase_name.sql");
        m.version = std::stoi(match[1].str());
        m.checksum = core::sha256Hex(m.sql);
    }
    std::sort(migrations.begin(), migrations.end(),
              [](const Migration& a, const Migration& b) { return a.version < b.version; });
    for (std::size_t i = 1; i < migrations.size(); ++i) {
        if (migrations[i].version == migrations[i - 1].version)
            throw std::runtime_error("migrations '" + migrations[i - 1].name + "' and '" +
                                     migrations[i].name + "' share a version number");
    }
    return migrations;
}

std::vector<Migration> loadMigrationsFromDir(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw std::runtime_error("migrations directory '" + dir + "' does not exist");
    std::vector<Migration> migrations;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.path().extension() != ".sql" || !entry.is_regular_file())
            continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        if (!in)
            throw std::runtime_error("cannot read migration '" + entry.path().string() + "'");
        migrations.push_back({0, entry.path().filename().string(), text.str(), {}});
    }
    if (ec)
        throw std::runtime_error("cannot list migrations directory '" + dir + "': " + ec.message());
    return prepareMigrations(std::move(migrations));
}

} // namespace reelgate::server::db
