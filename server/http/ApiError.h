#pragma once
// Thrown by route code for any failure the caller should see; the server's exception handler
// turns it into {"error":{"code":...,"message":...}} with `status` (plus `Retry-After` when set).

#include <stdexcept>
#include <string>

namespace reelgate::server::http {

class ApiError : public std::runtime_error {
public:
    ApiError(int status, std::string code, const std::string& message, int retryAfterSeconds = 0)
        : std::runtime_error(message)
        , status_(status)
        , code_(std::move(code))
        , retryAfterSeconds_(retryAfterSeconds) {}

    int status() const { return status_; }
    const std::string& code() const { return code_; }
    int retryAfterSeconds() const { return retryAfterSeconds_; }

    static ApiError badRequest(const std::string& message) {
        return {400, "invalid_request", message};
    }
    static ApiError unauthorized(const std::string& message = "Sign in first.") {
        return {401, "unauthorized", message};
    }
    static ApiError forbidden(const std::string& message) { return {403, "forbidden", message}; }
    static ApiError notFound(const std::string& message) { return {404, "not_found", message}; }

private:
    int status_;
    std::string code_;
    int retryAfterSeconds_;
};

} // namespace reelgate::server::http
