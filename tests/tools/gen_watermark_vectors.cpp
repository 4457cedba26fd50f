// gen_watermark_vectors: prints the visible-watermark motion test vectors as JSON on stdout.
// The output is committed as tests/data/watermark_vectors.json and checked by both the C++
// (tests/core/tst_watermarkmotion.cpp) and the JavaScript (tests/web/watermark_motion.test.mjs)
// implementations. The case list is fixed in this file, so the output changes only when the
// algorithm does. Usage: gen_watermark_vectors > tests/data/watermark_vectors.json
//
// Every number stays below 2^53 so JavaScript reads it exactly.

#include <reelgate/core/WatermarkMotion.h>

#include <cstdint>
#include <exception>
#include <iostream>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

using reelgate::core::MotionPoint;
using reelgate::core::PixelPoint;

constexpr std::int64_t kMaxSafeInteger = (std::int64_t{1} << 53) - 1; // JS Number.MAX_SAFE_INTEGER
constexpr std::int64_t kTwoPow32 = std::int64_t{1} << 32;

struct Frame {
    int frameW;
    int frameH;
    int boxW;
    int boxH;
    int marginPx;
};

struct Case {
    std::uint32_t seed;
    std::int64_t tMs;
    std::int64_t intervalMs;
    Frame frame;
};

std::vector<Case> buildCases() {
    // Common frames with a typical "username + time" box, plus degenerate and extreme ones.
    const Frame f180{320, 180, 120, 24, 8};
    const Frame f360{640, 360, 160, 32, 12};
    const Frame f480{854, 480, 180, 36, 16};
    const Frame f720{1280, 720, 240, 48, 24};
    const Frame f1080{1920, 1080, 360, 64, 32};
    const Frame f1440{2560, 1440, 480, 80, 40};
    const Frame f2160{3840, 2160, 720, 120, 64};
    const Frame noMargin{1920, 1080, 0, 0, 0};
    const Frame boxWider{320, 180, 400, 24, 8};             // horizontal free range 0
    const Frame boxTaller{640, 360, 100, 500, 0};           // vertical free range 0
    const Frame marginTooBig{320, 180, 10, 10, 200};        // margins alone exceed the frame
    const Frame hugeFrame{2147483647, 1999999937, 7, 5, 3}; // u * free range > 2^31
    const Frame emptyFrame{0, 0, 0, 0, 0};

    std::vector<Case> cases;
    // Slot boundaries: the last millisecond of a slot and the first of the next.
    for (const std::int64_t intervalMs :
         {std::int64_t{1}, std::int64_t{1000}, std::int64_t{5000}}) {
        for (const std::int64_t k : {std::int64_t{1}, std::int64_t{3}, std::int64_t{720}}) {
            cases.push_back({0x5eed1234U, k * intervalMs - 1, intervalMs, f720});
            cases.push_back({0x5eed1234U, k * intervalMs, intervalMs, f720});
        }
    }
    // Extreme seeds.
    for (const std::uint32_t seed : {0U, 0xffffffffU, 1U, 0x80000000U, 0x9e3779b9U}) {
        cases.push_back({seed, 0, 5000, f1080});
        cases.push_back({seed, 4999, 5000, f360});
        cases.push_back({seed, 5000, 5000, f2160});
        cases.push_back({seed, 3600000, 1, f180});
    }
    // Slot numbers past 2^32 wrap around; every value stays a safe JS integer.
    cases.push_back({0xdeadbeefU, kTwoPow32 - 1, 1, f1080});
    cases.push_back({0xdeadbeefU, kTwoPow32, 1, f1080}); // slot wraps to 0
    cases.push_back({0xdeadbeefU, kTwoPow32 + 7, 1, f1080});
    cases.push_back({0xdeadbeefU, kTwoPow32 * 5000 - 1, 5000, f1440});
    cases.push_back({0xdeadbeefU, kTwoPow32 * 5000, 5000, f1440}); // slot wraps to 0
    cases.push_back({0xdeadbeefU, kTwoPow32 * 5000 + 12345, 5000, f1440});
    cases.push_back({0xffffffffU, kMaxSafeInteger, 1, f2160});
    cases.push_back({0U, kMaxSafeInteger, 5000, f480});
    cases.push_back({0x12345678U, kMaxSafeInteger, 7919, f720});
    cases.push_back({0x12345678U, kMaxSafeInteger - 1, kMaxSafeInteger, f720});
    cases.push_back({0x12345678U, kMaxSafeInteger, kMaxSafeInteger, f720});
    // Every frame size at the same instants.
    for (const Frame& frame : {f180, f360, f480, f720, f1080, f1440, f2160}) {
        cases.push_back({0x0badf00dU, 123456, 4000, frame});
    }
    // Degenerate and extreme frames.
    for (const Frame& frame : {noMargin, boxWider, boxTaller, marginTooBig, emptyFrame}) {
        cases.push_back({0xc0ffee00U, 65000, 5000, frame});
    }
    for (const std::int64_t tMs :
         {std::int64_t{0}, std::int64_t{5000}, std::int64_t{10000}, std::int64_t{15000}}) {
        cases.push_back({0x7f4a7c15U, tMs, 5000, hugeFrame});
    }
    return cases;
}

} // namespace

int main() {
    try {
        nlohmann::ordered_json root;
        root["format_version"] = 1;
        root["algorithm"] = "mix32 integer hash of (seed, floor(t_ms / interval_ms)); see "
                            "shared/core/include/reelgate/core/WatermarkMotion.h";
        root["cases"] = nlohmann::ordered_json::array();
        for (const Case& c : buildCases()) {
            const MotionPoint point = reelgate::core::motionAt(c.seed, c.tMs, c.intervalMs);
            const Frame& f = c.frame;
            const PixelPoint pixel =
                reelgate::core::placeMark(point, f.frameW, f.frameH, f.boxW, f.boxH, f.marginPx);
            root["cases"].push_back(nlohmann::ordered_json{
                {"seed", c.seed},
                {"t_ms", c.tMs},
                {"interval_ms", c.intervalMs},
                {"slot", point.slot},
                {"ux", point.ux},
                {"uy", point.uy},
                {"frame_w", f.frameW},
                {"frame_h", f.frameH},
                {"box_w", f.boxW},
                {"box_h", f.boxH},
                {"margin_px", f.marginPx},
                {"x", pixel.xPx},
                {"y", pixel.yPx},
            });
        }
        // One case per line: diffs of the committed file stay readable.
        std::cout << "{\n"
                  << "  \"format_version\": " << root["format_version"].dump() << ",\n"
                  << "  \"algorithm\": " << root["algorithm"].dump() << ",\n"
                  << "  \"cases\": [\n";
        const auto& cases = root["cases"];
        for (std::size_t i = 0; i < cases.size(); ++i) {
            std::cout << "    " << cases[i].dump() << (i + 1 < cases.size() ? ",\n" : "\n");
        }
        std::cout << "  ]\n}\n";
        return std::cout.good() ? 0 : 1;
    } catch (const std::exception& error) {
        std::cerr << "gen_watermark_vectors: " << error.what() << '\n';
        return 1;
    }
}
