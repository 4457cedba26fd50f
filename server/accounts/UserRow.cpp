#include "accounts/UserRow.h"

namespace reelgate::server::accounts {

User userFromRow(const db::PgResult& rows, int row, int c) {
    User user;
    user.id = UserId{rows.int64(row, c)};
    user.username = rows.text(row, c + 1);
    user.email = rows.text(row, c + 2);
    user.isCreator = rows.boolean(row, c + 3);
    user.isAdmin = rows.boolean(row, c + 4);
    user.suspended = rows.text(row, c + 5) == "suspended";
    user.createdAt = rows.text(row, c + 6);
    return user;
}

} // namespace reelgate::server::accounts
