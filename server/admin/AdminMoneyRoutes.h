#pragma once
// The admin's money desk over HTTP (admins only; every action takes a note or reason and is
// written to the audit log by the service): withdrawal queue, approve and reject; purchase
// search and refunds; disputes; commissions; revenue per day; the trial balance; the audit
// log. Lists take ?limit=&offset= and ?format=csv.

#include "accounts/RequestAuth.h"
#include "money/MoneyRoutes.h"

#include <httplib.h>

namespace reelgate::server::admin {

void registerAdminMoneyRoutes(httplib::Server& server, money::MoneyServices& money,
                              db::PgPool& pool, accounts::RequestAuth& auth);

} // namespace reelgate::server::admin
