#include "playback/PlaybackRoutes.h"

#include "http/ApiError.h"
#include "http/FileResponse.h"
#include "http/JsonResponse.h"
#include "reelgate/core/ForensicCode.h"

namespace reelgate::server::playback {
namespace {

using http::ApiError;
constexpr const char* kSession = "/play/([A-Za-z0-9_-]{32})";
constexpr const char* kRendition = "/([A-Za-z0-9_-]{1,32})";
constexpr const char* kPlaylistType = "application/vnd.apple.mpegurl";

void noStore(httplib::Response& res) {
    res.set_header("Cache-Control", "private, no-store");
}

} // namespace

void registerPlaybackRoutes(httplib::Server& server, PlaybackService& playback,
                            accounts::RequestAuth& auth, const std::string& accelRedirectPrefix) {
    server.Post(R"(/api/videos/([A-Za-z0-9_-]{8,32})/play)", [&](const httplib::Request& req,
                                                                 httplib::Response& res) {
        const auto ctx = auth.require(req);
        const auto started = playback.start(ctx.user, req.matches[1].str(), req.remote_addr);
        // The decision is made now, while starting costs queries anyway: the player's
        // playlists and segments that follow are answered from memory from the first one.
        try {
            playback.authorize(started.token, accounts::RequestAuth::credential(req),
                               [&] { return ctx; });
        } catch (const std::exception&) {
            // Not cached: the first playlist request decides instead.
        }
        noStore(res);
        http::sendJson(res, 201,
                       {{"session",
                         {{"id", started.token},
                          {"master_url", "/play/" + started.token + "/master.m3u8"},
                          {"expires_at", started.expiresAt}}},
                        {"overlay", started.overlay}});
    });

    // Who is asking, for every /play request: the session's own user, or an error.
    const auto authorize = [&playback, &auth](const httplib::Request& req) {
        // Keyed on what authenticates (auth.require below uses the same credential), never on
        // a header that played no part in it.
        const std::string credential = accounts::RequestAuth::credential(req);
        if (credential.empty())
            throw ApiError::unauthorized();
        return playback.authorize(req.matches[1].str(), credential,
                                  [&] { return auth.require(req); });
    };

    server.Get(std::string(kSession) + "/master.m3u8",
               [authorize](const httplib::Request& req, httplib::Response& res) {
                   const auto session = authorize(req);
                   noStore(res);
                   res.set_content(session.package->masterPlaylist(), kPlaylistType);
               });

    server.Get(std::string(kSession) + kRendition + "/index.m3u8",
               [authorize](const httplib::Request& req, httplib::Response& res) {
                   const auto session = authorize(req);
                   const std::string* playlist = session.package->mediaPlaylist(req.matches[2]);
                   if (!playlist)
                       throw ApiError::notFound("There is no such rendition.");
                   noStore(res);
                   res.set_content(*playlist, kPlaylistType);
               });

    server.Get(
        std::string(kSession) + kRendition + R"(/(\d{1,7})\.ts)",
        [authorize, accelRedirectPrefix](const httplib::Request& req, httplib::Response& res) {
            const auto session = authorize(req);
            const std::int64_t n = std::stoll(req.matches[3].str());
            const bool variantB = session.variantB(n);
            res.set_header("Cache-Control", "private, max-age=86400");
            if (!accelRedirectPrefix.empty()) {
                const auto path = session.package->segmentPath(req.matches[2], n, variantB);
                if (!path)
                    throw ApiError::notFound("There is no such segment.");
                res.set_header("X-Accel-Redirect",
                               accelRedirectPrefix + session.packageDir + "/" + *path);
                res.set_header("Content-Type", "video/mp2t");
                return;
            }
            const auto file = session.package->segmentFile(req.matches[2], n, variantB);
            if (!file || !http::sendFile(res, *file, "video/mp2t"))
                throw ApiError::notFound("There is no such segment.");
        });

    server.Get(std::string(kSession) + "/key",
               [authorize](const httplib::Request& req, httplib::Response& res) {
                   const auto session = authorize(req);
                   if (session.package->key().empty())
                       throw ApiError::notFound("This video is not encrypted.");
                   noStore(res);
                   res.set_content(session.package->key(), "application/octet-stream");
               });
}

} // namespace reelgate::server::playback
