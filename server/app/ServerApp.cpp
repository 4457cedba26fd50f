#include "app/ServerApp.h"

#include "app/DataDir.h"
#include "app/Log.h"
#include "app/ShutdownSignals.h"
#include "db/DbError.h"
#include "db/EmbeddedPostgres.h"
#include "db/Migrator.h"
#include "db/PgPool.h"
#include "health/HealthRoutes.h"
#include "health/HealthService.h"
#include "http/HttpServer.h"
#include "reelgate/core/Version.h"

#include <iostream>
#include <memory>

namespace reelgate::server {
namespace {

constexpr std::size_t kPoolConnections = 20;

std::string displayHost(const std::string& host) {
    return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

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

int runServer(const Config& config) {
    Log::setLevel(config.logLevel);
    ShutdownSignals signals;
    try {
        DataDir dataDir(config.dataDir);
        Log::info(std::string("reelgate-server ") + kVersion + " starting; data in " +
                  dataDir.path().string());

        // Bind first: a taken port fails fast, before any database work.
        http::HttpServer httpServer({config.httpThreads, config.maxBodyBytes});
        const int port = httpServer.bind(config.listen.host, config.listen.port);
        if (port < 0) {
            std::cerr << "reelgate-server: cannot listen on " << displayHost(config.listen.host)
                      << ":" << config.listen.port
                      << " (address in use, or not an address of this machine)\n";
            return 1;
        }

        std::unique_ptr<db::EmbeddedPostgres> embedded;
        std::string conninfo = config.databaseUrl;
        if (conninfo.empty()) {
            embedded = std::make_unique<db::EmbeddedPostgres>(dataDir.path());
            embedded->start();
            conninfo = embedded->conninfo();
        }
        if (signals.requested())
            return 0;

        db::PgPool pool(conninfo, kPoolConnections);
        migrate(pool, config);

        HealthService health(pool);
        registerHealthRoutes(httpServer.routes(), health);

        signals.onSignal([&httpServer] { httpServer.stop(); });
        struct DetachSignals {
            ShutdownSignals& signals;
            ~DetachSignals() { signals.onSignal({}); }
        } detach{signals};
        Log::info("listening on http://" + displayHost(config.listen.host) + ":" +
                  std::to_string(port));
        if (!signals.requested())
            httpServer.run();
        httpServer.stop();
        pool.closeIdle();
        if (embedded)
            embedded->stop();
        Log::info("stopped");
        return 0;
    } catch (const DataDirError& e) {
        std::cerr << "reelgate-server: " << e.what() << "\n";
    } catch (const db::EmbeddedPostgresError& e) {
        std::cerr << "reelgate-server: embedded database: " << e.what() << "\n";
    } catch (const db::MigrationError& e) {
        std::cerr << "reelgate-server: database migration refused: " << e.what() << "\n";
    } catch (const db::DbError& e) {
        std::cerr << "reelgate-server: database: " << e.what() << "\n";
    } catch (const std::exception& e) {
        std::cerr << "reelgate-server: " << e.what() << "\n";
    }
    return 1;
}

} // namespace reelgate::server
