#pragma once
// HTTP for money in: GET /api/payments/providers (the enabled ones, for payment panels);
// POST /api/wallet/deposits {provider, amount, currency} and POST /api/videos/{id}/checkout
// {provider, ref?} (both with Idempotency-Key); GET /api/wallet/deposits[/{id}] (the return
// page follows one; POST .../{id}/check asks the provider now); GET /api/payments/quote; POST
// /api/payments/{provider}/webhook (raw body, authenticated by the provider: 400 when not
// authentic, 5xx when it could not be processed so the provider retries); admin: GET
// /api/admin/deposits, POST /api/admin/deposits/{id}/approve|reject {note}, POST
// /api/admin/deposits/{id}/refund {amount?, currency?}, POST /api/admin/payments/reconcile.

#include "accounts/RequestAuth.h"
#include "payments/PaymentsService.h"

#include <httplib.h>

namespace reelgate::server::payments {

void registerPaymentRoutes(httplib::Server& server, PaymentsService& payments,
                           accounts::RequestAuth& auth);

} // namespace reelgate::server::payments
