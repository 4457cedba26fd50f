#pragma once
// What a service throws when a request cannot be done for a reason the caller should hear.
// Services know the database, not HTTP: the HTTP layer maps the Kind to a status code.

#include <stdexcept>
#include <string>

namespace reelgate::server {

class ServiceError : public std::runtime_error {
public:
    enum class Kind {
        Invalid = 1,     // 400: the input is wrong
        Unauthorized,    // 401: who are you?
        Forbidden,       // 403: not allowed
        NotFound,        // 404
        Conflict,        // 409: clashes with existing state
        RateLimited,     // 429
        PaymentRequired, // 402
        Unprocessable,   // 422: well-formed but refused (e.g. a reused idempotency key)
    };

    ServiceError(Kind kind, std::string code, const std::string& message, int retryAfterSeconds = 0)
        : std::runtime_error(message)
        , kind_(kind)
        , code_(std::move(code))
        , retryAfterSeconds_(retryAfterSeconds) {}

    Kind kind() const { return kind_; }
    const std::string& code() const { return code_; }
    int retryAfterSeconds() const { return retryAfterSeconds_; }

private:
    Kind kind_;
    std::string code_;
    int retryAfterSeconds_;
};

} // namespace reelgate::server
