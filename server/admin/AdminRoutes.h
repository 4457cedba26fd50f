#pragma once
// Admin mode over HTTP (admins only): /api/admin/users (list, search), suspend and reinstate,
// grant or remove the creator and admin roles. An admin cannot suspend or demote themself.

#include "accounts/AccountsService.h"
#include "accounts/RequestAuth.h"

#include <httplib.h>

namespace reelgate::server::admin {

void registerAdminRoutes(httplib::Server& server, accounts::AccountsService& accounts,
                         accounts::RequestAuth& auth);

} // namespace reelgate::server::admin
