#pragma once
// Every service of a running server, built over one database pool, and the routes that expose
// them. Adding a feature = a member here and one register call in registerRoutes().
// Destroy it before the database stops: its background threads (mail, ingest) use the pool.

#include "accounts/AccountsService.h"
#include "accounts/AuthRoutes.h"
#include "accounts/PasswordHasher.h"
#include "accounts/RequestAuth.h"
#include "accounts/SessionStore.h"
#include "app/Config.h"
#include "catalog/VideoMediaService.h"
#include "catalog/VideoService.h"
#include "common/PeriodicTask.h"
#include "events/UserEventRelay.h"
#include "forensics/TraceJobs.h"
#include "forensics/TraceService.h"
#include "health/HealthService.h"
#include "mail/SmtpRelay.h"
#include "money/MoneyRoutes.h"
#include "money/SecretBox.h"
#include "payments/PaymentsService.h"
#include "playback/PlaybackPackage.h"
#include "playback/PlaybackService.h"
#include "playback/RevocationListener.h"
#include "settings/PlatformSettings.h"
#include "store/StoreRoutes.h"
#include "uploads/IngestWorker.h"
#include "uploads/UploadStore.h"
#include "wallet/PurchaseService.h"
#include "wallet/WalletService.h"

#include <memory>

#include <httplib.h>

namespace reelgate::server {

class AppServices {
public:
    AppServices(db::PgPool& pool, const Config& config, std::string publicUrl);

    void registerRoutes(httplib::Server& server);
    // Demo accounts admin/creator/buyer (idempotent); only with --demo.
    void seedDemoContent();

    accounts::AccountsService& accounts() { return accounts_; }

private:
    void addPaymentProviders();
    void addPayoutProviders();

    const Config& config_;
    db::PgPool& pool_;
    std::string publicUrl_;
    accounts::PasswordHasher hasher_;
    accounts::SessionStore sessions_;
    accounts::AccountsService accounts_;
    accounts::RequestAuth auth_;
    accounts::AuthLimits authLimits_;
    HealthService health_;
    std::unique_ptr<mail::SmtpRelay> smtpRelay_; // null when mail stays in the outbox
    catalog::VideoService videos_;
    store::StoreServices store_;
    catalog::VideoMediaService media_;
    settings::PlatformSettings settings_;
    wallet::WalletService wallets_;
    wallet::PurchaseService purchases_;
    payments::PaymentsService payments_;
    money::SecretBox secrets_; // payout details at rest
    money::PayoutDetails payoutDetails_;
    money::WithdrawalService withdrawals_;
    money::TransferService transfers_;
    money::MoneyReports moneyReports_;
    money::RefundService refunds_;
    money::MoneyServices money_;
    playback::PlaybackPackages packages_;
    playback::PlaybackService playback_;
    forensics::TraceService traces_;
    forensics::TraceJobs traceJobs_; // after what it uses: its thread stops first
    uploads::UploadStore uploadStore_;
    uploads::IngestWorker ingest_;                 // after what it uses: its thread stops first
    std::unique_ptr<PeriodicTask> reconciler_;     // null without a provider to ask
    std::unique_ptr<PeriodicTask> payoutRecovery_; // null without a payout provider
    events::UserEventRelay userEvents_;
    std::unique_ptr<playback::RevocationListener> revocations_; // last: its thread stops first
};

} // namespace reelgate::server
