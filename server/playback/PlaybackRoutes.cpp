#include "playback/PlaybackRoutes.h"

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
constexpr const char* kSession = "/play/([A-Za-z0-9_-]{32})";
constexpr const char* kRendition = "/([A-Za-z0-9_-]{1,32})";
constexpr const char* kPlaylistType = "application/vnd.apple.mpegurl";

void noStore(httplib::Response& res) {
    res.set_header("Cache-Control", "private, no-store");
}

bool isIdChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

// "/play/{session}/{rendition}/{n}.ts", the segment route's pattern matched by hand (the event
// loop tries every GET it is given against it).
struct SegmentTarget {
    std::string token;
    std::string rendition;
    std::int64_t n = 0;
};

std::optional<SegmentTarget> parseSegmentTarget(std::string_view path) {
    constexpr std::string_view kPrefix = "/play/";
    constexpr std::size_t kTokenChars = 32;
    if (path.substr(0, kPrefix.size()) != kPrefix)
        return std::nullopt;
    path.remove_prefix(kPrefix.size());
    if (path.size() <= kTokenChars || path[kTokenChars] != '/' ||
        !std::all_of(path.begin(), path.begin() + kTokenChars, isIdChar))
        return std::nullopt;
    SegmentTarget target{std::string(path.substr(0, kTokenChars)), {}, 0};
    path.remove_prefix(kTokenChars + 1);
    const std::size_t slash = path.find('/');
    if (slash == 0 || slash > 32 || slash == std::string_view::npos ||
        !std::all_of(path.begin(), path.begin() + static_cast<std::ptrdiff_t>(slash), isIdChar))
        return std::nullopt;
    target.rendition = std::string(path.substr(0, slash));
    path.remove_prefix(slash + 1);
    constexpr std::string_view kSuffix = ".ts";
    const std::size_t digits = path.size() - std::min(path.size(), kSuffix.size());
    if (digits == 0 || digits > 7 || path.substr(digits) != kSuffix ||
        !std::all_of(path.begin(), path.begin() + static_cast<std::ptrdiff_t>(digits),
                     [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    for (const char c : path.substr(0, digits))
        target.n = target.n * 10 + (c - '0');
    return target;
}

// Segment n of `rendition` for this session (its A or B variant): the file, or behind nginx the
// internal redirect to it; nullopt when there is no such segment.
std::optional<http::InlineReply> segmentReply(const AuthorizedSession& session,
                                              const std::string& rendition, std::int64_t n,
                                              const std::string& accelRedirectPrefix) {
    const bool variantB = session.variantB(n);
    http::InlineReply reply;
    reply.contentType = "video/mp2t";
    reply.headers.emplace("Cache-Control", "private, max-age=86400");
    if (!accelRedirectPrefix.empty()) {
        const auto path = session.package->segmentPath(rendition, n, variantB);
        if (!path)
            return std::nullopt;
        reply.headers.emplace("X-Accel-Redirect",
                              accelRedirectPrefix + session.packageDir + "/" + *path);
        return reply;
    }
    const auto file = session.package->segmentFile(rendition, n, variantB);
    if (!file || !(reply.file = http::openSharedFile(*file)))
        return std::nullopt;
    return reply;
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
            const auto reply = segmentReply(session, req.matches[2].str(),
                                            std::stoll(req.matches[3].str()), accelRedirectPrefix);
            if (!reply)
                throw ApiError::notFound("There is no such segment.");
            http::applyInlineReply(*reply, res);
        });
    // A steady viewer's segments: answered on the event loop itself when the decision is in
    // memory (the same reply; everything else, errors included, takes the route above).
    http::addInlineResponder(
        server,
        [&playback,
         accelRedirectPrefix](const httplib::Request& req) -> std::optional<http::InlineReply> {
            const auto target = parseSegmentTarget(req.path);
            if (!target)
                return std::nullopt;
            const std::string credential = accounts::RequestAuth::credential(req);
            if (credential.empty())
                return std::nullopt;
            const auto session = playback.authorizeIfCached(target->token, credential);
            if (!session)
                return std::nullopt;
            return segmentReply(*session, target->rendition, target->n, accelRedirectPrefix);
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
