#include "accounts/PasswordHasher.h"

#include "reelgate/core/Crypto.h"

#include <argon2.h>

#include <algorithm>
#include <cstdio>
#include <semaphore>
#include <stdexcept>
#include <thread>

namespace reelgate::server::accounts {
namespace {

constexpr std::uint32_t kSaltBytes = 16;
constexpr std::uint32_t kHashBytes = 32;

std::counting_semaphore<64>& hashingSlots() {
    static std::counting_semaphore<64> slots(
        std::clamp<std::ptrdiff_t>(std::thread::hardware_concurrency(), 2, 64));
    return slots;
}

struct SlotGuard {
    SlotGuard() { hashingSlots().acquire(); }
    ~SlotGuard() { hashingSlots().release(); }
};

} // namespace

std::string PasswordHasher::hash(std::string_view password) const {
    const std::string salt = core::randomBytes(kSaltBytes);
    std::string encoded(argon2_encodedlen(params_.iterations, params_.memoryKiB, params_.lanes,
                                          kSaltBytes, kHashBytes, Argon2_id),
                        '\0');
    SlotGuard slot;
    const int rc = argon2id_hash_encoded(params_.iterations, params_.memoryKiB, params_.lanes,
                                         password.data(), password.size(), salt.data(), salt.size(),
                                         kHashBytes, encoded.data(), encoded.size());
    if (rc != ARGON2_OK)
        throw std::runtime_error(std::string("argon2id: ") + argon2_error_message(rc));
    encoded.resize(encoded.find('\0'));
    return encoded;
}

bool PasswordHasher::verify(std::string_view encoded, std::string_view password) const {
    const std::string copy(encoded);
    SlotGuard slot;
    return argon2id_verify(copy.c_str(), password.data(), password.size()) == ARGON2_OK;
}

bool PasswordHasher::needsRehash(std::string_view encoded) const {
    unsigned m = 0, t = 0, p = 0;
    const std::string copy(encoded);
    if (std::sscanf(copy.c_str(), "$argon2id$v=19$m=%u,t=%u,p=%u$", &m, &t, &p) != 3)
        return true;
    return m < params_.memoryKiB || t < params_.iterations || p < params_.lanes;
}

void PasswordHasher::verifyDummy(std::string_view password) const {
    static const std::string dummy = PasswordHasher(params_).hash("reelgate-no-such-user");
    verify(dummy, password);
}

} // namespace reelgate::server::accounts
