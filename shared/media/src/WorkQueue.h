#pragma once
// Internal: a bounded blocking FIFO between the decode thread and one rendition worker.
// push() blocks while full (the slowest rendition paces the decode, memory stays bounded);
// both sides return early once close() was called. Thread: any (mutex-protected).

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace reelgate::media {

template <typename T> class WorkQueue {
public:
    explicit WorkQueue(std::size_t capacity)
        : capacity_(capacity) {}

    // False when the queue was closed (the item is dropped).
    bool push(T item) {
        std::unique_lock lock(mutex_);
        notFull_.wait(lock, [&] { return closed_ || items_.size() < capacity_; });
        if (closed_) {
            return false;
        }
        items_.push_back(std::move(item));
        notEmpty_.notify_one();
        return true;
    }

    // std::nullopt once closed and drained... or closed by cancel.
    std::optional<T> pop() {
        std::unique_lock lock(mutex_);
        notEmpty_.wait(lock, [&] { return closed_ || !items_.empty(); });
        if (items_.empty()) {
            return std::nullopt;
        }
        T item = std::move(items_.front());
        items_.pop_front();
        notFull_.notify_one();
        return item;
    }

    void close() {
        std::lock_guard lock(mutex_);
        closed_ = true;
        notFull_.notify_all();
        notEmpty_.notify_all();
    }

private:
    std::size_t capacity_;
    std::mutex mutex_;
    std::condition_variable notFull_;
    std::condition_variable notEmpty_;
    std::deque<T> items_;
    bool closed_ = false;
};

} // namespace reelgate::media
