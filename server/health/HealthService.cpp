#include "health/HealthService.h"

#include "common/Log.h"
#include "db/DbError.h"

namespace reelgate::server {

HealthReport HealthService::check() {
    try {
        auto connection = pool_.acquire(std::chrono::seconds(2));
        connection->exec("SELECT 1");
        return {true, {}};
    } catch (const db::DbUnavailable& e) {
        Log::warn(std::string("health check: ") + e.what());
        return {false, "database unreachable"};
    } catch (const db::DbError& e) {
        Log::warn(std::string("health check: ") + e.what());
        return {false, "database query failed"};
    }
}

} // namespace reelgate::server
