#pragma once
// Incremental SHA-256 for data too large to hold at once (package files, uploads).
// One object per stream; not thread-safe.

#include <memory>
#include <string>
#include <string_view>

namespace reelgate::core {

class Sha256Stream {
public:
    Sha256Stream();
    ~Sha256Stream();
    Sha256Stream(const Sha256Stream&) = delete;
    Sha256Stream& operator=(const Sha256Stream&) = delete;

    void update(std::string_view data);
    // Lower-case hex digest; the stream cannot be updated afterwards.
    std::string finishHex();

    // SHA-256 of a whole file, read in chunks; throws std::runtime_error when unreadable.
    static std::string fileHex(const std::string& path);

private:
    struct State;
    std::unique_ptr<State> state_;
};

} // namespace reelgate::core
