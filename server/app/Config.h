#pragma once
// Server configuration from command-line flags and REELGATE_* environment variables
// (a flag wins over its variable). Parsing never exits the process: it returns either a
// Config or a CliOutcome (text to print and the exit code) so main() decides.

#include "common/Log.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace reelgate::server {

struct ListenAddress {
    std::string host = "127.0.0.1";
    int port = 8080; // 0 = any free port (the chosen one is logged)
};

struct Config {
    ListenAddress listen;
    std::filesystem::path dataDir;
    std::string databaseUrl;             // empty = embedded PostgreSQL in <dataDir>/pg
    std::filesystem::path migrationsDir; // empty = migrations built into the binary
    LogLevel logLevel = LogLevel::Info;
    std::size_t httpThreads = 0;                            // 0 = chosen from the core count
    std::size_t maxBodyBytes = 1 << 20;                     // request bodies above this get 413
    std::uint64_t maxUploadBytes = std::uint64_t{20} << 30; // largest package upload (tus)
    std::string publicUrl;        // how users reach us; default http://<listen>
    std::filesystem::path webDir; // buyer pages; empty = installed or source copy
    std::string smtpUrl;          // empty = mail stays in the outbox
    std::string smtpUser;
    std::string mailFrom;            // default "Reelgate <no-reply@<public host>>"
    std::string accelRedirectPrefix; // non-empty: nginx sends segment bytes (X-Accel-Redirect)
    std::string trustedProxies = "loopback"; // peers whose X-Forwarded-For names the client
    int idleTimeoutSeconds = 60;             // kept-alive connection without a next request closes
    int headTimeoutSeconds = 10;             // a started request head must be complete by then
    int eventRecheckSeconds = 30;        // event streams: still-valid check and keep-alive comment
    std::size_t eventStreamsPerUser = 8; // open event streams per user (the oldest closes)
    std::size_t maxEventStreams = 16384; // open event streams in all (then 503)
    bool demo = false;                   // create demo accounts (never in production)
    // Payment providers (flags or REELGATE_* variables): a provider without its keys is off.
    // Secrets are never logged nor answered.
    std::string stripeSecretKey;
    std::string stripeWebhookSecret; // comma-separated: several during a rotation
    std::string stripeApiUrl = "https://api.stripe.com";
    std::string paypalClientId;
    std::string paypalClientSecret;
    std::string paypalWebhookId;
    std::string paypalApiUrl = "https://api-m.paypal.com";
    std::string midtransServerKey;
    std::string midtransApiUrl = "https://api.midtrans.com";
    std::string midtransSnapUrl; // empty: https://app.midtrans.com, or the API URL when that is set
    std::string xenditSecretKey;
    std::string xenditCallbackToken;
    std::string xenditApiUrl = "https://api.xendit.co";
    std::string bankTransfer;         // instructions for a transfer; empty = bank transfers off
    std::vector<std::string> command; // positional words: empty/"serve", "admin", ...
    // Options of a command (--memo, --creator, --title, --price, --video ...), by flag; flags
    // without a value map to "1". Only accepted after a command word.
    std::map<std::string, std::string> commandOptions;
};

// What to do instead of serving: print `text` (to stdout when exitCode == 0, else stderr).
struct CliOutcome {
    int exitCode = 0;
    std::string text;
};

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// Reads the process environment.
std::optional<std::string> processEnv(const std::string& name);

std::variant<Config, CliOutcome> parseConfig(const std::vector<std::string>& args,
                                             const EnvLookup& env);

std::optional<ListenAddress> parseListenAddress(const std::string& text);

// $HOME/.local/share/reelgate for a user; /var/lib/reelgate for root (a service).
std::filesystem::path defaultDataDir(const EnvLookup& env);

std::string usageText();

} // namespace reelgate::server
