#pragma once
// tus 1.0 at /api/uploads (core + creation, termination, checksum [sha1, sha256], expiration),
// for creators uploading a video's package as one tar stream. Upload-Metadata must carry
// `video_id` (the video's public id, a draft or failed video of the uploader). A finished upload
// goes to the IngestWorker. Checksum mismatch answers 460 and stores nothing; a full disk 507
// (the chunk is rolled back). Headers are read by TusHeaders (400 without echoing bytes). A
// chunk for a video that is no longer a draft/failed (published from another upload, sold) is
// refused with 409 video_not_editable and the upload is dropped: a video's package never
// changes once it left draft; a new package means a new video. Two PATCHes at one offset:
// one 204, the other 409.

#include "accounts/RequestAuth.h"
#include "catalog/VideoService.h"
#include "uploads/IngestWorker.h"
#include "uploads/UploadStore.h"

#include <httplib.h>

namespace reelgate::server::uploads {

void registerTusRoutes(httplib::Server& server, UploadStore& store, IngestWorker& ingest,
                       catalog::VideoService& videos, accounts::RequestAuth& auth,
                       std::int64_t maxUploadBytes);

} // namespace reelgate::server::uploads
