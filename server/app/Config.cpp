#include "app/Config.h"

#include "http/TrustedProxies.h"
#include "reelgate/core/Version.h"

#include <charconv>
#include <cstdlib>
#include <unistd.h>

namespace reelgate::server {
namespace {

struct OptionSpec {
    const char* flag;
    const char* env;
    const char* valueName;
    const char* help;
};

constexpr OptionSpec kOptions[] = {
    {"--listen", "REELGATE_LISTEN", "HOST:PORT",
     "address to serve HTTP on (default 127.0.0.1:8080; port 0 picks a free one)"},
    {"--data-dir", "REELGATE_DATA_DIR", "DIR",
     "where videos, uploads and the embedded database live\n"
     "                             (default ~/.local/share/reelgate, /var/lib/reelgate for root)"},
    {"--database-url", "REELGATE_DATABASE_URL", "URL",
     "PostgreSQL connection URL; without it the server runs its own\n"
     "                             PostgreSQL cluster in <data-dir>/pg on a private Unix socket"},
    {"--log-level", "REELGATE_LOG_LEVEL", "LEVEL", "error, warn, info (default) or debug"},
    {"--migrations-dir", "REELGATE_MIGRATIONS_DIR", "DIR",
     "read sql/NNNN_name.sql migrations from DIR instead of the built-in set"},
    {"--http-threads", "REELGATE_HTTP_THREADS", "N",
     "HTTP worker threads (default: 4 per core, at least 8)"},
    {"--max-body-bytes", "REELGATE_MAX_BODY_BYTES", "N",
     "largest accepted request body in bytes (default 1048576)"},
    {"--max-upload-bytes", "REELGATE_MAX_UPLOAD_BYTES", "N",
     "largest video package a creator may upload (default 21474836480 = 20 GiB)"},
    {"--public-url", "REELGATE_PUBLIC_URL", "URL",
     "the address users reach this server at, for links in mail and\n"
     "                             Secure cookies when https (default http://<listen>)"},
    {"--smtp-url", "REELGATE_SMTP_URL", "URL",
     "send mail through this SMTP server (smtp://host:587 tries STARTTLS,\n"
     "                             smtps://host:465); the password comes from\n"
     "                             REELGATE_SMTP_PASSWORD. Without it mail waits in the outbox"},
    {"--smtp-user", "REELGATE_SMTP_USER", "NAME", "SMTP user name (none = no authentication)"},
    {"--mail-from", "REELGATE_MAIL_FROM", "ADDRESS",
     "sender of outgoing mail (default Reelgate <no-reply@<public host>>)"},
    {"--web-dir", "REELGATE_WEB_DIR", "DIR", "serve the buyer pages from DIR (default: built-in)"},
    {"--accel-redirect", "REELGATE_ACCEL_REDIRECT", "PREFIX",
     "behind nginx: answer segment requests with X-Accel-Redirect: PREFIX<package>/...\n"
     "                             and let nginx send the bytes (see installers/nginx)"},
    {"--trusted-proxies", "REELGATE_TRUSTED_PROXIES", "LIST",
     "proxies whose X-Forwarded-For gives the client's address (rate limits,\n"
     "                             session records): addresses or CIDR ranges separated by\n"
     "                             commas, 'loopback' (default: nginx on this host) or 'none'"},
    {"--idle-timeout", "REELGATE_IDLE_TIMEOUT", "SECONDS",
     "close a kept-alive connection idle this long (default 60; idle connections\n"
     "                             hold no thread)"},
    {"--head-timeout", "REELGATE_HEAD_TIMEOUT", "SECONDS",
     "a request head must arrive within this time (default 10)"},
    {"--event-recheck", "REELGATE_EVENT_RECHECK", "SECONDS",
     "how often open event streams check their session (default 30)"},
    {"--event-streams-per-user", "REELGATE_EVENT_STREAMS_PER_USER", "N",
     "open event streams per user; a new one closes the oldest (default 8)"},
    {"--max-event-streams", "REELGATE_MAX_EVENT_STREAMS", "N",
     "open event streams in all; past it new ones get 503 (default 16384)"},
    {"--demo", "REELGATE_DEMO", "1|0",
     "create demo accounts admin, creator, buyer (for trying it out only)"},
    // Payment providers (README: Payments). Without its keys a provider is off.
    {"--stripe-secret-key", "REELGATE_STRIPE_SECRET_KEY", "KEY",
     "Stripe secret API key (sk_...): turns on card payments by Stripe Checkout"},
    {"--stripe-webhook-secret", "REELGATE_STRIPE_WEBHOOK_SECRET", "LIST",
     "Stripe webhook signing secrets (whsec_...), comma-separated during a rotation"},
    {"--stripe-api-url", "REELGATE_STRIPE_API_URL", "URL",
     "Stripe API base URL (default https://api.stripe.com)"},
    {"--paypal-client-id", "REELGATE_PAYPAL_CLIENT_ID", "ID",
     "PayPal REST app client id: with the secret and webhook id, turns on PayPal"},
    {"--paypal-client-secret", "REELGATE_PAYPAL_CLIENT_SECRET", "SECRET", "PayPal REST app secret"},
    {"--paypal-webhook-id", "REELGATE_PAYPAL_WEBHOOK_ID", "ID",
     "the id PayPal gave the webhook registered for this server"},
    {"--paypal-api-url", "REELGATE_PAYPAL_API_URL", "URL",
     "PayPal API base URL (default https://api-m.paypal.com)"},
    {"--midtrans-server-key", "REELGATE_MIDTRANS_SERVER_KEY", "KEY",
     "Midtrans server key: turns on Midtrans Snap (QRIS, virtual accounts, e-wallets)"},
    {"--midtrans-api-url", "REELGATE_MIDTRANS_API_URL", "URL",
     "Midtrans Core API base URL (default https://api.midtrans.com)"},
    {"--midtrans-snap-url", "REELGATE_MIDTRANS_SNAP_URL", "URL",
     "Midtrans Snap base URL (default https://app.midtrans.com)"},
    {"--xendit-secret-key", "REELGATE_XENDIT_SECRET_KEY", "KEY",
     "Xendit secret API key: turns on Xendit Invoices"},
    {"--xendit-callback-token", "REELGATE_XENDIT_CALLBACK_TOKEN", "TOKEN",
     "the callback verification token Xendit sends with every callback"},
    {"--xendit-api-url", "REELGATE_XENDIT_API_URL", "URL",
     "Xendit API base URL (default https://api.xendit.co)"},
    {"--bank-transfer", "REELGATE_BANK_TRANSFER", "TEXT",
     "instructions for paying by bank transfer (account, bank); unset = off"},
};

std::optional<std::size_t> parseCount(const std::string& text, std::size_t min, std::size_t max) {
    std::size_t value = 0;
    const auto* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || value < min || value > max)
        return std::nullopt;
    return value;
}

// Applies one option value; returns an error message or empty on success.
std::string applyOption(Config& config, const std::string& flag, const std::string& value,
                        const std::string& origin) {
    if (flag == "--listen") {
        auto address = parseListenAddress(value);
        if (!address)
            return origin + ": '" + value + "' is not HOST:PORT (e.g. 127.0.0.1:8080)";
        config.listen = *address;
    } else if (flag == "--data-dir") {
        if (value.empty())
            return origin + ": the data directory must not be empty";
        config.dataDir = std::filesystem::absolute(value).lexically_normal();
    } else if (flag == "--database-url") {
        config.databaseUrl = value;
    } else if (flag == "--log-level") {
        auto level = parseLogLevel(value);
        if (!level)
            return origin + ": unknown log level '" + value + "' (error, warn, info, debug)";
        config.logLevel = *level;
    } else if (flag == "--migrations-dir") {
        config.migrationsDir = std::filesystem::absolute(value).lexically_normal();
    } else if (flag == "--http-threads") {
        auto n = parseCount(value, 1, 4096);
        if (!n)
            return origin + ": '" + value + "' is not a thread count from 1 to 4096";
        config.httpThreads = *n;
    } else if (flag == "--max-upload-bytes") {
        auto n = parseCount(value, 1 << 20, std::size_t{1} << 44);
        if (!n)
            return origin + ": '" + value + "' is not a byte count of at least 1048576";
        config.maxUploadBytes = *n;
    } else if (flag == "--public-url") {
        if (value.rfind("http://", 0) != 0 && value.rfind("https://", 0) != 0)
            return origin + ": '" + value + "' is not an http:// or https:// URL";
        config.publicUrl = value;
        while (!config.publicUrl.empty() && config.publicUrl.back() == '/')
            config.publicUrl.pop_back();
    } else if (flag == "--smtp-url") {
        if (value.rfind("smtp://", 0) != 0 && value.rfind("smtps://", 0) != 0)
            return origin + ": '" + value + "' is not an smtp:// or smtps:// URL";
        config.smtpUrl = value;
    } else if (flag == "--smtp-user") {
        config.smtpUser = value;
    } else if (flag == "--mail-from") {
        if (value.find('@') == std::string::npos)
            return origin + ": '" + value + "' is not a mail address";
        config.mailFrom = value;
    } else if (flag == "--web-dir") {
        config.webDir = std::filesystem::absolute(value).lexically_normal();
    } else if (flag == "--accel-redirect") {
        if (value.empty() || value.front() != '/' || value.back() != '/' ||
            value.find_first_of(" \t\r\n?#") != std::string::npos)
            return origin + ": '" + value + "' must be a path that starts and ends with '/'";
        config.accelRedirectPrefix = value;
    } else if (flag == "--trusted-proxies") {
        std::string reason;
        if (!http::TrustedProxies::parse(value, &reason))
            return origin + ": " + reason;
        config.trustedProxies = value;
    } else if (flag == "--idle-timeout" || flag == "--head-timeout" || flag == "--event-recheck") {
        auto n = parseCount(value, 1, 86400);
        if (!n)
            return origin + ": '" + value + "' is not a number of seconds from 1 to 86400";
        (flag == "--idle-timeout"   ? config.idleTimeoutSeconds
         : flag == "--head-timeout" ? config.headTimeoutSeconds
                                    : config.eventRecheckSeconds) = static_cast<int>(*n);
    } else if (flag == "--event-streams-per-user" || flag == "--max-event-streams") {
        auto n = parseCount(value, 1, 1'000'000);
        if (!n)
            return origin + ": '" + value + "' is not a number from 1 to 1000000";
        (flag == "--max-event-streams" ? config.maxEventStreams : config.eventStreamsPerUser) =
            static_cast<std::size_t>(*n);
    } else if (flag == "--demo") {
        if (value != "1" && value != "0" && value != "true" && value != "false")
            return origin + ": expected 1 or 0";
        config.demo = value == "1" || value == "true";
    } else if (flag == "--stripe-secret-key") {
        config.stripeSecretKey = value;
    } else if (flag == "--stripe-webhook-secret") {
        config.stripeWebhookSecret = value;
    } else if (flag == "--paypal-client-id") {
        config.paypalClientId = value;
    } else if (flag == "--paypal-client-secret") {
        config.paypalClientSecret = value;
    } else if (flag == "--paypal-webhook-id") {
        config.paypalWebhookId = value;
    } else if (flag == "--stripe-api-url" || flag == "--paypal-api-url" ||
               flag == "--midtrans-api-url" || flag == "--midtrans-snap-url" ||
               flag == "--xendit-api-url") {
        if (value.rfind("http://", 0) != 0 && value.rfind("https://", 0) != 0)
            return origin + ": '" + value + "' is not an http:// or https:// URL";
        (flag == "--stripe-api-url"     ? config.stripeApiUrl
         : flag == "--paypal-api-url"   ? config.paypalApiUrl
         : flag == "--midtrans-api-url" ? config.midtransApiUrl
         : flag == "--xendit-api-url"   ? config.xenditApiUrl
                                        : config.midtransSnapUrl) = value;
    } else if (flag == "--midtrans-server-key") {
        config.midtransServerKey = value;
    } else if (flag == "--xendit-secret-key") {
        config.xenditSecretKey = value;
    } else if (flag == "--xendit-callback-token") {
        config.xenditCallbackToken = value;
    } else if (flag == "--bank-transfer") {
        config.bankTransfer = value;
    } else if (flag == "--max-body-bytes") {
        auto n = parseCount(value, 1024, std::size_t{1} << 40);
        if (!n)
            return origin + ": '" + value + "' is not a byte count of at least 1024";
        config.maxBodyBytes = *n;
    }
    return {};
}

const OptionSpec* findOption(const std::string& flag) {
    for (const auto& spec : kOptions) {
        if (flag == spec.flag)
            return &spec;
    }
    return nullptr;
}

} // namespace

