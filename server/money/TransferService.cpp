#include "money/TransferService.h"

#include "common/ServiceError.h"
#include "db/SqlText.h"
#include "db/TransactionRetry.h"
#include "ledger/EarningsBook.h"
#include "ledger/IdempotencyKeys.h"
#include "ledger/Ledger.h"
#include "reelgate/core/Crypto.h"

namespace reelgate::server::money {

using nlohmann::json;
using Kind = ServiceError::Kind;
using ledger::AccountKind;
using ledger::Ledger;

std::pair<int, json> TransferService::send(accounts::UserId from, const std::string& toUsername,
                                           const core::Money& amount, const std::string& note,
                                           const std::string& idempotencyKey) {
    const auto settings = settings_.snapshot();
    if (!settings->transfersEnabled)
        throw ServiceError(Kind::Forbidden, "transfers_disabled",
                           "Transfers between users are turned off on this platform.");
    ledger::IdempotencyKeys::require(idempotencyKey);
    if (amount.amountMinor() <= 0)
        throw ServiceError(Kind::Invalid, "invalid_amount", "A transfer is more than zero.");
    const auto& currency = amount.currency();
    const std::int64_t limit =
        settings::SettingsSnapshot::perCurrency(settings->transferDailyLimitMinor, currency, 0);
    const std::string fromId = std::to_string(from.value);
    const std::string requestHash =
        core::sha256Hex("transfer\n" + toUsername + "\n" + amount.toJson().dump() + "\n" + note);
    ledger::EarningsBook::mature(pool_, from);
    auto conn = pool_.acquire();
    auto to = conn->exec("SELECT id, username FROM users WHERE lower(username) = lower($1) AND "
                         "status = 'active'",
                         {toUsername});
    if (to.rows() == 0)
        throw ServiceError(Kind::NotFound, "not_found", "There is no such user to send to.");
    const accounts::UserId receiver{to.int64(0, 0)};
    if (receiver == from)
        throw ServiceError(Kind::Invalid, "cannot_send_to_self", "You cannot send to yourself.");
    return db::retryTransientConflicts([&]() -> std::pair<int, json> {
        db::PgTransaction tx(*conn);
        const std::int64_t deposited = ledger::Ledger::walletAccount(*conn, from, currency);
        const std::int64_t earnings =
            ledger::Ledger::userAccount(*conn, ledger::AccountKind::Earnings, from, currency);
        const std::int64_t target = ledger::Ledger::walletAccount(*conn, receiver, currency);
        auto balances = ledger::Ledger::lockAccounts(*conn, {deposited, earnings, target});
        if (auto stored = ledger::IdempotencyKeys::find(*conn, fromId, idempotencyKey))
            return {200, ledger::IdempotencyKeys::replay(*stored, requestHash)};
        const std::int64_t sentToday =
            conn->exec("SELECT coalesce(sum(amount_minor), 0)::bigint FROM transfers "
                       "WHERE from_user = $1 AND currency = $2 AND "
                       "created_at > now() - interval '24 hours'",
                       {fromId, std::string(currency.code())})
                .int64(0, 0);
        if (sentToday + amount.amountMinor() > limit)
            throw ServiceError(
                Kind::Unprocessable, "transfer_limit",
                "You can send " +
                    core::Money(std::max<std::int64_t>(0, limit - sentToday), currency).format() +
                    " more in the next 24 hours.");
        const std::int64_t spendable = balances[deposited] + balances[earnings];
        if (spendable < amount.amountMinor())
            throw ServiceError(Kind::PaymentRequired, "insufficient_funds",
                               "You have " + core::Money(spendable, currency).format() +
                                   " to spend.");
        const std::int64_t fromDeposited = std::min(amount.amountMinor(), balances[deposited]);
        const std::int64_t txId =
            ledger::Ledger::post(*conn, "transfer", currency, "Transfer to " + to.text(0, 1),
                                 {{deposited, "transfer", -fromDeposited},
                                  {earnings, "transfer", -(amount.amountMinor() - fromDeposited)},
                                  {target, "transfer", amount.amountMinor()}});
        const std::string publicId = core::randomToken(12);
        auto row = conn->exec("INSERT INTO transfers (public_id, from_user, to_user, amount_minor, "
                              "currency, note, transaction_id) VALUES ($1, $2, $3, $4, $5, $6, "
                              "$7) RETURNING " +
                                  db::isoUtc("created_at"),
                              {publicId, fromId, std::to_string(receiver.value),
                               std::to_string(amount.amountMinor()), std::string(currency.code()),
                               note, std::to_string(txId)});
        const json body = {{"transfer",
                            {{"id", publicId},
                             {"to", to.text(0, 1)},
                             {"amount", settings::moneyJson(amount)},
                             {"note", note},
                             {"created_at", row.text(0, 0)}}}};
        ledger::IdempotencyKeys::store(*conn, fromId, idempotencyKey, requestHash, 201, body);
        tx.commit();
        return {201, body};
    });
}

} // namespace reelgate::server::money
