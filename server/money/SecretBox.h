#pragma once
// Sealing small secrets at rest (payout details) with AES-256-GCM (OpenSSL): a fresh 12-byte
// nonce per seal, the 16-byte tag checked on open, the purpose bound as associated data (a
// sealed value cannot be moved to another row or user). The key: REELGATE_SECRETS_KEY (32 bytes,
// base64 or base64url) when set, else <data dir>/secrets.key, created with 32 random bytes and
// mode 0600 on first run. The key never reaches a log or an answer. Thread-safe after
// construction.

#include <filesystem>
#include <optional>
#include <string>

namespace reelgate::server::money {

class SecretBox {
public:
    // std::runtime_error when the key is malformed or the key file cannot be made.
    static SecretBox fromEnvironmentOr(const std::filesystem::path& keyFile);
    explicit SecretBox(std::string key32);

    // base64url(nonce | ciphertext | tag)
    std::string seal(const std::string& plaintext, const std::string& associatedData) const;
    // nullopt when the text was not sealed with this key and associated data.
    std::optional<std::string> open(const std::string& sealed,
                                    const std::string& associatedData) const;

private:
    std::string key_;
};

} // namespace reelgate::server::money
