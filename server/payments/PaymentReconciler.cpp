#include "payments/PaymentReconciler.h"

#include "common/Log.h"

namespace reelgate::server::payments {

PaymentReconciler::PaymentReconciler(PaymentsService& payments, std::chrono::seconds interval,
                                     std::chrono::seconds age)
    : payments_(payments)
    , interval_(interval)
    , age_(age)
    , thread_([this] { run(); }) {}

PaymentReconciler::~PaymentReconciler() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void PaymentReconciler::run() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
        lock.unlock();
        try {
            if (const int settled = payments_.reconcile(age_); settled > 0)
                Log::info("reconciler settled " + std::to_string(settled) + " pending payments");
        } catch (const std::exception& e) {
            Log::warn(std::string("payment reconciler: ") + e.what());
        } catch (...) {
            Log::warn("payment reconciler: unknown error");
        }
        lock.lock();
    }
}

} // namespace reelgate::server::payments
