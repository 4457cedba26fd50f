#pragma once
// The `serve` command: data dir, database (embedded or URL), migrations, HTTP, and an orderly
// shutdown on SIGINT/SIGTERM. Call from main() before any other thread exists: it blocks
// SIGINT/SIGTERM for the whole process and waits for them on its own thread.

#include "app/Config.h"

namespace reelgate::server {

// Returns the process exit code: 0 after a clean shutdown, 1 when the server could not start
// (the reason is printed on stderr).
int runServer(const Config& config);

} // namespace reelgate::server
