#include "http/HttpServer.h"

#include "common/Log.h"
#include "common/ServiceError.h"
#include "db/DbError.h"
#include "http/ApiError.h"
#include "http/JsonResponse.h"
#include "http/RequestGuard.h"
#include "reelgate/core/Text.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

#include <sys/resource.h>

namespace reelgate::server::http {
namespace {

// Set by the pre-routing handler, read by the logger: both run on the connection's thread.
thread_local std::chrono::steady_clock::time_point tRequestStart{};

std::string formatDuration(std::chrono::steady_clock::time_point start) {
    if (start == std::chrono::steady_clock::time_point{})
        return "-";
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1fms", static_cast<double>(us) / 1000.0);
    return buf;
}

// The path as logged: playback session ids (/play/<id>/...) are capabilities and stay out of logs.
std::string loggedPath(const std::string& path) {
    constexpr std::string_view kPlay = "/play/";
    if (path.rfind(kPlay, 0) != 0)
        return path;
    const auto end = path.find('/', kPlay.size());
    return std::string(kPlay) + "*" + (end == std::string::npos ? "" : path.substr(end));
}

int statusFor(ServiceError::Kind kind) {
    switch (kind) {
    case ServiceError::Kind::Invalid:
        return 400;
    case ServiceError::Kind::Unauthorized:
        return 401;
    case ServiceError::Kind::PaymentRequired:
        return 402;
    case ServiceError::Kind::Forbidden:
        return 403;
    case ServiceError::Kind::NotFound:
        return 404;
    case ServiceError::Kind::Conflict:
        return 409;
    case ServiceError::Kind::RateLimited:
        return 429;
    case ServiceError::Kind::Unprocessable:
        return 422;
    }
    return 400;
}

void sendErrorWithRetry(httplib::Response& res, int status, const std::string& code,
                        const std::string& message, int retryAfterSeconds) {
    if (retryAfterSeconds > 0)
        res.set_header("Retry-After", std::to_string(retryAfterSeconds));
    sendError(res, status, code, message);
}

// Every exception a handler lets out ends here: expected ones become their JSON error, the
// rest a 500 without details (the log has them).
void respondToException(const httplib::Request& req, httplib::Response& res,
                        std::exception_ptr ep) {
    try {
        std::rethrow_exception(ep);
    } catch (const ApiError& e) {
        sendErrorWithRetry(res, e.status(), e.code(), e.what(), e.retryAfterSeconds());
    } catch (const ServiceError& e) {
        sendErrorWithRetry(res, statusFor(e.kind()), e.code(), e.what(), e.retryAfterSeconds());
    } catch (const db::DbUnavailable& e) {
        Log::error("database unavailable in " + req.method + " " + req.path + ": " + e.what());
        sendErrorWithRetry(res, 503, "unavailable",
                           "The service is briefly unavailable; try again shortly.", 5);
    } catch (const std::exception& e) {
        Log::error("unhandled error in " + req.method + " " + req.path + ": " + e.what());
        sendError(res, 500, "internal", "The server could not complete the request.");
    } catch (...) {
        Log::error("unhandled non-standard exception in " + req.method + " " + req.path);
        sendError(res, 500, "internal", "The server could not complete the request.");
    }
}

// Connections and the open segment files (FileResponse keeps up to 512) both hold descriptors;
// the usual soft limit of 1024 is too tight for that, so take what the hard limit allows.
void raiseDescriptorLimit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

} // namespace

HttpServer::HttpServer(const HttpOptions& options)
    : server_(std::make_unique<ConnectionServer>())
    , streamingGate_(std::make_shared<RequestGuard::Gate>()) {
    raiseDescriptorLimit();
    const auto guard = std::make_shared<const RequestGuard>(
        options.maxBodyBytes, options.largeBodyRoutes, streamingGate_);
    server_->setRequestSetup([proxies = options.trustedProxies](httplib::Request& req) {
        RequestGuard::simplifyRanges(req);
        RequestGuard::frameEmptyBody(req);
        if (proxies.empty())
            return;
        std::vector<std::string> forwarded;
        const std::size_t count = req.get_header_value_count("X-Forwarded-For");
        for (std::size_t i = 0; i < count; ++i)
            forwarded.push_back(req.get_header_value("X-Forwarded-For", i));
        req.remote_addr = proxies.clientAddress(req.remote_addr, forwarded);
    });
    // Waiting connections hold no thread, so a few workers per core answer everything; more
    // only help while handlers wait (database, disk).
    const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
    loopSettings_.threads = options.threads ? options.threads : std::max<std::size_t>(8, 4 * cores);
    loopSettings_.loops = cores;
    loopSettings_.idleTimeout = std::chrono::seconds(options.idleTimeoutSeconds);
    loopSettings_.headTimeout = std::chrono::seconds(options.headTimeoutSeconds);
    loopSettings_.streamRecheck = std::chrono::seconds(options.eventRecheckSeconds);
    server_->events().setLimits(options.eventStreamsPerUser, options.maxEventStreams);

    // httplib's default also sets SO_REUSEPORT, which would let a second server silently share
    // (and steal half the connections of) a port that is already taken.
    server_->set_socket_options([](socket_t sock) {
        int yes = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    server_->set_keep_alive_max_count(10000);
    server_->set_keep_alive_timeout(options.idleTimeoutSeconds);
    server_->set_read_timeout(30);
    server_->set_write_timeout(30);
    // httplib has one body limit; the small one is enforced per request (RequestGuard), before
    // any body is read, so only streamed uploads may send up to the large one.
    server_->set_payload_max_length(
        std::max<std::uint64_t>(options.maxBodyBytes, options.maxUploadBytes));
    // httplib answers "100 Continue" before routing: refuse there already, so the client
    // never sends a body we would not read.
    server_->set_expect_100_continue_handler(
        [guard](const httplib::Request& req, httplib::Response& res) {
            if (guard->refuseText(req, res) || guard->refuseBody(req, res))
                return res.status;
            return 100;
        });
    server_->set_error_handler(
        httplib::Server::Handler([](const httplib::Request&, httplib::Response& res) {
            if (res.body.empty())
                fillDefaultError(res);
        }));
    server_->set_exception_handler([](const httplib::Request& req, httplib::Response& res,
                                      std::exception_ptr ep) { respondToException(req, res, ep); });
    ConnectionServer::RequestHooks hooks;
    hooks.defaultHeaders = {{"X-Content-Type-Options", "nosniff"},
                            {"X-Frame-Options", "DENY"},
                            {"Referrer-Policy", "same-origin"}};
    hooks.preRouting = [guard](const httplib::Request& req, httplib::Response& res) {
        tRequestStart = std::chrono::steady_clock::now();
        if (guard->refuseText(req, res) || guard->refuseBody(req, res))
            return httplib::Server::HandlerResponse::Handled;
        return httplib::Server::HandlerResponse::Unhandled;
    };
    hooks.postRouting = [](const httplib::Request& req, httplib::Response& res) {
        RequestGuard::fixRanges(req, res);
    };
    hooks.logger = [](const httplib::Request& req, const httplib::Response& res) {
        if (Log::enabled(LogLevel::Info)) {
            Log::info("http " + req.method + " " + loggedPath(core::printable(req.path)) + " " +
                      std::to_string(res.status) + " " + std::to_string(res.body.size()) + "B " +
                      formatDuration(tRequestStart) + " " + req.remote_addr);
        }
        tRequestStart = {};
    };
    server_->setRequestHooks(std::move(hooks));
}

void HttpServer::setStreamingGate(std::function<bool(const httplib::Request&)> gate) {
    *streamingGate_ = std::move(gate);
}

HttpServer::~HttpServer() {
    stop();
}

int HttpServer::bind(const std::string& host, int port) {
    if (port == 0)
        return server_->bind_to_any_port(host);
    return server_->bind_to_port(host, port) ? port : -1;
}

bool HttpServer::run() {
    return server_->serve(loopSettings_);
}

void HttpServer::stop() {
    server_->stopServing();
}

} // namespace reelgate::server::http
