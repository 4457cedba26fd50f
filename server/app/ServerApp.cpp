#include "app/ServerApp.h"

#include "accounts/RequestAuth.h"
#include "accounts/SessionStore.h"
#include "app/AppServices.h"
#include "app/Database.h"
#include "app/ShutdownSignals.h"
#include "common/Log.h"
#include "db/DbError.h"
#include "db/EmbeddedPostgres.h"
#include "db/Migrator.h"
#include "http/HttpServer.h"
#include "reelgate/core/Version.h"

#include <iostream>
#include <memory>

namespace reelgate::server {
namespace {

std::string displayHost(const std::string& host) {
    return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

} // namespace

int runServer(const Config& config) {
    Log::setLevel(config.logLevel);
    ShutdownSignals signals;
    try {
        Database database(config, Database::Use::Serve);
        Log::info(std::string("reelgate-server ") + kVersion + " starting; data in " +
                  config.dataDir.string());

        // Bind first: a taken port fails fast, before any database work.
        http::HttpOptions options;
        options.threads = config.httpThreads;
        options.maxBodyBytes = config.maxBodyBytes;
        options.maxUploadBytes = config.maxUploadBytes;
        // The routes that stream large bodies, as registered (an unknown id is refused unread).
        options.largeBodyRoutes = {{"PATCH", R"(/api/uploads/[A-Za-z0-9_-]{16,64})"},
                                   {"POST", "/api/admin/traces"}};
        options.trustedProxies =
            http::TrustedProxies::parse(config.trustedProxies, nullptr).value();
        options.idleTimeoutSeconds = config.idleTimeoutSeconds;
        options.headTimeoutSeconds = config.headTimeoutSeconds;
        options.eventRecheckSeconds = config.eventRecheckSeconds;
        options.eventStreamsPerUser = config.eventStreamsPerUser;
        options.maxEventStreams = config.maxEventStreams;
        http::HttpServer httpServer(options);
        const int port = httpServer.bind(config.listen.host, config.listen.port);
        if (port < 0) {
            std::cerr << "reelgate-server: cannot listen on " << displayHost(config.listen.host)
                      << ":" << config.listen.port
                      << " (address in use, or not an address of this machine)\n";
            return 1;
        }
        const std::string address =
            "http://" + displayHost(config.listen.host) + ":" + std::to_string(port);

        database.open();
        if (signals.requested())
            return 0;

        const std::string publicUrl = config.publicUrl.empty() ? address : config.publicUrl;
        auto services = std::make_unique<AppServices>(database.pool(), config, publicUrl);
        // Only a signed-in caller may send a large body (and only to a streaming route); asked
        // before any body byte is read.
        accounts::SessionStore gateSessions(database.pool());
        accounts::RequestAuth gateAuth(gateSessions, publicUrl);
        httpServer.setStreamingGate([&gateAuth](const httplib::Request& req) {
            const auto caller = gateAuth.identify(req);
            return caller && !caller->user.suspended;
        });
        services->registerRoutes(httpServer.routes());
        if (config.demo)
            services->seedDemoContent();

        signals.onSignal([&httpServer] { httpServer.stop(); });
        struct DetachSignals {
            ShutdownSignals& signals;
            ~DetachSignals() { signals.onSignal({}); }
        } detach{signals};
        Log::info("listening on " + address);
        if (!signals.requested())
            httpServer.run();
        httpServer.stop();
        services.reset(); // its threads use the database
        database.stop();
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
