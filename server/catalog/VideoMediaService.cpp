#include "catalog/VideoMediaService.h"

#include "catalog/VideoMediaImage.h"
#include "common/ServiceError.h"
#include "reelgate/core/Crypto.h"
#include "reelgate/core/Text.h"
#include "reelgate/core/WatermarkMotion.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace reelgate::server::catalog {
namespace {

namespace fs = std::filesystem;
using Kind = ServiceError::Kind;
using nlohmann::json;

ServiceError invalid(const std::string& message) {
    return {Kind::Invalid, "invalid_watermark", message};
}

bool hasPackage(const Video& video) {
    return !video.packageDir.empty() &&
           (video.state == "published" || video.state == "unpublished");
}

// Writes `bytes` to `file` so that readers see the whole file or none: a temporary name in the
// same folder, synced, then renamed over; the folder is synced too.
void writeAtomically(const fs::path& file, std::string_view bytes) {
    const fs::path temp = file.parent_path() / ("." + core::randomToken(8) + ".tmp");
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        throw std::runtime_error("cannot create " + temp.string());
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n <= 0) {
            ::close(fd);
            ::unlink(temp.c_str());
            throw std::runtime_error("cannot write " + temp.string());
        }
        done += static_cast<std::size_t>(n);
    }
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced || ::rename(temp.c_str(), file.c_str()) != 0) {
        ::unlink(temp.c_str());
        throw std::runtime_error("cannot store " + file.string());
    }
    if (const int dir = ::open(file.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}

double number(const json& spec, const char* name, double low, double high) {
    const json& value = spec.at(name);
    if (!value.is_number() || value.get<double>() < low || value.get<double>() > high)
        throw invalid(std::string("'") + name + "' must be a number from " +
                      core::printable(json(low).dump()) + " to " +
                      core::printable(json(high).dump()) + ".");
    return value.get<double>();
}

std::string color(const json& spec, const char* name) {
    const json& value = spec.at(name);
    std::string text = value.is_string() ? value.get<std::string>() : "";
    if (text.size() != 7 || text[0] != '#' ||
        text.find_first_not_of("0123456789abcdefABCDEF", 1) != std::string::npos)
        throw invalid(std::string("'") + name + "' must be a colour like \"#ffffff\".");
    for (char& c : text)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

} // namespace

std::optional<PosterFile> VideoMediaService::poster(const std::string& publicId) {
    const auto video = videos_.find(publicId);
    if (!video || !hasPackage(*video) || video->posterFile.empty())
        return std::nullopt;
    // Both parts were checked when written; resolve and stay inside the videos folder anyway.
    std::error_code ec;
    const fs::path root = fs::canonical(videosDir_, ec);
    const fs::path file = fs::canonical(videosDir_ / video->packageDir / video->posterFile, ec);
    if (ec || file.string().rfind(root.string() + "/", 0) != 0)
        return std::nullopt;
    const auto bytes = fs::file_size(file, ec);
    const auto changed = fs::last_write_time(file, ec).time_since_epoch().count();
    if (ec)
        return std::nullopt;
    return PosterFile{file, file.extension() == ".png" ? "image/png" : "image/jpeg",
                      "\"" + std::to_string(bytes) + "-" + std::to_string(changed) + "\""};
}

Video VideoMediaService::setPoster(accounts::UserId creator, const std::string& publicId,
                                   std::string_view bytes) {
    const Video video = videos_.own(creator, publicId);
    if (!hasPackage(video))
        throw ServiceError(Kind::Conflict, "no_package",
                           "Publish the video first; its poster can be changed afterwards.");
    const VideoMediaImage image = VideoMediaImage::inspect(bytes);
    const std::string name = "posters/" + core::sha256Hex(bytes).substr(0, 24) +
                             (image.contentType == "image/png" ? ".png" : ".jpg");
    const fs::path file = videosDir_ / video.packageDir / name;
    fs::create_directories(file.parent_path());
    writeAtomically(file, bytes);

    std::string previous;
    {
        auto conn = pool_.acquire();
        db::PgTransaction tx(*conn);
        auto rows = conn->exec("SELECT coalesce(poster_file, '') FROM videos WHERE id = $1 AND "
                               "deleted_at IS NULL FOR UPDATE",
                               {std::to_string(video.id)});
        if (rows.rows() == 0)
            throw ServiceError(Kind::NotFound, "not_found", "You have no video with that id.");
        previous = rows.text(0, 0);
        conn->exec("UPDATE videos SET poster_file = $2, updated_at = now() WHERE id = $1",
                   {std::to_string(video.id), name});
        tx.commit();
    }
    // Only files this service wrote are removed; the package's own poster stays with it.
    if (previous != name && previous.rfind("posters/", 0) == 0) {
        std::error_code ec;
        fs::remove(videosDir_ / video.packageDir / previous, ec);
    }
    return videos_.own(creator, publicId);
}

json VideoMediaService::manifestOf(const Video& video) const {
    if (video.packageDir.empty())
        return json::object();
    std::ifstream in(videosDir_ / video.packageDir / "manifest.json", std::ios::binary);
    json manifest = json::parse(in, nullptr, false);
    return manifest.is_object() ? manifest : json::object();
}

json VideoMediaService::packageWatermark(const Video& video) const {
    json spec = core::defaultWatermarkSpec();
    spec["seed"] = 0;
    const json manifest = manifestOf(video);
    if (manifest.contains("watermark") && manifest["watermark"].is_object())
        spec.update(manifest["watermark"]);
    return spec;
}

std::optional<json> VideoMediaService::savedWatermarkOn(db::PgConnection& conn,
                                                        std::int64_t videoId) {
    auto rows = conn.exec("SELECT watermark::text FROM video_media WHERE video_id = $1 AND "
                          "watermark IS NOT NULL",
                          {std::to_string(videoId)});
    if (rows.rows() == 0)
        return std::nullopt;
    return json::parse(rows.text(0, 0));
}

json VideoMediaService::watermark(accounts::UserId creator, const std::string& publicId) {
    const Video video = videos_.own(creator, publicId);
    auto conn = pool_.acquire();
    if (auto saved = savedWatermarkOn(*conn, video.id))
        return {{"watermark", *saved}, {"edited", true}};
    return {{"watermark", packageWatermark(video)}, {"edited", false}};
}

json VideoMediaService::validWatermark(const json& spec, const json& base) {
    if (!spec.is_object())
        throw invalid("The watermark must be a JSON object.");
    static const char* const kFields[] = {
        "template",    "font_size_pct", "opacity",    "color",  "box", "box_color",
        "box_opacity", "interval_ms",   "margin_pct", "motion", "seed"};
    for (const auto& [key, value] : spec.items()) {
        if (std::find_if(std::begin(kFields), std::end(kFields),
                         [&](const char* f) { return key == f; }) == std::end(kFields))
            throw invalid("The watermark has no field '" + core::printable(key, 40) + "'.");
    }
    json merged = base;
    merged.update(spec);
    json out;
    const json& motion = merged.at("motion");
    if (!motion.is_string() || motion.get<std::string>() != "hash-v1")
        throw invalid("'motion' must be \"hash-v1\" (the motion the player knows).");
    out["motion"] = "hash-v1";
    const json& text = merged.at("template");
    const core::TextRules rules{.maxChars = 200, .allowEmpty = false};
    if (!text.is_string() ||
        core::checkText(text.get<std::string>(), rules) != core::TextProblem::None ||
        text.get<std::string>().find_first_not_of(' ') == std::string::npos)
        throw invalid("'template' must be one line of 1 to 200 characters.");
    out["template"] = text;
    out["font_size_pct"] = number(merged, "font_size_pct", 0.5, 20);
    out["opacity"] = number(merged, "opacity", 0.05, 1);
    out["box_opacity"] = number(merged, "box_opacity", 0, 1);
    out["margin_pct"] = number(merged, "margin_pct", 0, 25);
    const json& interval = merged.at("interval_ms");
    if (!interval.is_number_integer() || interval.get<std::int64_t>() < 500 ||
        interval.get<std::int64_t>() > 3600000)
        throw invalid("'interval_ms' must be a whole number from 500 to 3600000.");
    out["interval_ms"] = interval.get<std::int64_t>();
    const json& seed = merged.at("seed");
    if (!seed.is_number_integer() || seed.get<std::int64_t>() < 0 ||
        seed.get<std::int64_t>() > 4294967295LL)
        throw invalid("'seed' must be a whole number from 0 to 4294967295.");
    out["seed"] = seed.get<std::int64_t>();
    out["color"] = color(merged, "color");
    out["box_color"] = color(merged, "box_color");
    if (!merged.at("box").is_boolean())
        throw invalid("'box' must be true or false.");
    out["box"] = merged["box"];
    return out;
}

json VideoMediaService::setWatermark(accounts::UserId creator, const std::string& publicId,
                                     const json& spec) {
    const Video video = videos_.own(creator, publicId);
    auto conn = pool_.acquire();
    auto saved = savedWatermarkOn(*conn, video.id);
    const json design = validWatermark(spec, saved ? *saved : packageWatermark(video));
    conn->exec("INSERT INTO video_media (video_id, watermark) VALUES ($1, $2::jsonb) "
               "ON CONFLICT (video_id) DO UPDATE SET watermark = EXCLUDED.watermark, "
               "updated_at = now()",
               {std::to_string(video.id), design.dump()});
    return {{"watermark", design}, {"edited", true}};
}

json VideoMediaService::preview(accounts::UserId creator, const std::string& publicId) {
    const Video video = videos_.own(creator, publicId);
    int seconds = 0;
    {
        auto conn = pool_.acquire();
        auto rows = conn->exec("SELECT preview_seconds FROM video_media WHERE video_id = $1",
                               {std::to_string(video.id)});
        seconds = rows.rows() ? static_cast<int>(rows.int64(0, 0)) : 0;
    }
    const json manifest = manifestOf(video);
    const json segmentMs = manifest.value("segment_duration_ms", json());
    const json variants = manifest.value("variants", json::object());
    return {{"seconds", seconds},
            {"segment_ms", segmentMs.is_number_integer() ? segmentMs : json()},
            {"forensic_ab", variants.is_object() && variants.value("ab", false) == true}};
}

int VideoMediaService::setPreviewSeconds(accounts::UserId creator, const std::string& publicId,
                                         int seconds) {
    if (seconds < 0 || seconds > kMaxPreviewSeconds)
        throw ServiceError(Kind::Invalid, "invalid_preview",
                           "The preview lasts 0 (none) to " + std::to_string(kMaxPreviewSeconds) +
                               " seconds.");
    const Video video = videos_.own(creator, publicId);
    auto conn = pool_.acquire();
    conn->exec("INSERT INTO video_media (video_id, preview_seconds) VALUES ($1, $2) "
               "ON CONFLICT (video_id) DO UPDATE SET preview_seconds = EXCLUDED.preview_seconds, "
               "updated_at = now()",
               {std::to_string(video.id), std::to_string(seconds)});
    return seconds;
}

std::optional<json> VideoMediaService::publicMedia(const std::string& publicId) {
    const auto video = videos_.find(publicId);
    if (!video || video->state != "published" || video->deleted)
        return std::nullopt;
    const auto source = preview(publicId);
    const std::string base = "/api/videos/" + publicId;
    return json{{"poster_url", video->posterFile.empty() ? json() : json(base + "/poster")},
                {"preview_url", source ? json("/preview/" + publicId + "/index.m3u8") : json()},
                {"preview_seconds", source ? source->seconds : 0}};
}

std::optional<PreviewSource> VideoMediaService::preview(const std::string& publicId) {
    auto conn = pool_.acquire();
    auto rows =
        conn->exec("SELECT v.package_dir, m.preview_seconds FROM videos v JOIN video_media m ON "
                   "m.video_id = v.id WHERE v.public_id = $1 AND v.state = 'published' AND "
                   "v.deleted_at IS NULL AND v.package_dir IS NOT NULL AND m.preview_seconds > 0",
                   {publicId});
    if (rows.rows() == 0)
        return std::nullopt;
    return PreviewSource{rows.text(0, 0), static_cast<int>(rows.int64(0, 1))};
}

} // namespace reelgate::server::catalog
