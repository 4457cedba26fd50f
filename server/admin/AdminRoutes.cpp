#include "admin/AdminRoutes.h"

#include "http/ApiError.h"
#include "http/JsonBody.h"
#include "http/JsonResponse.h"
#include "reelgate/core/Text.h"

namespace reelgate::server::admin {
namespace {

using accounts::UserId;
using http::ApiError;
using nlohmann::json;

UserId targetOf(const httplib::Request& req) {
    return UserId{std::stoll(req.matches[1].str())};
}

void refuseSelf(const accounts::AuthContext& ctx, UserId target, const char* what) {
    if (ctx.user.id == target)
        throw ApiError(409, "cannot_change_self", std::string("You cannot ") + what + " yourself.");
}

} // namespace

void registerAdminRoutes(httplib::Server& server, accounts::AccountsService& accounts,
                         accounts::RequestAuth& auth) {
    server.Get("/api/admin/users", [&](const httplib::Request& req, httplib::Response& res) {
        auth.requireAdmin(req);
        const std::string search = req.get_param_value("search");
        if (core::checkText(search, {.maxChars = 254}) != core::TextProblem::None)
            throw ApiError::badRequest("The search must be text of at most 254 characters.");
        json users = json::array();
        for (const auto& user : accounts.listUsers(search, 200))
            users.push_back(user.toJson());
        http::sendJson(res, 200, {{"users", users}});
    });

    server.Post(R"(/api/admin/users/(\d{1,18})/suspend)", [&](const httplib::Request& req,
                                                              httplib::Response& res) {
        const auto ctx = auth.requireAdmin(req);
        refuseSelf(ctx, targetOf(req), "suspend");
        http::sendJson(res, 200, {{"user", accounts.setSuspended(targetOf(req), true).toJson()}});
    });

    server.Post(R"(/api/admin/users/(\d{1,18})/reinstate)", [&](const httplib::Request& req,
                                                                httplib::Response& res) {
        auth.requireAdmin(req);
        http::sendJson(res, 200, {{"user", accounts.setSuspended(targetOf(req), false).toJson()}});
    });

    server.Post(R"(/api/admin/users/(\d{1,18})/roles)", [&](const httplib::Request& req,
                                                            httplib::Response& res) {
        const auto ctx = auth.requireAdmin(req);
        const UserId target = targetOf(req);
        http::JsonBody body(req);
        const auto& j = body.json();
        for (const char* field : {"creator", "admin"}) {
            if (j.contains(field) && !j[field].is_boolean())
                throw ApiError::badRequest(std::string("'") + field + "' must be true or false.");
        }
        if (!accounts.findById(target))
            throw ApiError::notFound("No such user.");
        if (j.contains("creator"))
            accounts.setCreator(target, j["creator"].get<bool>());
        if (j.contains("admin")) {
            if (!j["admin"].get<bool>())
                refuseSelf(ctx, target, "remove the admin role from");
            accounts.setAdmin(target, j["admin"].get<bool>());
        }
        http::sendJson(res, 200, {{"user", accounts.findById(target)->toJson()}});
    });
}

} // namespace reelgate::server::admin
