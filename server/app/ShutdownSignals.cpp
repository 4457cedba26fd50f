#include "app/ShutdownSignals.h"

#include "common/Log.h"

#include <csignal>
#include <ctime>
#include <pthread.h>

namespace reelgate::server {
namespace {

sigset_t shutdownSet() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}

} // namespace

ShutdownSignals::ShutdownSignals() {
    const sigset_t set = shutdownSet();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    thread_ = std::thread([this] { watch(); });
}

ShutdownSignals::~ShutdownSignals() {
    done_ = true;
    thread_.join();
}

void ShutdownSignals::onSignal(std::function<void()> callback) {
    std::lock_guard lock(callbackMutex_);
    callback_ = std::move(callback);
}

void ShutdownSignals::watch() {
    const sigset_t set = shutdownSet();
    const timespec tick{0, 100'000'000};
    while (!done_) {
        const int sig = sigtimedwait(&set, nullptr, &tick);
        if (sig > 0 && !requested_) {
            Log::info(std::string("shutting down (") + (sig == SIGINT ? "SIGINT" : "SIGTERM") +
                      ")");
            requested_ = true;
        }
        if (requested_) {
            std::lock_guard lock(callbackMutex_);
            if (callback_)
                callback_();
        }
    }
}

} // namespace reelgate::server
