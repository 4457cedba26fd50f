#pragma once
// Builds a User from a result row selected with userColumns(), starting at `firstColumn`.

#include "accounts/User.h"
#include "db/PgResult.h"

namespace reelgate::server::accounts {

User userFromRow(const db::PgResult& rows, int row, int firstColumn = 0);

} // namespace reelgate::server::accounts
