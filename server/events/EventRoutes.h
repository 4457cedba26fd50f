#pragma once
// GET /api/me/events: a signed-in page's Server-Sent Events stream. Opens with `event: ready`;
// then carries whatever the server publishes for the user (EventHub::publish keyed by the user
// id, e.g. a payment that settled) and `event: session_revoked` once the session that opened it
// is signed out, revoked, expired or its user suspended (checked every recheck interval), after
// which the stream ends. The stream waits in the event loop and holds no thread. A user keeps
// at most --event-streams-per-user streams (a new one ends the oldest with `event:
// stream_limit`); past --max-event-streams in all, 503 {"error":{"code":"too_many_streams"}}.
// POST /api/me/events/ping: one `ping` event ({"sent_at_ms":...}) to each of the caller's own
// streams; answers {"delivered": n}.

#include "accounts/RequestAuth.h"
#include "accounts/SessionStore.h"

#include <httplib.h>

namespace reelgate::server::events {

void registerEventRoutes(httplib::Server& server, accounts::RequestAuth& auth,
                         accounts::SessionStore& sessions);

} // namespace reelgate::server::events
