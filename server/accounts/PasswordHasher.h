#pragma once
// Argon2id password hashing (libargon2). The encoded hash carries its parameters
// ($argon2id$v=19$m=...,t=...,p=...$salt$hash), so they can be raised later: needsRehash()
// tells when a stored hash is weaker than today's policy. Thread-safe; at most a few hashes
// run at once (each takes ~19 MiB), callers beyond that wait.

#include <cstdint>
#include <string>
#include <string_view>

namespace reelgate::server::accounts {

struct Argon2Params {
    std::uint32_t memoryKiB = 19 * 1024;
    std::uint32_t iterations = 2;
    std::uint32_t lanes = 1;
};

class PasswordHasher {
public:
    explicit PasswordHasher(Argon2Params params = {})
        : params_(params) {}

    std::string hash(std::string_view password) const;
    bool verify(std::string_view encoded, std::string_view password) const;
    bool needsRehash(std::string_view encoded) const;
    // Burns the same time as verify() for a user that does not exist.
    void verifyDummy(std::string_view password) const;

private:
    Argon2Params params_;
};

} // namespace reelgate::server::accounts
