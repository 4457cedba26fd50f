#pragma once
// InvalidInput: thrown by reelgate::core for input that breaks a documented contract (a malformed
// amount, an unknown currency, an out-of-range rate ...). The message is written for a human and
// is safe to show to the user who supplied the input; it never contains secrets.
// Catch it at the edge (HTTP 400/422, dialog text, CLI stderr) -- it must not cross a module
// boundary uncaught.

#include <stdexcept>

namespace reelgate::core {

class InvalidInput : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

} // namespace reelgate::core
