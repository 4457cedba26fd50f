// reelgate-server: entry point. Parses configuration and runs the server.

#include "app/Commands.h"
#include "app/Config.h"
#include "app/ServerApp.h"

#include <iostream>
#include <string>
#include <variant>
#include <vector>

int main(int argc, char** argv) {
    using namespace reelgate::server;
    const std::vector<std::string> args(argv + 1, argv + argc);
    auto parsed = parseConfig(args, processEnv);
    if (auto* outcome = std::get_if<CliOutcome>(&parsed)) {
        (outcome->exitCode == 0 ? std::cout : std::cerr) << outcome->text;
        return outcome->exitCode;
    }
    const auto& config = std::get<Config>(parsed);
    if (config.command.empty() || (config.command.size() == 1 && config.command[0] == "serve"))
        return runServer(config);
    return runCommand(config);
}
