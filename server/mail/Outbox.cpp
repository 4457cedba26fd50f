#include "mail/Outbox.h"

#include "common/Log.h"

namespace reelgate::server::mail {

std::int64_t Outbox::queue(db::PgConnection& connection, const std::string& to,
                           const std::string& subject, const std::string& body) {
    auto rows = connection.exec(
        "INSERT INTO mail_outbox (to_address, subject, body) VALUES ($1, $2, $3) RETURNING id",
        {to, subject, body});
    const auto id = rows.int64(0, 0);
    Log::info("mail " + std::to_string(id) + " queued for " + maskAddress(to) + " (\"" + subject +
              "\"); read pending mail with: reelgate-server outbox");
    return id;
}

std::string Outbox::maskAddress(const std::string& address) {
    const auto at = address.find('@');
    if (at == std::string::npos || at == 0)
        return "***";
    return address.substr(0, 1) + "***" + address.substr(at);
}

} // namespace reelgate::server::mail