std::optional<std::string> processEnv(const std::string& name) {
    if (const char* value = std::getenv(name.c_str()))
        return std::string(value);
    return std::nullopt;
}

std::optional<ListenAddress> parseListenAddress(const std::string& text) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos)
        return std::nullopt;
    std::string host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (host.empty() || host.find_first_of(" /[]") != std::string::npos)
        return std::nullopt;
    auto port = parseCount(text.substr(colon + 1), 0, 65535);
    if (!port)
        return std::nullopt;
    return ListenAddress{host, static_cast<int>(*port)};
}

std::filesystem::path defaultDataDir(const EnvLookup& env) {
    if (geteuid() == 0)
        return "/var/lib/reelgate";
    if (auto xdg = env("XDG_DATA_HOME"); xdg && !xdg->empty())
        return std::filesystem::path(*xdg) / "reelgate";
    if (auto home = env("HOME"); home && !home->empty())
        return std::filesystem::path(*home) / ".local/share/reelgate";
    return std::filesystem::current_path() / "reelgate-data";
}

std::string usageText() {
    std::string text =
        "Usage: reelgate-server [serve] [OPTIONS]\n"
        "       reelgate-server admin create USERNAME EMAIL [OPTIONS]   (password on stdin)\n"
        "       reelgate-server admin grant USERNAME [OPTIONS]\n"
        "       reelgate-server outbox [OPTIONS]\n"
        "       reelgate-server credit USERNAME AMOUNT CURRENCY [--memo TEXT] [OPTIONS]\n"
        "       reelgate-server publish PACKAGE_DIR --creator USERNAME --title TEXT --price "
        "AMOUNT\n"
        "                       --currency CODE [--affiliate-bps N] [--description TEXT]\n"
        "       reelgate-server trace FILE --video VIDEO_ID [--json] [OPTIONS]\n\n"
        "Serves the Reelgate catalog, uploads, payments and playback over HTTP.\n"
        "`admin create` makes an administrator account (the only way to make the first one);\n"
        "`admin grant` makes an existing user an administrator; `outbox` prints mail waiting\n"
        "to be sent; `credit` adds money paid to the operator to a user's wallet (recorded in\n"
        "the ledger); `publish` puts a transcoded package folder on sale; `trace` finds the\n"
        "viewer whose playback session a leaked recording came from. Commands use the same "
        "--data-dir / --database-url as the server, and\n"
        "work while it runs.\n\n"
        "Options (each also read from the environment variable shown):\n";
    for (const auto& spec : kOptions) {
        std::string left = std::string("  ") + spec.flag + " " + spec.valueName;
        left.resize(std::max<std::size_t>(left.size() + 1, 29), ' ');
        text += left + spec.help + "\n" + std::string(29, ' ') + "[" + spec.env + "]\n";
    }
    text += "  --help                     show this help and exit\n"
            "  --version                  show the version and exit\n"
            "  --print-data-dir           print the data directory these settings use and exit\n\n"
            "Stop the server with Ctrl+C or SIGTERM; it stops its embedded PostgreSQL too.\n";
    return text;
}

