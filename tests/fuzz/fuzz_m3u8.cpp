// libFuzzer target: the m3u8 model. Whatever parses must write, and the written text must
// parse to the same playlist; every refusal is InvalidInput with a printable message.
#include "reelgate/core/InvalidInput.h"
#include "reelgate/core/M3u8.h"
#include "reelgate/core/Text.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace reelgate::core;

namespace {

void requirePrintable(const char* message) {
    if (checkText(message, {4096, false, false}) != TextProblem::None)
        std::abort();
}

bool sameMedia(const M3u8MediaPlaylist& a, const M3u8MediaPlaylist& b) {
    if (a.version != b.version || a.targetDurationS != b.targetDurationS ||
        a.mediaSequence != b.mediaSequence || a.vod != b.vod || a.endList != b.endList ||
        a.independentSegments != b.independentSegments || a.key.has_value() != b.key.has_value() ||
        (a.key && a.key->uri != b.key->uri) || a.segments.size() != b.segments.size())
        return false;
    for (std::size_t i = 0; i < a.segments.size(); ++i)
        if (a.segments[i].durationUs != b.segments[i].durationUs ||
            a.segments[i].uri != b.segments[i].uri)
            return false;
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const M3u8MediaPlaylist media = parseMediaPlaylist(text);
        if (!sameMedia(media, parseMediaPlaylist(writeMediaPlaylist(media))))
            std::abort();
    } catch (const InvalidInput& e) {
        requirePrintable(e.what());
    }
    try {
        const M3u8MasterPlaylist master = parseMasterPlaylist(text);
        const M3u8MasterPlaylist again = parseMasterPlaylist(writeMasterPlaylist(master));
        if (again.variants.size() != master.variants.size())
            std::abort();
        for (std::size_t i = 0; i < master.variants.size(); ++i)
            if (again.variants[i].uri != master.variants[i].uri ||
                again.variants[i].bandwidth != master.variants[i].bandwidth ||
                again.variants[i].codecs != master.variants[i].codecs ||
                again.variants[i].frameRateMilli != master.variants[i].frameRateMilli)
                std::abort();
    } catch (const InvalidInput& e) {
        requirePrintable(e.what());
    }
    return 0;
}
