#include "app/AppServices.h"

#include "admin/AdminMoneyRoutes.h"
#include "admin/AdminRoutes.h"
#include "catalog/CatalogRoutes.h"
#include "catalog/VideoMediaRoutes.h"
#include "common/Log.h"
#include "events/EventRoutes.h"
#include "forensics/TraceRoutes.h"
#include "http/Connection.h"
#include "money/AuditLog.h"
#include "money/PayoutWebhookRoutes.h"
#include "payments/PaymentRoutes.h"
#include "payments/banktransfer/BankTransferProvider.h"
#include "payments/midtrans/MidtransProvider.h"
#include "payments/paypal/PayPalProvider.h"
#include "payments/stripe/StripeProvider.h"
#include "payments/xendit/XenditProvider.h"
#include "playback/PlaybackRoutes.h"
#include "playback/PreviewRoutes.h"
#include "reelgate/core/Text.h"
#include "settings/SettingsRoutes.h"
#include "store/BestQuality.h"
#include "uploads/TusRoutes.h"
#include "wallet/WalletRoutes.h"

#include "health/HealthRoutes.h"
#include "web/WebPages.h"
#include <cstdlib>

namespace reelgate::server {

AppServices::AppServices(db::PgPool& pool, const Config& config, std::string publicUrl)
    : config_(config)
    , pool_(pool)
    , publicUrl_(std::move(publicUrl))
    , sessions_(pool)
    , accounts_(pool, sessions_, hasher_)
    , auth_(sessions_, publicUrl_)
    , health_(pool)
    , videos_(pool)
    , store_(pool, videos_)
    , media_(pool, videos_, config.dataDir / "videos")
    , settings_(pool)
    , wallets_(pool, settings_)
    , purchases_(pool, settings_)
    , payments_(pool, settings_, publicUrl_)
    , secrets_(money::SecretBox::fromEnvironmentOr(config.dataDir / "secrets.key"))
    , payoutDetails_(pool, secrets_, accounts_)
    , withdrawals_(pool, settings_, payoutDetails_)
    , transfers_(pool, settings_)
    , moneyReports_(pool)
    , refunds_(pool, payments_)
    , money_{withdrawals_, transfers_, payoutDetails_, moneyReports_, refunds_}
    , packages_(config.dataDir / "videos")
    , playback_(pool, videos_, settings_, packages_, sessions_.policy())
    , traces_(videos_, playback_, config.dataDir / "videos")
    , traceJobs_(traces_, config.dataDir / "traces")
    , uploadStore_(pool, config.dataDir)
    , ingest_(pool, videos_, uploadStore_, config.dataDir) {
    // A revoked sign-in (sign-out, password change, suspension) stops its playback at once.
    sessions_.setRevocationListener([this](accounts::UserId user) { playback_.forgetUser(user); });
    // Revocations by any instance on this database (and the cache only while it hears them).
    // The same connection brings user events (a deposit settled, a playback ended) to the
    // pages' event streams on this instance.
    // Sign-ins are cached on the same terms as playback decisions (trusted while heard).
    revocations_ = std::make_unique<playback::RevocationListener>(
        pool.conninfo(), playback_,
        [this](std::string_view payload) { userEvents_.deliver(payload); },
        playback::RevocationListener::SignInCache{
            [this](bool trusted) { sessions_.trustCache(trusted); },
            [this](std::string_view payload) { sessions_.applyRevocation(payload); }});
    addPaymentProviders();
    addPayoutProviders();
    if (!config.smtpUrl.empty()) {
        mail::SmtpSettings smtp;
        smtp.url = config.smtpUrl;
        smtp.user = config.smtpUser;
        if (const char* password = std::getenv("REELGATE_SMTP_PASSWORD"))
            smtp.password = password;
        smtp.from = config.mailFrom;
        if (smtp.from.empty()) {
            std::string host = publicUrl_.substr(publicUrl_.find("://") + 3);
            host = host.substr(0, host.find_first_of(":/"));
            smtp.from = "Reelgate <no-reply@" + host + ">";
        }
        smtpRelay_ = std::make_unique<mail::SmtpRelay>(pool, smtp);
        // Name the relay without any user:password@ a URL might carry.
        std::string shown = config.smtpUrl.substr(0, config.smtpUrl.find('?'));
        if (const auto at = shown.find('@'); at != std::string::npos)
            shown = shown.substr(0, shown.find("://") + 3) + shown.substr(at + 1);
        Log::info("mail goes out through " + shown);
    } else {
        Log::info("no SMTP server configured: mail waits in the outbox "
                  "(read it with: reelgate-server outbox)");
    }
}

// Payment providers: each one whose keys are configured (names only in the log, no secrets).
void AppServices::addPaymentProviders() {
    std::string enabled;
    bool remote = false; // a provider the reconciler can ask
    if (!config_.stripeSecretKey.empty() && !config_.stripeWebhookSecret.empty()) {
        payments::StripeKeys keys{config_.stripeSecretKey, {}, config_.stripeApiUrl};
        std::string list = config_.stripeWebhookSecret;
        for (std::size_t start = 0; start <= list.size();) {
            const auto comma = std::min(list.find(',', start), list.size());
            std::string secret = list.substr(start, comma - start);
            std::erase(secret, ' ');
            if (!secret.empty())
                keys.webhookSecrets.push_back(secret);
            start = comma + 1;
        }
        payments_.addProvider(std::make_unique<payments::StripeProvider>(std::move(keys)));
        enabled += " stripe";
        remote = true;
    } else if (!config_.stripeSecretKey.empty()) {
        Log::warn("Stripe stays off: REELGATE_STRIPE_WEBHOOK_SECRET is not set");
    }
    if (!config_.paypalClientId.empty() && !config_.paypalClientSecret.empty() &&
        !config_.paypalWebhookId.empty()) {
        payments_.addProvider(std::make_unique<payments::PayPalProvider>(
            payments::PayPalKeys{config_.paypalClientId, config_.paypalClientSecret,
                                 config_.paypalWebhookId, config_.paypalApiUrl}));
        enabled += " paypal";
        remote = true;
    } else if (!config_.paypalClientId.empty()) {
        Log::warn("PayPal stays off: it needs REELGATE_PAYPAL_CLIENT_SECRET and "
                  "REELGATE_PAYPAL_WEBHOOK_ID too");
    }
    if (!config_.midtransServerKey.empty()) {
        std::string snap = config_.midtransSnapUrl;
        if (snap.empty())
            snap = config_.midtransApiUrl == "https://api.midtrans.com" ? "https://app.midtrans.com"
                                                                        : config_.midtransApiUrl;
        payments_.addProvider(std::make_unique<payments::MidtransProvider>(
            payments::MidtransKeys{config_.midtransServerKey, config_.midtransApiUrl, snap}));
        enabled += " midtrans";
        remote = true;
    }
    if (!config_.xenditSecretKey.empty() && !config_.xenditCallbackToken.empty()) {
        payments_.addProvider(std::make_unique<payments::XenditProvider>(payments::XenditKeys{
            config_.xenditSecretKey, config_.xenditCallbackToken, config_.xenditApiUrl}));
        enabled += " xendit";
        remote = true;
    } else if (!config_.xenditSecretKey.empty()) {
        Log::warn("Xendit stays off: REELGATE_XENDIT_CALLBACK_TOKEN is not set");
    }
    if (!config_.bankTransfer.empty()) {
        payments_.addProvider(
            std::make_unique<payments::BankTransferProvider>(config_.bankTransfer));
        enabled += " bank";
    }
    // Deposits still pending after 5 minutes are looked up once a minute, so a lost
    // notification costs nothing.
    if (remote)
        reconciler_ = std::make_unique<PeriodicTask>(
            "payment reconciler", std::chrono::seconds(60), false, [this] {
                if (const int settled = payments_.reconcile(std::chrono::seconds(300)); settled > 0)
                    Log::info("reconciler settled " + std::to_string(settled) +
                              " pending payments");
            });
    Log::info(enabled.empty() ? "no payment provider configured: wallets are filled by "
                                "`reelgate-server credit` only"
                              : "payment providers:" + enabled);
}

// Payout providers for withdrawals: Xendit disbursements with the Xendit secret key, PayPal
// payouts with the PayPal client id and secret (manual bank payouts need nothing).
void AppServices::addPayoutProviders() {
    std::string enabled;
    if (!config_.xenditSecretKey.empty()) {
        withdrawals_.addPayoutProvider(payouts::makeXenditPayouts(
            config_.xenditSecretKey, config_.xenditApiUrl, config_.xenditCallbackToken));
        enabled += " xendit";
    }
    if (!config_.paypalClientId.empty() && !config_.paypalClientSecret.empty()) {
        // Payout webhooks go to their own URL, hence their own PayPal webhook id.
        const char* webhookId = std::getenv("REELGATE_PAYPAL_PAYOUTS_WEBHOOK_ID");
        withdrawals_.addPayoutProvider(payouts::makePayPalPayouts(
            config_.paypalClientId, config_.paypalClientSecret, config_.paypalApiUrl,
            webhookId ? webhookId : config_.paypalWebhookId));
        enabled += " paypal";
    }
    Log::info("payouts: manual bank transfers" + (enabled.empty() ? "" : "," + enabled));
    // At start and once a minute: provider payouts left without an answer for 2 minutes (a
    // server that died mid-call) and sent ones are asked about (WithdrawalService::recover).
    if (!enabled.empty())
        payoutRecovery_ = std::make_unique<PeriodicTask>(
            "payout recovery", std::chrono::seconds(60), true, [this] {
                if (const int n = withdrawals_.recover(std::chrono::seconds(120)); n > 0)
                    Log::info("payout recovery settled " + std::to_string(n) + " withdrawals");
            });
}

void AppServices::registerRoutes(httplib::Server& server) {
    registerHealthRoutes(server, health_);
    accounts::registerAuthRoutes(server, accounts_, sessions_, auth_, authLimits_, publicUrl_);
    events::registerEventRoutes(server, auth_, sessions_);
    userEvents_.attach(http::eventHubOf(server));
    admin::registerAdminRoutes(server, accounts_, auth_);
    admin::registerAdminMoneyRoutes(server, money_, pool_, auth_);
    money::registerMoneyRoutes(server, money_, auth_);
    money::registerPayoutWebhookRoutes(server, withdrawals_);
    catalog::registerVideoMediaRoutes(server, media_, auth_);
    catalog::registerCatalogRoutes(server, videos_, auth_, config_.dataDir / "videos", settings_,
                                   playback_, [this](const catalog::Video& video) {
                                       return store::bestQuality(packages_, video.packageDir);
                                   });
    // Money settings changes go to the admin audit log, in the change's own transaction.
    settings::registerSettingsRoutes(
        server, settings_, auth_,
        [](db::PgConnection& conn, const accounts::AuthContext& admin,
           const nlohmann::json& changes) {
            nlohmann::json changed = nlohmann::json::object();
            for (const char* key :
                 {"withdrawal_min_minor", "withdrawal_fee_minor", "earnings_hold_days",
                  "transfers_enabled", "transfer_daily_limit_minor", "platform_fee_bps"})
                if (changes.contains(key))
                    changed[key] = changes[key];
            if (changed.empty())
                return;
            const auto note = changes.value("note", nlohmann::json());
            money::AuditLog::record(
                conn, admin.user.id, "settings.change", "settings",
                note.is_string() ? core::printable(note.get<std::string>(), 500) : "", changed);
        });
    wallet::registerWalletRoutes(server, wallets_, purchases_, auth_);
    payments::registerPaymentRoutes(server, payments_, auth_);
    playback::registerPlaybackRoutes(server, playback_, auth_, config_.accelRedirectPrefix);
    playback::registerPreviewRoutes(server, media_, packages_);
    forensics::registerTraceRoutes(server, traceJobs_, auth_,
                                   static_cast<std::int64_t>(config_.maxUploadBytes));
    uploads::registerTusRoutes(server, uploadStore_, ingest_, videos_, auth_,
                               static_cast<std::int64_t>(config_.maxUploadBytes));
    store::registerStoreRoutes(server, store_, videos_, auth_, playback_, settings_);
    // Last: the web pages answer whatever no route above did (the HTML 404 page).
    web::registerWebPages(server, web::resolveWebDir(config_.webDir), publicUrl_,
                          store::storePageChecks(store_, videos_, auth_, playback_));
}

void AppServices::seedDemoContent() {
    struct DemoUser {
        const char* username;
        const char* password;
        bool creator;
        bool admin;
    };
    static constexpr DemoUser kDemoUsers[] = {
        {"admin", "demo-admin-password", true, true},
        {"creator", "demo-creator-password", true, false},
        {"buyer", "demo-buyer-password", false, false},
    };
    for (const auto& demo : kDemoUsers) {
        if (accounts_.findByLogin(demo.username))
            continue;
        auto user = accounts_.registerUser(
            demo.username, std::string(demo.username) + "@demo.reelgate.invalid", demo.password);
        if (demo.creator)
            accounts_.setCreator(user.id, true);
        if (demo.admin)
            accounts_.setAdmin(user.id, true);
        Log::info(std::string("demo account '") + demo.username + "' created");
    }
    Log::warn("demo mode: accounts admin, creator and buyer have published passwords "
              "(see README); never use --demo on a public server");
}

} // namespace reelgate::server
