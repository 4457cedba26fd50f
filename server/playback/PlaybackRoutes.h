#pragma once
// POST /api/videos/{id}/play starts a playback session; /play/{session}/master.m3u8,
// /play/{session}/{rendition}/index.m3u8, /play/{session}/{rendition}/{n}.ts and
// /play/{session}/key serve it to the session's own user only. Segment n comes from variant B
// when the session's forensic code says so (ForensicCode::bitForSlot), else A; the URL does not
// tell which. Playlists and the key are `Cache-Control: private, no-store`.
// accelRedirectPrefix non-empty: segments are answered with `X-Accel-Redirect:
// <prefix><package dir>/<rendition>/<a|b>/<n>.ts` and no body, for nginx to send the bytes.
// A request whose decision is in memory (a steady viewer's) is answered by the event loop itself
// (http::addInlineResponder), with the same reply the routes give.

#include "accounts/RequestAuth.h"
#include "playback/PlaybackService.h"

#include <httplib.h>

namespace reelgate::server::playback {

void registerPlaybackRoutes(httplib::Server& server, PlaybackService& playback,
                            accounts::RequestAuth& auth,
                            const std::string& accelRedirectPrefix = {});

} // namespace reelgate::server::playback
