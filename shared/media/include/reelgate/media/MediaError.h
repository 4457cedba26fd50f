#pragma once
// MediaError: thrown by reelgate::media for input that cannot be processed (unreadable file, no
// video stream, a broken package) and for libav failures. The message is written for the person
// who supplied the input (it names the file and the reason) and contains no secrets.
// Catch it at the edge (CLI stderr, studio dialog); jobs catch it and report it in progress().

#include <stdexcept>

namespace reelgate::media {

class MediaError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace reelgate::media
