#pragma once
// Commands that move money or media (see Commands.h for the dispatcher):
//   credit USERNAME AMOUNT CURRENCY [--memo TEXT]
//   publish PACKAGE_DIR --creator USERNAME --title TEXT --price AMOUNT --currency CODE
//           [--affiliate-bps N] [--description TEXT]
//   trace FILE --video VIDEO_ID [--json]
// Each prints what it did on stdout or why not on stderr, and returns the exit code
// (trace: 0 identified, 3 not identified, 1 error).

#include "app/Config.h"
#include "db/PgPool.h"

namespace reelgate::server {

int runCredit(const Config& config, db::PgPool& pool);
int runPublish(const Config& config, db::PgPool& pool);
int runTrace(const Config& config, db::PgPool& pool);

} // namespace reelgate::server
