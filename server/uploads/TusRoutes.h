#pragma once
// tus 1.0 at /api/uploads (core + creation, termination, checksum [sha1, sha256], expiration),
// for creators uploading a video's package as one tar stream. Upload-Metadata must carry
// `video_id` (the video's public id, a draft or failed video of the uploader). A finished upload
// goes to the IngestWorker. Checksum mismatch answers 460 and stores nothing.

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
