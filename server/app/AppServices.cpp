#include "app/AppServices.h"

#include "admin/AdminRoutes.h"
#include "app/Log.h"
#include "health/HealthRoutes.h"
#include "web/WebPages.h"

namespace reelgate::server {

AppServices::AppServices(db::PgPool& pool, const Config& config, std::string publicUrl)
    : config_(config)
    , publicUrl_(std::move(publicUrl))
    , sessions_(pool)
    , accounts_(pool, sessions_, hasher_)
    , auth_(sessions_, publicUrl_)
    , health_(pool) {}

void AppServices::registerRoutes(httplib::Server& server) {
    registerHealthRoutes(server, health_);
    accounts::registerAuthRoutes(server, accounts_, sessions_, auth_, authLimits_, publicUrl_);
    admin::registerAdminRoutes(server, accounts_, auth_);
    web::registerWebPages(server, web::resolveWebDir(config_.webDir));
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
