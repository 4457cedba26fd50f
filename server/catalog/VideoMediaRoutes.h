#pragma once
// A video's poster, free preview setting and watermark design over HTTP.
// Everyone: GET /api/videos/{id}/poster (a video with a package; ETag, If-None-Match -> 304),
// GET /api/videos/{id}/media (a published video's poster_url, preview_url, preview_seconds: what
// the video page shows).
// Its creator (bearer or cookie + CSRF): PUT /api/videos/{id}/poster (the image as the body,
// JPEG or PNG, checked by its bytes: 413 too large, 415 not an image, 422 unfit),
// GET/PUT /api/videos/{id}/preview {"seconds": 0..120}, GET/PUT /api/videos/{id}/watermark
// (the WatermarkSpec JSON; new playback sessions draw the saved design).
// The preview itself is served by playback (playback/PreviewRoutes.h).

#include "accounts/RequestAuth.h"
#include "catalog/VideoMediaService.h"

#include <httplib.h>

namespace reelgate::server::catalog {

void registerVideoMediaRoutes(httplib::Server& server, VideoMediaService& media,
                              accounts::RequestAuth& auth);

} // namespace reelgate::server::catalog
