// libFuzzer target: the m3u8 model. Whatever parses must write (without an exception), and the
// written text must parse to the same playlist; every refusal is InvalidInput with a printable
// message. Any other exception, or one from writing, ends the run as a finding.
#include "reelgate/core/InvalidInput.h"
#include "reelgate/core/M3u8.h"
#include "reelgate/core/Text.h"

#include <cstdint>
#include <cstdlib>
#include <optional>
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
    std::optional<M3u8MediaPlaylist> media;
    try {
        media = parseMediaPlaylist(text);
    } catch (const InvalidInput& e) {
        requirePrintable(e.what());
    }
    if (media && !sameMedia(*media, parseMediaPlaylist(writeMediaPlaylist(*media))))
        std::abort();
    std::optional<M3u8MasterPlaylist> master;
    try {
        master = parseMasterPlaylist(text);
    } catch (const InvalidInput& e) {
        requirePrintable(e.what());
    }
    if (master) {
        const M3u8MasterPlaylist again = parseMasterPlaylist(writeMasterPlaylist(*master));
        if (again.variants.size() != master->variants.size())
            std::abort();
        for (std::size_t i = 0; i < master->variants.size(); ++i) {
            const M3u8Variant& a = master->variants[i];
            const M3u8Variant& b = again.variants[i];
            if (a.uri != b.uri || a.bandwidth != b.bandwidth ||
                a.averageBandwidth != b.averageBandwidth || a.resolution != b.resolution ||
                a.codecs != b.codecs || a.frameRateMilli != b.frameRateMilli)
                std::abort();
        }
    }
    return 0;
}
