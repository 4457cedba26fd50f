#pragma once
// The free preview, for anyone (no sign-in, no session, no forensic code): GET
// /preview/{videoId}/index.m3u8 and /preview/{videoId}/{n}.ts. Only the segments that fit in the
// creator's N seconds exist here (PlaybackPackage::previewSegments); anything past them, and
// every video without a preview (unpublished, deleted, N = 0), is 404. Segments go out in the
// clear, cacheable by anyone; the package key is never served here.

#include "catalog/VideoMediaService.h"
#include "playback/PlaybackPackage.h"

#include <httplib.h>

namespace reelgate::server::playback {

void registerPreviewRoutes(httplib::Server& server, catalog::VideoMediaService& media,
                           PlaybackPackages& packages);

} // namespace reelgate::server::playback
