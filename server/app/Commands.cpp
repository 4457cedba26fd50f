#include "app/Commands.h"

#include "app/CatalogCommands.h"
#include "app/Database.h"
#include "common/Log.h"
#include "common/ServiceError.h"
#include "db/DbError.h"
#include "db/EmbeddedPostgres.h"
#include "db/Migrator.h"
#include "reelgate/core/InvalidInput.h"

#include "accounts/AccountsService.h"

#include <iostream>
#include <termios.h>
#include <unistd.h>

namespace reelgate::server {
namespace {

std::string readPassword(const std::string& prompt) {
    std::string line;
    if (!isatty(STDIN_FILENO)) {
        std::getline(std::cin, line);
        return line;
    }
    termios old{};
    tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    std::cerr << prompt << std::flush;
    std::getline(std::cin, line);
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
    return line;
}

int adminCreate(accounts::AccountsService& accounts, const std::string& username,
                const std::string& email) {
    std::string password = readPassword("Password for " + username + ": ");
    if (isatty(STDIN_FILENO) && readPassword("Repeat it: ") != password) {
        std::cerr << "reelgate-server: the passwords differ; nothing was created\n";
        return 1;
    }
    auto user = accounts.registerUser(username, email, password);
    accounts.setAdmin(user.id, true);
    accounts.setCreator(user.id, true);
    std::cout << "admin account '" << user.username << "' created (id " << user.id.value << ")\n";
    return 0;
}

int adminGrant(accounts::AccountsService& accounts, const std::string& username) {
    auto user = accounts.findByLogin(username);
    if (!user) {
        std::cerr << "reelgate-server: no user '" << username << "'\n";
        return 1;
    }
    accounts.setAdmin(user->id, true);
    std::cout << "'" << user->username << "' is now an administrator\n";
    return 0;
}

int printOutbox(db::PgPool& pool) {
    auto conn = pool.acquire();
    auto rows = conn->exec("SELECT id, to_address, subject, body, created_at::text "
                           "FROM mail_outbox WHERE sent_at IS NULL ORDER BY id");
    if (rows.rows() == 0)
        std::cout << "no mail waiting\n";
    for (int r = 0; r < rows.rows(); ++r) {
        std::cout << "--- mail " << rows.text(r, 0) << "  " << rows.text(r, 4)
                  << "\nTo: " << rows.text(r, 1) << "\nSubject: " << rows.text(r, 2) << "\n\n"
                  << rows.text(r, 3) << "\n";
    }
    return 0;
}

} // namespace

int runCommand(const Config& config) {
    const auto& words = config.command;
    const std::string usage = "reelgate-server: usage: admin create USERNAME EMAIL | admin grant "
                              "USERNAME | outbox | credit USERNAME AMOUNT CURRENCY | publish DIR "
                              "... | trace FILE --video ID (see --help)\n";
    const bool create = words.size() == 4 && words[0] == "admin" && words[1] == "create";
    const bool grant = words.size() == 3 && words[0] == "admin" && words[1] == "grant";
    const bool outbox = words.size() == 1 && words[0] == "outbox";
    const bool credit = words.size() == 4 && words[0] == "credit";
    const bool publish = words.size() == 2 && words[0] == "publish";
    const bool trace = words.size() == 2 && words[0] == "trace";
    if (!create && !grant && !outbox && !credit && !publish && !trace) {
        std::cerr << usage;
        return 2;
    }
    Log::setLevel(LogLevel::Warn);
    try {
        Database database(config, Database::Use::Command);
        database.open();
        if (outbox)
            return printOutbox(database.pool());
        if (credit)
            return runCredit(config, database.pool());
        if (publish)
            return runPublish(config, database.pool());
        if (trace)
            return runTrace(config, database.pool());
        accounts::PasswordHasher hasher;
        accounts::SessionStore sessions(database.pool());
        accounts::AccountsService accounts(database.pool(), sessions, hasher);
        return create ? adminCreate(accounts, words[2], words[3]) : adminGrant(accounts, words[2]);
    } catch (const ServiceError& e) {
        std::cerr << "reelgate-server: " << e.what() << "\n";
    } catch (const core::InvalidInput& e) {
        std::cerr << "reelgate-server: " << e.what() << "\n";
        return 2;
    } catch (const db::EmbeddedPostgresError& e) {
        std::cerr << "reelgate-server: embedded database: " << e.what() << "\n";
    } catch (const db::MigrationError& e) {
        std::cerr << "reelgate-server: database migration refused: " << e.what() << "\n";
    } catch (const std::exception& e) {
        std::cerr << "reelgate-server: " << e.what() << "\n";
    }
    return 1;
}

} // namespace reelgate::server
