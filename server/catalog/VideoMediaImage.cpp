#include "catalog/VideoMediaImage.h"

#include <cstdint>

namespace reelgate::server::catalog {
namespace {

unsigned byteAt(std::string_view bytes, std::size_t at) {
    return static_cast<unsigned char>(bytes[at]);
}

std::uint32_t bigEndian(std::string_view bytes, std::size_t at, int count) {
    std::uint32_t value = 0;
    for (int i = 0; i < count; ++i)
        value = (value << 8) | byteAt(bytes, at + i);
    return value;
}

// The frame header (SOF0..SOF15 but DHT, JPG and DAC) gives the size; markers before it are
// walked by their lengths, so a header hidden in garbage is never found by accident.
VideoMediaImage jpeg(std::string_view bytes) {
    if (bytes.size() < 4 || byteAt(bytes, bytes.size() - 2) != 0xFF ||
        byteAt(bytes, bytes.size() - 1) != 0xD9)
        throw PosterRefused(PosterRefused::Reason::Unfit, "the JPEG is cut short (no end marker)");
    std::size_t at = 2;
    while (at + 4 <= bytes.size()) {
        if (byteAt(bytes, at) != 0xFF)
            throw PosterRefused(PosterRefused::Reason::Unfit, "the JPEG's structure is damaged");
        const unsigned marker = byteAt(bytes, at + 1);
        if (marker == 0xFF) {
            ++at; // fill byte
            continue;
        }
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
            at += 2;
            continue;
        }
        if (marker == 0xD9 || marker == 0xDA)
            break; // image data or the end before any frame header
        const std::uint32_t length = bigEndian(bytes, at + 2, 2);
        if (length < 2 || at + 2 + length > bytes.size())
            throw PosterRefused(PosterRefused::Reason::Unfit, "the JPEG's structure is damaged");
        const bool frame =
            marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (frame) {
            if (length < 8)
                throw PosterRefused(PosterRefused::Reason::Unfit,
                                    "the JPEG's frame header is damaged");
            const unsigned components = byteAt(bytes, at + 9);
            if (components != 1 && components != 3 && components != 4)
                throw PosterRefused(PosterRefused::Reason::Unfit,
                                    "the JPEG has an unusual number of colour components");
            return {"image/jpeg", static_cast<int>(bigEndian(bytes, at + 7, 2)),
                    static_cast<int>(bigEndian(bytes, at + 5, 2))};
        }
        at += 2 + length;
    }
    throw PosterRefused(PosterRefused::Reason::Unfit, "the JPEG has no frame header");
}

VideoMediaImage png(std::string_view bytes) {
    constexpr std::string_view iend("\0\0\0\0IEND\xAE\x42\x60\x82", 12);
    if (bytes.size() < 8 + 25 + 12 || bytes.substr(bytes.size() - 12) != iend)
        throw PosterRefused(PosterRefused::Reason::Unfit, "the PNG is cut short (no IEND chunk)");
    if (bigEndian(bytes, 8, 4) != 13 || bytes.substr(12, 4) != "IHDR")
        throw PosterRefused(PosterRefused::Reason::Unfit,
                            "the PNG does not start with its IHDR chunk");
    const std::uint32_t width = bigEndian(bytes, 16, 4);
    const std::uint32_t height = bigEndian(bytes, 20, 4);
    if (width > 1u << 20 || height > 1u << 20)
        throw PosterRefused(PosterRefused::Reason::Unfit, "the PNG's size is absurd");
    return {"image/png", static_cast<int>(width), static_cast<int>(height)};
}

} // namespace

VideoMediaImage VideoMediaImage::inspect(std::string_view bytes) {
    if (bytes.size() > kMaxBytes)
        throw PosterRefused(PosterRefused::Reason::TooLarge,
                            "a poster may be at most " + std::to_string(kMaxBytes / 1000) + " kB");
    VideoMediaImage image;
    if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xFF\xD8\xFF")
        image = jpeg(bytes);
    else if (bytes.size() >= 8 && bytes.substr(0, 8) == "\x89PNG\r\n\x1A\n")
        image = png(bytes);
    else
        throw PosterRefused(PosterRefused::Reason::NotAnImage,
                            "a poster must be a JPEG or PNG image");
    if (image.widthPx < kMinSidePx || image.heightPx < kMinSidePx || image.widthPx > kMaxSidePx ||
        image.heightPx > kMaxSidePx)
        throw PosterRefused(PosterRefused::Reason::Unfit,
                            "a poster must be between " + std::to_string(kMinSidePx) + " and " +
                                std::to_string(kMaxSidePx) + " pixels on each side (this one is " +
                                std::to_string(image.widthPx) + "x" +
                                std::to_string(image.heightPx) + ")");
    return image;
}

} // namespace reelgate::server::catalog
