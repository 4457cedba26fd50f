#pragma once
// The server's database, opened the same way for serving and for commands: the configured
// URL, else the embedded cluster in the data dir. For serving, the data dir must be free (it is
// locked for the server's lifetime) and the cluster is started here and stopped by stop() or
// the destructor. A command finding the data dir held by a running server reaches that
// server's cluster through its socket instead. open() applies pending migrations.
// Main thread only.

#include "app/Config.h"
#include "app/DataDir.h"
#include "db/EmbeddedPostgres.h"
#include "db/PgPool.h"

#include <memory>

namespace reelgate::server {

class Database {
public:
    enum class Use { Invalid = 0, Serve, Command };

    // Locks the data dir (Serve: throws DataDirInUse when taken).
    Database(const Config& config, Use use);
    ~Database();

    // Starts the embedded cluster when needed and migrates. Throws on failure.
    void open();
    void stop();
    db::PgPool& pool() { return *pool_; }

private:
    const Config& config_;
    std::unique_ptr<DataDir> dataDir_;
    std::unique_ptr<db::EmbeddedPostgres> embedded_;
    std::unique_ptr<db::PgPool> pool_;
};

} // namespace reelgate::server
