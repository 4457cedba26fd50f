#include "money/SecretBox.h"

#include "reelgate/core/Base64Url.h"
#include "reelgate/core/Crypto.h"

#include <openssl/evp.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace reelgate::server::money {
namespace {

constexpr std::size_t kKeyBytes = 32;
constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;

struct CipherFree {
    void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using Cipher = std::unique_ptr<EVP_CIPHER_CTX, CipherFree>;

unsigned char* bytes(std::string& s) {
    return reinterpret_cast<unsigned char*>(s.data());
}
const unsigned char* bytes(const std::string& s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

std::string readKeyFile(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) { // first run: a fresh key
        const std::string key = core::randomBytes(kKeyBytes);
        const bool ok = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) &&
                        ::fsync(fd) == 0;
        ::close(fd);
        if (!ok)
            throw std::runtime_error("cannot write the secrets key file " + path.string());
        return key;
    }
    if (errno != EEXIST)
        throw std::runtime_error("cannot create the secrets key file " + path.string());
    std::ifstream in(path, std::ios::binary);
    std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (key.size() != kKeyBytes)
        throw std::runtime_error("the secrets key file " + path.string() +
                                 " does not hold 32 bytes");
    return key;
}

} // namespace

SecretBox SecretBox::fromEnvironmentOr(const std::filesystem::path& keyFile) {
    if (const char* text = std::getenv("REELGATE_SECRETS_KEY"); text && *text) {
        std::string value(text);
        std::replace(value.begin(), value.end(), '+', '-');
        std::replace(value.begin(), value.end(), '/', '_');
        const auto key = core::base64UrlDecode(value);
        if (!key || key->size() != kKeyBytes)
            throw std::runtime_error("REELGATE_SECRETS_KEY must be 32 bytes in base64");
        return SecretBox(*key);
    }
    return SecretBox(readKeyFile(keyFile));
}

SecretBox::SecretBox(std::string key32)
    : key_(std::move(key32)) {
    if (key_.size() != kKeyBytes)
        throw std::runtime_error("a secrets key is 32 bytes");
}

std::string SecretBox::seal(const std::string& plaintext, const std::string& aad) const {
    std::string nonce = core::randomBytes(kNonceBytes);
    std::string out(plaintext.size(), '\0');
    std::string tag(kTagBytes, '\0');
    Cipher ctx(EVP_CIPHER_CTX_new());
    int len = 0;
    if (!ctx ||
        EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key_), bytes(nonce)) != 1 ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(aad), static_cast<int>(aad.size())) !=
            1 ||
        EVP_EncryptUpdate(ctx.get(), bytes(out), &len, bytes(plaintext),
                          static_cast<int>(plaintext.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), bytes(out) + len, &len) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, bytes(tag)) != 1)
        throw std::runtime_error("AES-256-GCM sealing failed");
    return core::base64UrlEncode(nonce + out + tag);
}

std::optional<std::string> SecretBox::open(const std::string& sealed,
                                           const std::string& aad) const {
    auto raw = core::base64UrlDecode(sealed);
    if (!raw || raw->size() < kNonceBytes + kTagBytes)
        return std::nullopt;
    const std::string nonce = raw->substr(0, kNonceBytes);
    std::string tag = raw->substr(raw->size() - kTagBytes);
    const std::string cipher = raw->substr(kNonceBytes, raw->size() - kNonceBytes - kTagBytes);
    std::string out(cipher.size(), '\0');
    Cipher ctx(EVP_CIPHER_CTX_new());
    int len = 0;
    if (!ctx ||
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key_), bytes(nonce)) != 1 ||
        EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(aad), static_cast<int>(aad.size())) !=
            1 ||
        EVP_DecryptUpdate(ctx.get(), bytes(out), &len, bytes(cipher),
                          static_cast<int>(cipher.size())) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, bytes(tag)) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), bytes(out) + len, &len) != 1)
        return std::nullopt;
    return out;
}

} // namespace reelgate::server::money
