#pragma once
// One-shot commands that share the server's configuration and database:
//   admin create USERNAME EMAIL   (password: one line on stdin, or typed twice at a terminal)
//   admin grant USERNAME
//   outbox                        (mail waiting to be sent)
// Each prints what it did (stdout) or why it failed (stderr) and returns the exit code.

#include "app/Config.h"

namespace reelgate::server {

int runCommand(const Config& config);

} // namespace reelgate::server
