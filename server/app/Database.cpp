#include "app/Database.h"

#include "common/Log.h"
#include "db/Migrator.h"

namespace reelgate::server {
namespace {

constexpr std::size_t kPoolConnections = 20;

void migrate(db::PgPool& pool, const Config& config) {
    const auto migrations = config.migrationsDir.empty()
                                ? db::builtInMigrations()
                                : db::loadMigrationsFromDir(config.migrationsDir.string());
    auto connection = pool.acquire();
    const auto applied = db::Migrator(*connection).migrate(migrations);
    for (const auto& name : applied)
        Log::info("applied migration " + name);
    if (applied.empty())
        Log::info("database schema up to date (" + std::to_string(migrations.size()) +
                  " migrations)");
}

} // namespace

Database::Database(const Config& config, Use use)
    : config_(config) {
    try {
        dataDir_ = std::make_unique<DataDir>(config.dataDir);
    } catch (const DataDirInUse&) {
        if (use == Use::Serve || !config.databaseUrl.empty())
            throw;
        // A running server owns the cluster: talk to it through its socket.
        pool_ = std::make_unique<db::PgPool>(db::EmbeddedPostgres::conninfoFor(config.dataDir), 2);
    }
}

Database::~Database() {
    stop();
}

void Database::open() {
    if (!pool_) {
        std::string conninfo = config_.databaseUrl;
        if (conninfo.empty()) {
            embedded_ = std::make_unique<db::EmbeddedPostgres>(dataDir_->path());
            embedded_->start();
            conninfo = embedded_->conninfo();
        }
        pool_ = std::make_unique<db::PgPool>(conninfo, kPoolConnections);
        if (embedded_) {
            // Our own PostgreSQL died (killed, crashed): start it again and carry on. An
            // external database is the operator's to restart; the pool retries until it is back.
            pool_->setRecovery([embedded = embedded_.get()] {
                try {
                    embedded->restartIfExited();
                } catch (const std::exception& e) {
                    Log::error(std::string("embedded database: ") + e.what());
                }
            });
        }
    }
    migrate(*pool_, config_);
}

void Database::stop() {
    if (pool_) {
        pool_->setRecovery({});
        pool_->closeIdle();
    }
    if (embedded_)
        embedded_->stop();
}

} // namespace reelgate::server
