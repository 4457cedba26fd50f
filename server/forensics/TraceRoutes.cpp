#include "forensics/TraceRoutes.h"

#include "http/ApiError.h"
#include "http/JsonResponse.h"

#include <fstream>
#include <regex>

namespace reelgate::server::forensics {

using http::ApiError;

void registerTraceRoutes(httplib::Server& server, TraceJobs& jobs, accounts::RequestAuth& auth,
                         std::int64_t maxBytes) {
    server.Post("/api/admin/traces", [&jobs, &auth,
                                      maxBytes](const httplib::Request& req, httplib::Response& res,
                                                const httplib::ContentReader& content) {
        auth.requireAdmin(req);
        static const std::regex kVideoId("[A-Za-z0-9_-]{8,32}");
        const std::string video = req.get_param_value("video");
        if (!std::regex_match(video, kVideoId))
            throw ApiError::badRequest("Name the video: POST /api/admin/traces?video=VIDEO_ID.");
        const std::string length = req.get_header_value("Content-Length");
        if (length.empty() || req.get_header_value("Transfer-Encoding") == "chunked")
            throw ApiError(411, "length_required", "Send a Content-Length with the recording.");
        std::int64_t bytes = 0;
        try {
            bytes = std::stoll(length);
        } catch (...) {
            throw ApiError::badRequest("Content-Length is not a number.");
        }
        if (bytes <= 0)
            throw ApiError::badRequest("Send the suspect recording as the request body.");
        if (bytes > maxBytes)
            throw ApiError(413, "payload_too_large", "The recording is larger than the limit.");
        const auto path = jobs.newUploadPath();
        std::ofstream out(path, std::ios::binary);
        std::int64_t received = 0;
        const bool complete = content([&](const char* data, std::size_t size) {
            received += static_cast<std::int64_t>(size);
            out.write(data, static_cast<std::streamsize>(size));
            return received <= maxBytes && static_cast<bool>(out);
        });
        out.close();
        if (!complete || received != bytes || !out) {
            std::error_code ec;
            std::filesystem::remove(path, ec);
            throw ApiError::badRequest("The recording did not arrive whole.");
        }
        const std::string id = jobs.submit(video, path);
        http::sendJson(res, 202, {{"trace", *jobs.status(id)}});
    });

    server.Get(R"(/api/admin/traces/([A-Za-z0-9_-]{16}))",
               [&jobs, &auth](const httplib::Request& req, httplib::Response& res) {
                   auth.requireAdmin(req);
                   const auto status = jobs.status(req.matches[1].str());
                   if (!status)
                       throw ApiError::notFound("There is no such trace (traces are forgotten "
                                                "when the server restarts).");
                   http::sendJson(res, 200, {{"trace", *status}});
               });

    server.Delete(R"(/api/admin/traces/([A-Za-z0-9_-]{16}))",
                  [&jobs, &auth](const httplib::Request& req, httplib::Response& res) {
                      auth.requireAdmin(req);
                      const auto status = jobs.cancel(req.matches[1].str());
                      if (!status)
                          throw ApiError::notFound("There is no such trace (traces are "
                                                   "forgotten when the server restarts).");
                      http::sendJson(res, 200, {{"trace", *status}});
                  });
}

} // namespace reelgate::server::forensics
