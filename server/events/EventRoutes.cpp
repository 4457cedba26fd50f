#include "events/EventRoutes.h"

#include "http/ApiError.h"
#include "http/Connection.h"
#include "http/JsonResponse.h"

#include <nlohmann/json.hpp>

#include <chrono>

#include <string>

namespace reelgate::server::events {

void registerEventRoutes(httplib::Server& server, accounts::RequestAuth& auth,
                         accounts::SessionStore& sessions) {
    http::EventHub& hub = http::eventHubOf(server); // a wrong server fails at start-up
    // A page (or a benchmark) checks that its streams are live: one `ping` event to each of the
    // caller's own streams, stamped with the server's clock.
    server.Post("/api/me/events/ping", [&auth, &hub](const httplib::Request& req,
                                                     httplib::Response& res) {
        const auto caller = auth.require(req);
        const auto sentMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
        const std::size_t delivered = hub.publish(caller.user.id.value, "ping",
                                                  nlohmann::json{{"sent_at_ms", sentMs}}.dump());
        http::sendJson(res, 200, {{"delivered", delivered}});
    });
    server.Get("/api/me/events", [&auth, &sessions, &hub](const httplib::Request& req,
                                                          httplib::Response& res) {
        const auto caller = auth.identify(req);
        if (!caller || caller->user.suspended)
            throw http::ApiError::unauthorized();
        // Every open stream holds a descriptor; past the cap a page retries later (EventSource
        // does so by itself), while its user's own streams are limited by the hub.
        if (hub.full())
            throw http::ApiError(503, "too_many_streams",
                                 "Too many live event streams are open; try again shortly.", 5);
        const std::int64_t userId = caller->user.id.value;
        const std::string secret = caller->secret;
        res.set_header("Cache-Control", "no-store");
        res.set_header("X-Accel-Buffering", "no"); // nginx passes events on at once
        // No length: the body ends when the stream does.
        res.set_header("Connection", "close");
        res.set_content_provider(
            "text/event-stream", [userId, secret, &sessions](std::size_t, httplib::DataSink& sink) {
                // Joined before the first event goes out: nothing published after it is missed.
                http::parkEventStream(userId, [&sessions, secret] {
                    const auto session = sessions.resolve(secret);
                    return session && !session->user.suspended;
                });
                static const std::string kHello = "retry: 5000\nevent: ready\ndata: {}\n\n";
                if (!sink.write(kHello.data(), kHello.size()))
                    return false;
                sink.done();
                return true;
            });
    });
}

} // namespace reelgate::server::events
