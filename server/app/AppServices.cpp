#include "app/AppServices.h"

#include "admin/AdminRoutes.h"
#include "catalog/CatalogRoutes.h"
#include "common/Log.h"
#include "events/EventRoutes.h"
#include "forensics/TraceRoutes.h"
#include "playback/PlaybackRoutes.h"
#include "settings/SettingsRoutes.h"
#include "uploads/TusRoutes.h"
#include "wallet/WalletRoutes.h"

#include "health/HealthRoutes.h"
#include "web/WebPages.h"
#include <cstdlib>

namespace reelgate::server {

AppServices::AppServices(db::PgPool& pool, const Config& config, std::string publicUrl)
    : config_(config)
    , publicUrl_(std::move(publicUrl))
    , sessions_(pool)
    , accounts_(pool, sessions_, hasher_)
    , auth_(sessions_, publicUrl_)
    , health_(pool)
    , videos_(pool)
    , settings_(pool)
    , wallets_(pool)
    , purchases_(pool, settings_)
    , packages_(config.dataDir / "videos")
    , playback_(pool, videos_, settings_, packages_)
    , traces_(videos_, playback_, config.dataDir / "videos")
    , traceJobs_(traces_, config.dataDir / "traces")
    , uploadStore_(pool, config.dataDir)
    , ingest_(pool, videos_, uploadStore_, config.dataDir) {
    if (!config.smtpUrl.empty()) {
        mail::SmtpSettings smtp;
        smtp.url = config.smtpUrl;
        smtp.user = config.smtpUser;
        if (const char* password = std::getenv("REELGATE_SMTP_PASSWORD"))
            smtp.password = password;
        smtp.from = config.mailFrom;
        if (smtp.from.empty()) {
            std::string host = publicUrl_.substr(publicUrl_.find("://") + 3);
            host = host.substr(0, host.find_first_of(":/"));
            smtp.from = "Reelgate <no-reply@" + host + ">";
        }
        smtpRelay_ = std::make_unique<mail::SmtpRelay>(pool, smtp);
        // Name the relay without any user:password@ a URL might carry.
        std::string shown = config.smtpUrl.substr(0, config.smtpUrl.find('?'));
        if (const auto at = shown.find('@'); at != std::string::npos)
            shown = shown.substr(0, shown.find("://") + 3) + shown.substr(at + 1);
        Log::info("mail goes out through " + shown);
    } else {
        Log::info("no SMTP server configured: mail waits in the outbox "
                  "(read it with: reelgate-server outbox)");
    }
}

void AppServices::registerRoutes(httplib::Server& server) {
    registerHealthRoutes(server, health_);
    accounts::registerAuthRoutes(server, accounts_, sessions_, auth_, authLimits_, publicUrl_);
    events::registerEventRoutes(server, auth_, sessions_);
    admin::registerAdminRoutes(server, accounts_, auth_);
    catalog::registerCatalogRoutes(server, videos_, auth_, config_.dataDir / "videos", settings_,
                                   playback_);
    settings::registerSettingsRoutes(server, settings_, auth_);
    wallet::registerWalletRoutes(server, wallets_, purchases_, auth_);
    playback::registerPlaybackRoutes(server, playback_, auth_, config_.accelRedirectPrefix);
    forensics::registerTraceRoutes(server, traceJobs_, auth_,
                                   static_cast<std::int64_t>(config_.maxUploadBytes));
    uploads::registerTusRoutes(server, uploadStore_, ingest_, videos_, auth_,
                               static_cast<std::int64_t>(config_.maxUploadBytes));
    web::registerWebPages(server, web::resolveWebDir(config_.webDir), publicUrl_);
}

void AppServices::seedDemoContent() {
    struct DemoUser {
        const char* username;
        const char* password;
        bool creator;
        bool admin;
    };
    static constexpr DemoUser kDemoUsers[] = {
        {"admin", "demo-admin-password", true, true},
        {"creator", "demo-creator-password", true, false},
        {"buyer", "demo-buyer-password", false, false},
    };
    for (const auto& demo : kDemoUsers) {
        if (accounts_.findByLogin(demo.username))
            continue;
        auto user = accounts_.registerUser(
            demo.username, std::string(demo.username) + "@demo.reelgate.invalid", demo.password);
        if (demo.creator)
            accounts_.setCreator(user.id, true);
        if (demo.admin)
            accounts_.setAdmin(user.id, true);
        Log::info(std::string("demo account '") + demo.username + "' created");
    }
    Log::warn("demo mode: accounts admin, creator and buyer have published passwords "
              "(see README); never use --demo on a public server");
}

} // namespace reelgate::server
