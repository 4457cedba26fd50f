#include "playback/PreviewRoutes.h"

#include "http/ApiError.h"

namespace reelgate::server::playback {
namespace {

using http::ApiError;
constexpr const char* kPreview = R"(/preview/([A-Za-z0-9_-]{8,32}))";

} // namespace

void registerPreviewRoutes(httplib::Server& server, catalog::VideoMediaService& media,
                           PlaybackPackages& packages) {
    const auto previewOf = [&media, &packages](const std::string& publicId) {
        const auto source = media.preview(publicId);
        if (!source)
            throw ApiError::notFound("This video has no free preview.");
        auto package = packages.get(source->packageDir);
        if (package->previewSegments(source->seconds) == 0)
            throw ApiError::notFound("This video has no free preview.");
        return std::make_pair(std::move(package), source->seconds);
    };

    server.Get(std::string(kPreview) + "/index.m3u8", [previewOf](const httplib::Request& req,
                                                                  httplib::Response& res) {
        const auto [package, seconds] = previewOf(req.matches[1].str());
        // Short: the creator may shorten or end the preview.
        res.set_header("Cache-Control", "public, max-age=60");
        res.set_content(package->previewPlaylist(seconds), "application/vnd.apple.mpegurl");
    });

    server.Get(std::string(kPreview) + R"(/(\d{1,6})\.ts)", [previewOf](const httplib::Request& req,
                                                                        httplib::Response& res) {
        const auto [package, seconds] = previewOf(req.matches[1].str());
        const auto bytes = package->previewSegment(seconds, std::stoll(req.matches[2].str()));
        if (!bytes)
            throw ApiError::notFound("There is no such preview segment.");
        res.set_header("Cache-Control", "public, max-age=60");
        res.set_content(*bytes, "video/mp2t");
    });
}

} // namespace reelgate::server::playback
