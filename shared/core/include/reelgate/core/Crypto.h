#pragma once
// Crypto: the few primitives Reelgate needs, on OpenSSL 3 (EVP_MD, EVP_MAC, RAND_bytes).
// Byte strings travel as std::string / std::string_view holding raw bytes (not text).
// All functions are thread-safe: algorithm objects are fetched once and shared read-only,
// per-call contexts are owned by RAII wrappers and never shared.
// Errors: std::runtime_error when OpenSSL itself fails (no randomness, broken provider);
// InvalidInput for arguments outside the documented range.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace reelgate::core {

inline constexpr std::size_t kSha256Bytes = 32;

// SHA-256 of `data`: 32 raw bytes.
std::string sha256(std::string_view data);
// SHA-256 of `data` as 64 lowercase hex digits (the form manifest.json uses).
std::string sha256Hex(std::string_view data);

// HMAC-SHA256 (RFC 2104) of `message` under `key` (any length, empty allowed): 32 raw bytes.
std::string hmacSha256(std::string_view key, std::string_view message);

// True when a and b hold the same bytes. Timing depends only on the lengths, never on where the
// contents differ; compare MACs and tokens with this, never with ==. Different lengths -> false.
bool constantTimeEqual(std::string_view a, std::string_view b);

// `count` bytes from the OpenSSL CSPRNG. Throws std::runtime_error if the generator fails.
std::string randomBytes(std::size_t count);

// An unguessable token: `entropyBytes` random bytes, base64url without padding
// (32 bytes -> 43 characters of [A-Za-z0-9_-]). Throws InvalidInput for entropyBytes == 0.
std::string randomToken(std::size_t entropyBytes = 32);

// Lowercase hex of raw bytes ("\x01\xab" -> "01ab").
std::string toHex(std::string_view bytes);
// Raw bytes from hex (either case); std::nullopt for an odd length or a non-hex character.
std::optional<std::string> fromHex(std::string_view hex);

} // namespace reelgate::core
