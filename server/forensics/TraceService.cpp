#include "forensics/TraceService.h"

#include "common/ServiceError.h"
#include "forensics/DetectorProcess.h"
#include "reelgate/core/ForensicCode.h"

#include <cmath>
#include <sstream>

namespace reelgate::server::forensics {
namespace {

using core::ForensicCode;
using nlohmann::json;

// log P(X >= k) for X ~ Binomial(n, 1/2).
double logTailHalf(int n, int k) {
    if (k <= 0)
        return 0;
    double best = -INFINITY;
    std::vector<double> terms;
    for (int i = k; i <= n; ++i) {
        const double term = std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0) -
                            n * std::log(2.0);
        terms.push_back(term);
        best = std::max(best, term);
    }
    double sum = 0;
    for (double t : terms)
        sum += std::exp(t - best);
    return best + std::log(sum);
}

struct Match {
    std::uint32_t code = 0;
    int known = 0; // informative slots read (sync positions carry no identity)
    int agreeing = 0;
};

Match score(std::uint32_t code, const std::vector<double>& soft) {
    Match m;
    m.code = code;
    for (std::size_t n = 0; n < soft.size(); ++n) {
        if (soft[n] == 0 ||
            static_cast<int>(n % ForensicCode::kFrameBits) < ForensicCode::kSyncBits)
            continue;
        ++m.known;
        const bool readB = soft[n] > 0;
        if (readB == (ForensicCode::bitForSlot(code, static_cast<std::int64_t>(n)) == 1))
            ++m.agreeing;
    }
    return m;
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

    // Candidates: every session of this video; the decoded code first when there is one.
    const auto sessions = playback_.codesOf(video->id);
    std::string method;
    Match best;
    bool found = false;
    if (decodedCode) {
        for (const auto& [code, id] : sessions)
            if (code == *decodedCode) {
                best = score(code, soft);
                method = "decoded";
                found = true;
            }
    }
    if (!found) {
        for (const auto& [code, id] : sessions) {
            const Match m = score(code, soft);
            if (!found || m.agreeing * 2 - m.known > best.agreeing * 2 - best.known) {
                best = m;
                found = true;
            }
        }
        method = "matched";
    }
    const int candidates = static_cast<int>(std::max<std::size_t>(sessions.size(), 1));
    double confidence = 0;
    if (found && best.known > 0) {
        const double logP =
            std::log(static_cast<double>(candidates)) + logTailHalf(best.known, best.agreeing);
        confidence = logP >= 0 ? 0 : -std::expm1(logP);
    }
    const double agreement = best.known > 0 ? double(best.agreeing) / best.known : 0;
    const bool identified = found && confidence >= kMinConfidence && agreement >= kMinAgreement;

    int readA = 0, readB = 0;
    for (double s : soft) {
        readA += s < 0 ? 1 : 0;
        readB += s > 0 ? 1 : 0;
    }
    json result = {{"video", {{"id", video->publicId}, {"title", video->title}}},
                   {"identified", identified},
                   {"method", identified ? json(method) : json()},
                   {"confidence", confidence},
                   {"candidates", sessions.size()},
                   {"slots",
                    {{"total", soft.size()},
                     {"read_a", readA},
                     {"read_b", readB},
                     {"informative", best.known},
                     {"agreeing", best.agreeing}}},
                   {"decoded_code", decodedCode ? json(*decodedCode) : json()},
                   {"session", json()},
                   {"user", json()},
                   {"detection",
                    {{"rendition", report.value("rendition", std::string())},
                     {"offset_seconds", report.value("offset_seconds", 0.0)},
                     {"alignment_score", report.value("alignment_score", 0.0)}}}};
    if (identified) {
        if (const auto traced = playback_.findByCode(video->id, best.code)) {
            result["session"] = {{"id", traced->sessionId},
                                 {"started_at", traced->startedAt},
                                 {"remote_addr", traced->remoteAddr},
                                 {"forensic_code", best.code}};
            result["user"] = {{"username", traced->username}, {"email", traced->email}};
        }
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
    char confidence[32];
    std::snprintf(confidence, sizeof confidence, "%.6f", r["confidence"].get<double>());
    if (r["identified"].get<bool>() && r["user"].is_object()) {
        out << "identified: user '" << r["user"]["username"].get<std::string>() << "' <"
            << r["user"]["email"].get<std::string>() << ">, playback session "
            << r["session"]["id"].get<std::int64_t>() << " started "
            << r["session"]["started_at"].get<std::string>() << " from "
            << r["session"]["remote_addr"].get<std::string>() << "\n"
            << "confidence " << confidence << " (" << slots["agreeing"].get<int>() << " of "
            << slots["informative"].get<int>() << " informative slots agree; "
            << r["method"].get<std::string>() << " among " << r["candidates"].get<std::size_t>()
            << " sessions)\n";
    } else {
        out << "not identified: the best of " << r["candidates"].get<std::size_t>()
            << " sessions reaches confidence " << confidence << " (" << slots["agreeing"].get<int>()
            << " of " << slots["informative"].get<int>()
            << " informative slots agree); a longer or cleaner copy may be needed\n";
    }
    return out.str();
}

} // namespace reelgate::server::forensics
