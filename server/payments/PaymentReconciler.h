#pragma once
// Background reconciler: every `interval` it asks the providers about deposits still pending
// after `age` (PaymentsService::reconcile), so a lost notification costs nothing. Owns one
// thread, stopped (and joined) by the destructor; it catches everything it meets.

#include "payments/PaymentsService.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace reelgate::server::payments {

class PaymentReconciler {
public:
    PaymentReconciler(PaymentsService& payments, std::chrono::seconds interval,
                      std::chrono::seconds age);
    ~PaymentReconciler();
    PaymentReconciler(const PaymentReconciler&) = delete;
    PaymentReconciler& operator=(const PaymentReconciler&) = delete;

private:
    void run();

    PaymentsService& payments_;
    std::chrono::seconds interval_;
    std::chrono::seconds age_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace reelgate::server::payments
