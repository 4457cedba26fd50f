#include "app/CatalogCommands.h"

#include "accounts/AccountsService.h"
#include "catalog/VideoService.h"
#include "common/ServiceError.h"
#include "forensics/TraceService.h"
#include "playback/PlaybackService.h"
#include "reelgate/core/Crypto.h"
#include "reelgate/core/InvalidInput.h"
#include "settings/PlatformSettings.h"
#include "uploads/PackageValidator.h"
#include "wallet/WalletService.h"

#include <iostream>

namespace reelgate::server {
namespace {

namespace fs = std::filesystem;

std::string option(const Config& config, const std::string& flag) {
    const auto it = config.commandOptions.find(flag);
    return it == config.commandOptions.end() ? std::string() : it->second;
}

core::Money money(const std::string& amount, const std::string& code) {
    const auto currency = core::Currency::tryFromCode(code);
    if (!currency)
        throw core::InvalidInput("\"" + code + "\" is not a currency code (e.g. USD).");
    return core::Money::parse(amount, *currency);
}

// Copies a package folder, refusing anything but folders and regular files.
std::vector<std::string> copyPackage(const fs::path& from, const fs::path& to) {
    std::vector<std::string> files;
    fs::create_directories(to);
    for (auto it = fs::recursive_directory_iterator(from); it != fs::recursive_directory_iterator();
         ++it) {
        const fs::path relative = fs::relative(it->path(), from);
        if (it->is_symlink())
            throw uploads::PackageInvalid("the package contains a symbolic link: " +
                                          relative.string());
        if (it->is_directory()) {
            fs::create_directories(to / relative);
        } else if (it->is_regular_file()) {
            fs::copy_file(it->path(), to / relative);
            files.push_back(relative.generic_string());
        } else {
            throw uploads::PackageInvalid("the package contains a special file: " +
                                          relative.string());
        }
    }
    return files;
}

} // namespace

int runCredit(const Config& config, db::PgPool& pool) {
    const auto& words = config.command; // credit USERNAME AMOUNT CURRENCY
    const core::Money amount = money(words[2], words[3]);
    settings::PlatformSettings settings(pool);
    wallet::WalletService wallets(pool, settings);
    const auto balance = wallets.credit(words[1], amount, option(config, "--memo"));
    std::cout << "credited " << amount.format() << " to " << words[1] << " (balance "
              << balance.format() << ")\n";
    return 0;
}

int runPublish(const Config& config, db::PgPool& pool) {
    const fs::path source = config.command[1];
    for (const char* flag : {"--creator", "--title", "--price", "--currency"})
        if (option(config, flag).empty()) {
            std::cerr << "reelgate-server: publish needs " << flag << "\n";
            return 2;
        }
    if (!fs::is_directory(source)) {
        std::cerr << "reelgate-server: " << source << " is not a package folder\n";
        return 1;
    }
    accounts::PasswordHasher hasher;
    accounts::SessionStore sessions(pool);
    accounts::AccountsService accounts(pool, sessions, hasher);
    const auto creator = accounts.findByLogin(option(config, "--creator"));
    if (!creator || !creator->isCreator) {
        std::cerr << "reelgate-server: '" << option(config, "--creator")
                  << "' is not a creator account\n";
        return 1;
    }
    const core::Money price = money(option(config, "--price"), option(config, "--currency"));
    nlohmann::json fields = {{"title", option(config, "--title")},
                             {"description", option(config, "--description")},
                             {"price", price.toJson()},
                             {"affiliate_bps", 0}};
    if (const std::string bps = option(config, "--affiliate-bps"); !bps.empty())
        fields["affiliate_bps"] = std::stoi(bps);

    // Validate a private copy before anything is recorded: a bad package leaves no trace.
    const fs::path staging = config.dataDir / "staging" / ("cli-" + core::randomToken(9));
    std::error_code ec;
    try {
        const auto files = copyPackage(source, staging);
        const auto summary = uploads::validatePackage(staging, files);
        catalog::VideoService videos(pool);
        const auto video = videos.create(creator->id, fields);
        const std::string packageDir =
            std::to_string(video.id) + "-" + core::randomToken(9).substr(0, 12);
        fs::create_directories(config.dataDir / "videos");
        fs::rename(staging, config.dataDir / "videos" / packageDir);
        videos.markProcessing(video.id);
        videos.markPublished(video.id, packageDir, summary.durationMs, summary.posterFile);
        std::cout << "published " << video.publicId << "\n";
        return 0;
    } catch (const uploads::PackageInvalid& e) {
        fs::remove_all(staging, ec);
        std::cerr << "reelgate-server: the package is not valid: " << e.what() << "\n";
    } catch (...) {
        fs::remove_all(staging, ec);
        throw;
    }
    return 1;
}

int runTrace(const Config& config, db::PgPool& pool) {
    const std::string video = option(config, "--video");
    if (video.empty()) {
        std::cerr << "reelgate-server: trace needs --video VIDEO_ID\n";
        return 2;
    }
    catalog::VideoService videos(pool);
    settings::PlatformSettings settings(pool);
    playback::PlaybackPackages packages(config.dataDir / "videos");
    playback::PlaybackService playback(pool, videos, settings, packages);
    forensics::TraceService traces(videos, playback, config.dataDir / "videos");
    const auto result = traces.trace(video, config.command[1]);
    if (!option(config, "--json").empty())
        std::cout << result.dump(2) << "\n";
    else
        std::cout << forensics::describeTrace(result);
    return result["identified"].get<bool>() ? 0 : 3;
}

} // namespace reelgate::server
