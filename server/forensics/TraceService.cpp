#include "forensics/TraceService.h"

#include "common/ServiceError.h"
#include "forensics/DetectorProcess.h"
#include "forensics/SessionRanking.h"

#include <cmath>
#include <sstream>

namespace reelgate::server::forensics {
namespace {

using nlohmann::json;

json rankedJson(const RankedSession& r) {
    return {{"session_id", r.sessionId},
            {"forensic_code", r.code},
            {"code_scheme", r.scheme == 2 ? "tardos" : "frame"},
            {"score", r.score},
            {"slots_read", r.slotsRead},
            {"slots_agreeing", r.agreeing},
            {"false_accusation_bound", std::pow(10.0, r.log10Bound)},
            {"log10_false_accusation_bound", r.log10Bound},
            {"named", r.named}};
}

} // namespace

json TraceService::trace(const std::string& videoPublicId, const std::filesystem::path& suspect,
                         const std::atomic<bool>* cancel) {
    const auto video = videos_.find(videoPublicId);
    if (!video || video->packageDir.empty())
        throw ServiceError(ServiceError::Kind::NotFound, "not_found",
                           "There is no published video '" + videoPublicId + "'.");
    std::error_code ec;
    if (!std::filesystem::is_regular_file(suspect, ec))
        throw ServiceError(ServiceError::Kind::Invalid, "invalid_file",
                           "Cannot read the suspect file " + suspect.string() + ".");
    const json report = runDetector(suspect, videosDir_ / video->packageDir, cancel);
    // One soft value per segment slot: +|z| read as B, -|z| as A, 0 unknown.
    std::vector<double> soft;
    for (const auto& slot : report["slots"]) {
        const std::int64_t n = slot.value("slot", std::int64_t{-1});
        if (n < 0 || n > 1000000)
            continue;
        if (static_cast<std::size_t>(n) >= soft.size())
            soft.resize(static_cast<std::size_t>(n) + 1, 0.0);
        const double z = std::abs(slot.value("z", 0.0));
        const std::string bit = slot.value("bit", std::string("?"));
        soft[static_cast<std::size_t>(n)] = bit == "B" ? z : bit == "A" ? -z : 0.0;
    }
    std::optional<std::uint32_t> decodedCode;
    if (report.contains("decoded") && report["decoded"].is_object())
        decodedCode = report["decoded"].value("code", std::uint32_t{0});

    const auto sessions = playback_.forensicSessionsOf(video->id);
    const SessionRanking ranking = rankSessions(soft, sessions, kLog10Target);
    const bool identified = !ranking.ranked.empty() && ranking.ranked.front().named;

    int readA = 0, readB = 0;
    for (double s : soft) {
        readA += s < 0 ? 1 : 0;
        readB += s > 0 ? 1 : 0;
    }
    json named = json::array();
    json runnerUp;
    for (const RankedSession& r : ranking.ranked) {
        json entry = rankedJson(r);
        if (!r.named) {
            runnerUp = entry;
            continue;
        }
        if (const auto traced = playback_.findByCode(video->id, r.code)) {
            entry["started_at"] = traced->startedAt;
            entry["remote_addr"] = traced->remoteAddr;
            entry["user"] = {{"username", traced->username}, {"email", traced->email}};
        }
        entry["method"] = decodedCode && *decodedCode == r.code ? "decoded" : "matched";
        named.push_back(entry);
    }
    const RankedSession* best = ranking.ranked.empty() ? nullptr : &ranking.ranked.front();
    json margin;
    if (identified && !runnerUp.is_null())
        margin = {{"score", best->score - runnerUp["score"].get<double>()},
                  {"log10_bound",
                   runnerUp["log10_false_accusation_bound"].get<double>() - best->log10Bound},
                  {"sigma", (best->score - runnerUp["score"].get<double>()) /
                                std::sqrt(std::max(1, best->slotsRead))}};
    json result = {
        {"video", {{"id", video->publicId}, {"title", video->title}}},
        {"identified", identified},
        {"method", identified ? named[0]["method"] : json()},
        {"confidence", identified ? json(1 - std::pow(10.0, best->log10Bound)) : json()},
        {"candidates", sessions.sessions.size()},
        {"named", named},
        {"tie", ranking.tie},
        {"runner_up", runnerUp},
        {"margin", margin},
        {"bound",
         {{"target", std::pow(10.0, kLog10Target)},
          {"sessions", sessions.sessions.size()},
          {"value", best ? json(std::pow(10.0, best->log10Bound)) : json()},
          {"how", "Chernoff bound on the Tardos score of a session that did not contribute to "
                  "the copy, computed on the slots read, times the number of sessions of the "
                  "video (union bound)"}}},
        {"slots",
         {{"total", soft.size()},
          {"read_a", readA},
          {"read_b", readB},
          {"informative", best ? best->slotsRead : 0},
          {"agreeing", best ? best->agreeing : 0}}},
        {"decoded_code", decodedCode ? json(*decodedCode) : json()},
        {"session", json()},
        {"user", json()},
        {"readings", report["slots"]},
        {"detection",
         {{"rendition", report.value("rendition", std::string())},
          {"offset_seconds", report.value("offset_seconds", 0.0)},
          {"alignment_score", report.value("alignment_score", 0.0)},
          {"crop", report.value("crop", json::array())}}}};
    if (identified && named[0].contains("user")) {
        const json& first = named[0];
        result["session"] = {{"id", first["session_id"]},
                             {"started_at", first["started_at"]},
                             {"remote_addr", first["remote_addr"]},
                             {"forensic_code", first["forensic_code"]}};
        result["user"] = first["user"];
    }
    return result;
}

std::string describeTrace(const json& r) {
    std::ostringstream out;
    const json& slots = r["slots"];
    out << "video " << r["video"]["id"].get<std::string>() << " \""
        << r["video"]["title"].get<std::string>() << "\": read "
        << slots["read_a"].get<int>() + slots["read_b"].get<int>() << " of "
        << slots["total"].get<int>() << " segment slots (A " << slots["read_a"].get<int>() << ", B "
        << slots["read_b"].get<int>() << ")\n";
    auto bound = [](const json& entry) {
        char text[32];
        std::snprintf(text, sizeof text, "%.2g", entry["false_accusation_bound"].get<double>());
        return std::string(text);
    };
    const std::size_t sessions = r["candidates"].get<std::size_t>();
    for (const json& n : r["named"]) {
        const bool first = &n == &r["named"].front();
        out << (first ? "identified: " : "also named: ");
        if (n.contains("user"))
            out << "user '" << n["user"]["username"].get<std::string>() << "' <"
                << n["user"]["email"].get<std::string>() << ">, playback session "
                << n["session_id"].get<std::int64_t>() << " started "
                << n["started_at"].get<std::string>() << " from "
                << n["remote_addr"].get<std::string>() << "\n";
        else
            out << "playback session " << n["session_id"].get<std::int64_t>() << "\n";
        out << "  " << n["slots_agreeing"].get<int>() << " of " << n["slots_read"].get<int>()
            << " slots read agree; the chance that any of the " << sessions
            << " sessions of this video matches this well without having played this copy is "
               "below "
            << bound(n) << " (named below 1e-9)\n";
        if (first) {
            char confidence[32];
            std::snprintf(confidence, sizeof confidence, "%.6f", r["confidence"].get<double>());
            out << "  confidence " << confidence << "; " << n["method"].get<std::string>()
                << " among " << sessions << " sessions\n";
        }
    }
    if (r["tie"].get<bool>())
        out << "tie: several sessions match equally well (a copy mixed from several viewers); "
               "all of them are named above\n";
    if (r["identified"].get<bool>()) {
        if (r["runner_up"].is_object())
            out << "runner-up: session " << r["runner_up"]["session_id"].get<std::int64_t>() << " ("
                << r["runner_up"]["slots_agreeing"].get<int>() << " of "
                << r["runner_up"]["slots_read"].get<int>() << " agree, bound "
                << bound(r["runner_up"]) << "), not named\n";
        return out.str();
    }
    out << "not identified: ";
    if (r["runner_up"].is_object())
        out << "the best of " << sessions << " sessions agrees on "
            << r["runner_up"]["slots_agreeing"].get<int>() << " of "
            << r["runner_up"]["slots_read"].get<int>()
            << " slots read; naming it would risk a false accusation of up to "
            << bound(r["runner_up"]) << " (the bar is 1e-9)";
    else
        out << "no session of this video to compare with";
    out << "; a longer or cleaner copy may be needed\n";
    return out.str();
}

} // namespace reelgate::server::forensics
