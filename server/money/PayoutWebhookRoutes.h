#pragma once
// HTTP for the payout providers' notifications: POST /api/payouts/{xendit|paypal}/webhook
// (WithdrawalService::applyNotification). 200 {"received", "outcome"} once processed (a replay
// answers outcome "duplicate"); 401 not_authentic when it is not genuine (nothing changes);
// 503 when the provider cannot be asked now (it retries); 404 for a provider not configured.
// Lives in money/ (not payouts/): it needs the withdrawals, and payouts/ sits below money/.

#include "money/WithdrawalService.h"

#include <httplib.h>

namespace reelgate::server::money {

void registerPayoutWebhookRoutes(httplib::Server& server, WithdrawalService& withdrawals);

} // namespace reelgate::server::money