std::variant<Config, CliOutcome> parseConfig(const std::vector<std::string>& args,
                                             const EnvLookup& env) {
    Config config;
    const std::string prog = "reelgate-server";

    for (const auto& spec : kOptions) {
        if (auto value = env(spec.env)) {
            auto error = applyOption(config, spec.flag, *value, spec.env);
            if (!error.empty())
                return CliOutcome{2, prog + ": " + error + "\n"};
        }
    }

    bool printDataDir = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--print-data-dir") {
            printDataDir = true;
            continue;
        }
        if (arg == "--help" || arg == "-h")
            return CliOutcome{0, usageText()};
        if (arg == "--version")
            return CliOutcome{0, prog + " " + kVersion + "\n"};

        std::string flag = arg;
        std::optional<std::string> value;
        if (const auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
            flag = arg.substr(0, eq);
            value = arg.substr(eq + 1);
        }
        if (arg.rfind("--", 0) != 0) {
            config.command.push_back(arg);
            continue;
        }
        if (flag == "--demo" && !value)
            value = "1";
        const OptionSpec* spec = findOption(flag);
        if (!spec && !config.command.empty()) {
            static const std::map<std::string, bool> kCommandFlags = {
                {"--memo", true},          {"--creator", true}, {"--title", true},
                {"--description", true},   {"--price", true},   {"--currency", true},
                {"--affiliate-bps", true}, {"--video", true},   {"--json", false}};
            const auto it = kCommandFlags.find(flag);
            if (it != kCommandFlags.end()) {
                if (it->second && !value) {
                    if (i + 1 >= args.size())
                        return CliOutcome{2, prog + ": " + flag + " needs a value (see --help)\n"};
                    value = args[++i];
                }
                config.commandOptions[flag] = value.value_or("1");
                continue;
            }
        }
        if (!spec)
            return CliOutcome{2, prog + ": unknown option '" + arg + "' (see --help)\n"};
        if (!value) {
            if (i + 1 >= args.size())
                return CliOutcome{2, prog + ": " + flag + " needs a value (see --help)\n"};
            value = args[++i];
        }
        auto error = applyOption(config, flag, *value, flag);
        if (!error.empty())
            return CliOutcome{2, prog + ": " + error + "\n"};
    }

    if (config.dataDir.empty())
        config.dataDir = defaultDataDir(env);
    if (printDataDir)
        return CliOutcome{0, config.dataDir.string() + "\n"};
    return config;
}

} // namespace reelgate::server
