#pragma once
// HTTP for money out (the Money-out API contract, README "Money flows"):
//   GET/PUT /api/me/payout-details, POST/GET /api/wallet/withdrawals,
//   GET /api/me/statement?month=YYYY-MM (CSV), POST /api/wallet/transfers.
// The admin side is admin/AdminMoneyRoutes. Lists take ?limit=&offset= and ?format=csv.

#include "accounts/RequestAuth.h"
#include "money/MoneyReports.h"
#include "money/PayoutDetails.h"
#include "money/RefundService.h"
#include "money/TransferService.h"
#include "money/WithdrawalService.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace reelgate::server::money {

struct MoneyServices {
    WithdrawalService& withdrawals;
    TransferService& transfers;
    PayoutDetails& details;
    MoneyReports& reports;
    RefundService& refunds;
};

void registerMoneyRoutes(httplib::Server& server, MoneyServices& money,
                         accounts::RequestAuth& auth);

// ?limit= (1..500, default 100) and ?offset= (0 or more).
std::pair<int, int> pageOf(const httplib::Request& req);
// body as JSON, or with ?format=csv the list body[key] as text/csv with these columns.
void sendList(const httplib::Request& req, httplib::Response& res, const nlohmann::json& body,
              const std::string& key,
              const std::vector<std::pair<std::string, std::string>>& columns);
// {"amount_minor", "currency"} from a request body (400 naming the problem).
core::Money moneyField(const nlohmann::json& body);

} // namespace reelgate::server::money
