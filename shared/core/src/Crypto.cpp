#include <reelgate/core/Crypto.h>

#include <reelgate/core/Base64Url.h>
#include <reelgate/core/InvalidInput.h>

#include <algorithm>
#include <array>
#include <climits>
#include <memory>
#include <stdexcept>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

namespace reelgate::core {

namespace {

// RAII owners for every OpenSSL handle used here.
struct EvpMdDeleter {
    void operator()(EVP_MD* md) const { EVP_MD_free(md); }
};
struct EvpMacDeleter {
    void operator()(EVP_MAC* mac) const { EVP_MAC_free(mac); }
};
struct EvpMacCtxDeleter {
    void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};
using EvpMdPtr = std::unique_ptr<EVP_MD, EvpMdDeleter>;
using EvpMacPtr = std::unique_ptr<EVP_MAC, EvpMacDeleter>;
using EvpMacCtxPtr = std::unique_ptr<EVP_MAC_CTX, EvpMacCtxDeleter>;

[[noreturn]] void throwOpenSslError(const std::string& what) {
    std::array<char, 256> reason{};
    const unsigned long code = ERR_get_error();
    ERR_error_string_n(code, reason.data(), reason.size());
    ERR_clear_error(); // do not leave stale errors for the next caller on this thread
    throw std::runtime_error("OpenSSL " + what + " failed: " +
                             (code != 0 ? std::string(reason.data()) : "no error reported"));
}

const unsigned char* bytePtr(std::string_view bytes) {
    // OpenSSL wants a valid pointer even for zero bytes; an empty view may hold nullptr.
    static constexpr unsigned char kNoBytes = 0;
    return bytes.empty() ? &kNoBytes : reinterpret_cast<const unsigned char*>(bytes.data());
}

unsigned char* bytePtr(std::string& bytes) {
    return reinterpret_cast<unsigned char*>(bytes.data());
}

// Fetched algorithms are immutable and may be shared by all threads; fetch each once.
// Function-local statics: initialisation is thread-safe and retried if it threw.
const EVP_MD* sha256Algorithm() {
    static const EvpMdPtr md = [] {
        EvpMdPtr fetched(EVP_MD_fetch(nullptr, "SHA256", nullptr));
        if (!fetched) {
            throwOpenSslError("EVP_MD_fetch(SHA256)");
        }
        return fetched;
    }();
    return md.get();
}

EVP_MAC* hmacAlgorithm() {
    static const EvpMacPtr mac = [] {
        EvpMacPtr fetched(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
        if (!fetched) {
            throwOpenSslError("EVP_MAC_fetch(HMAC)");
        }
        return fetched;
    }();
    return mac.get();
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

} // namespace

std::string sha256(std::string_view data) {
    std::string digest(kSha256Bytes, '\0');
    unsigned int digestBytes = 0;
    if (EVP_Digest(bytePtr(data), data.size(), bytePtr(digest), &digestBytes, sha256Algorithm(),
                   nullptr) != 1 ||
        digestBytes != kSha256Bytes) {
        throwOpenSslError("EVP_Digest(SHA256)");
    }
    return digest;
}

std::string sha256Hex(std::string_view data) {
    return toHex(sha256(data));
}

std::string hmacSha256(std::string_view key, std::string_view message) {
    EvpMacCtxPtr ctx(EVP_MAC_CTX_new(hmacAlgorithm()));
    if (!ctx) {
        throwOpenSslError("EVP_MAC_CTX_new");
    }
    static char digestName[] = "SHA256";
    const std::array<OSSL_PARAM, 2> params{
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digestName, 0),
        OSSL_PARAM_construct_end(),
    };
    if (EVP_MAC_init(ctx.get(), bytePtr(key), key.size(), params.data()) != 1) {
        throwOpenSslError("EVP_MAC_init(HMAC-SHA256)");
    }
    if (!message.empty() && EVP_MAC_update(ctx.get(), bytePtr(message), message.size()) != 1) {
        throwOpenSslError("EVP_MAC_update(HMAC-SHA256)");
    }
    std::string mac(kSha256Bytes, '\0');
    std::size_t macBytes = 0;
    if (EVP_MAC_final(ctx.get(), bytePtr(mac), &macBytes, mac.size()) != 1 ||
        macBytes != kSha256Bytes) {
        throwOpenSslError("EVP_MAC_final(HMAC-SHA256)");
    }
    return mac;
}

bool constantTimeEqual(std::string_view a, std::string_view b) {
    // The lengths are not secret (a MAC or token has a fixed, public length), so an early
    // return on them leaks nothing; the contents are compared without data-dependent exits.
    if (a.size() != b.size()) {
        return false;
    }
    return CRYPTO_memcmp(bytePtr(a), bytePtr(b), a.size()) == 0;
}

std::string randomBytes(std::size_t count) {
    std::string bytes(count, '\0');
    // RAND_bytes takes an int length; fill larger requests in chunks.
    constexpr std::size_t kMaxChunk = INT_MAX;
    for (std::size_t done = 0; done < count;) {
        const std::size_t chunk = std::min(count - done, kMaxChunk);
        if (RAND_bytes(bytePtr(bytes) + done, static_cast<int>(chunk)) != 1) {
            throwOpenSslError("RAND_bytes");
        }
        done += chunk;
    }
    return bytes;
}

std::string randomToken(std::size_t entropyBytes) {
    if (entropyBytes == 0) {
        throw InvalidInput("a random token needs at least one byte of entropy");
    }
    return base64UrlEncode(randomBytes(entropyBytes));
}

std::string toHex(std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        hex += kDigits[byte >> 4];
        hex += kDigits[byte & 0x0f];
    }
    return hex;
}

std::optional<std::string> fromHex(std::string_view hex) {
    if (hex.size() % 2 != 0) {
        return std::nullopt;
    }
    std::string bytes;
    bytes.reserve(hex.size() / 2);
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        const int high = hexValue(hex[i]);
        const int low = hexValue(hex[i + 1]);
        if (high < 0 || low < 0) {
            return std::nullopt;
        }
        bytes += static_cast<char>(high * 16 + low);
    }
    return bytes;
}

} // namespace reelgate::core
