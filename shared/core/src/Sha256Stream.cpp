#include "reelgate/core/Sha256Stream.h"

#include "reelgate/core/Crypto.h"

#include <openssl/evp.h>

#include <fstream>
#include <stdexcept>
#include <vector>

namespace reelgate::core {

struct Sha256Stream::State {
    struct Deleter {
        void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
    };
    std::unique_ptr<EVP_MD_CTX, Deleter> ctx{EVP_MD_CTX_new()};
};

Sha256Stream::Sha256Stream()
    : state_(std::make_unique<State>()) {
    if (!state_->ctx || EVP_DigestInit_ex(state_->ctx.get(), EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256: cannot initialise OpenSSL digest");
}

Sha256Stream::~Sha256Stream() = default;

void Sha256Stream::update(std::string_view data) {
    if (EVP_DigestUpdate(state_->ctx.get(), data.data(), data.size()) != 1)
        throw std::runtime_error("SHA-256: digest update failed");
}

std::string Sha256Stream::finishHex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(state_->ctx.get(), digest, &length) != 1)
        throw std::runtime_error("SHA-256: digest final failed");
    return toHex(std::string_view(reinterpret_cast<const char*>(digest), length));
}

std::string Sha256Stream::fileHex(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read '" + path + "'");
    Sha256Stream stream;
    std::vector<char> buffer(1 << 20);
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        stream.update(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
    }
    return stream.finishHex();
}

} // namespace reelgate::core
