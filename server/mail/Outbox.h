#pragma once
// Outgoing mail. Every message is stored in mail_outbox first; a relay (SMTP, when configured)
// marks it sent. Without a relay the operator reads pending mail with `reelgate-server outbox`;
// the log names the outbox entry but never its body (it may hold a reset link).
// Thread-safe.

#include "db/PgConnection.h"

#include <cstdint>
#include <string>

namespace reelgate::server::mail {

class Outbox {
public:
    // Queues inside the caller's connection (and so its transaction). Returns the entry id.
    static std::int64_t queue(db::PgConnection& connection, const std::string& to,
                              const std::string& subject, const std::string& body);
    // "a***@example.com": enough for an operator to match a complaint, not a full address.
    static std::string maskAddress(const std::string& address);
};

} // namespace reelgate::server::mail
