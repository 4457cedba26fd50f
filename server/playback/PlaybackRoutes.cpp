#include "playback/PlaybackRoutes.h"

#include "playback/PlayTarget.h"

#include "http/ApiError.h"
#include "http/Connection.h"
#include "http/FileResponse.h"
#include "http/JsonResponse.h"
#include "reelgate/core/ForensicCode.h"

#include <algorithm>
#include <optional>
#include <string_view>

namespace reelgate::server::playback {
namespace {

using http::ApiError;
constexpr const char* kPlaylistType = "application/vnd.apple.mpegurl";

constexpr const char* kNoStore = "private, no-store";

void noStore(httplib::Response& res) {
    res.set_header("Cache-Control", kNoStore);
}

// The answer to `target` for this session, or nullopt when there is no such thing (the error is
// notFoundMessage(target)). Segment n is the session's A or B variant: the file, or behind nginx
// the internal redirect to it.
std::optional<http::InlineReply> playReply(const AuthorizedSession& session,
                                           const PlayTarget& target,
                                           const std::string& accelRedirectPrefix) {
    const PlaybackPackage& package = *session.package;
    http::InlineReply reply;
    switch (target.kind) {
    case PlayTarget::Kind::Master:
    case PlayTarget::Kind::Media: {
        const std::string* playlist = target.kind == PlayTarget::Kind::Master
                                          ? &package.masterPlaylist()
                                          : package.mediaPlaylist(target.rendition);
        if (!playlist)
            return std::nullopt;
        reply.headers.emplace("Cache-Control", kNoStore);
        reply.contentType = kPlaylistType;
        reply.body = *playlist;
        return reply;
    }
    case PlayTarget::Kind::Key:
        if (package.key().empty())
            return std::nullopt;
        reply.headers.emplace("Cache-Control", kNoStore);
        reply.contentType = "application/octet-stream";
        reply.body = package.key();
        return reply;
    case PlayTarget::Kind::Segment:
        break;
    }
    const bool variantB = session.variantB(target.n);
    reply.contentType = "video/mp2t";
    reply.headers.emplace("Cache-Control", "private, max-age=86400");
    if (!accelRedirectPrefix.empty()) {
        const auto path = package.segmentPath(target.rendition, target.n, variantB);
        if (!path)
            return std::nullopt;
        reply.headers.emplace("X-Accel-Redirect",
                              accelRedirectPrefix + session.packageDir + "/" + *path);
        return reply;
    }
    const auto file = package.segmentFile(target.rendition, target.n, variantB);
    if (!file || !(reply.file = http::openSharedFile(*file)))
        return std::nullopt;
    return reply;
}

const char* notFoundMessage(const PlayTarget& target) {
    switch (target.kind) {
    case PlayTarget::Kind::Media:
        return "There is no such rendition.";
    case PlayTarget::Kind::Segment:
        return "There is no such segment.";
    case PlayTarget::Kind::Key:
        return "This video is not encrypted.";
    case PlayTarget::Kind::Master:
        break;
    }
    return "There is no such playlist.";
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

    // The four requests of a playing session. Errors are JSON from here; the event loop
    // answers the same requests itself (below) when the decision is in memory.
    const auto answer = [authorize, accelRedirectPrefix](const httplib::Request& req,
                                                         httplib::Response& res) {
        const auto target = parsePlayTarget(req.path);
        if (!target) // (cannot happen: playRoutePatterns() and parsePlayTarget agree)
            throw ApiError::notFound("There is no such playlist.");
        const auto session = authorize(req);
        const auto reply = playReply(session, *target, accelRedirectPrefix);
        if (!reply)
            throw ApiError::notFound(notFoundMessage(*target));
        http::applyInlineReply(*reply, res);
    };
    for (const std::string& pattern : playRoutePatterns())
        server.Get(pattern, answer);

    // A steady viewer's playlists, key and segments: answered on the event loop itself when the
    // decision is in memory (the same replies; everything else, errors included, takes the
    // routes above).
    http::addInlineResponder(
        server,
        [&playback,
         accelRedirectPrefix](const httplib::Request& req) -> std::optional<http::InlineReply> {
            const auto target = parsePlayTarget(req.path);
            if (!target)
                return std::nullopt;
            const std::string credential = accounts::RequestAuth::credential(req);
            if (credential.empty())
                return std::nullopt;
            const auto session = playback.authorizeIfCached(target->token, credential);
            if (!session)
                return std::nullopt;
            return playReply(*session, *target, accelRedirectPrefix);
        });
}

} // namespace reelgate::server::playback
