#pragma once
// HTTP for wallets and purchases: GET /api/wallet, /api/wallet/history, POST
// /api/videos/{id}/purchase (Idempotency-Key; referral from the body or the rg_ref cookie),
// GET /api/me/purchases, /api/me/affiliate, /api/me/sales.

#include "accounts/RequestAuth.h"
#include "wallet/PurchaseService.h"
#include "wallet/WalletService.h"

#include <httplib.h>

namespace reelgate::server::wallet {

// The cookie that remembers a ?ref=USERNAME for 30 days (set by the web pages).
inline constexpr const char* kReferralCookie = "rg_ref";

void registerWalletRoutes(httplib::Server& server, WalletService& wallets,
                          PurchaseService& purchases, accounts::RequestAuth& auth);

} // namespace reelgate::server::wallet
