#include "rate_limiter.hpp"

#include <algorithm>
#include <chrono>
#include <utility>
#include <vector>

namespace sim::server {

namespace {
constexpr std::int64_t kWindowSeconds = 60;
}

int list_limit_for(int total) {
    static constexpr std::pair<int, int> kTable[] = {
        {2000, 400}, {1000, 300}, {700, 200}, {400, 100}};
    for (const auto& [from, list] : kTable) {
        if (total >= from) {
            return list;
        }
    }
    return 20;
}

int Window::used(std::int64_t now_s) const {
    int sum = 0;
    for (const Slot& slot : slots_) {
        if (slot.second > now_s - kWindowSeconds && slot.second <= now_s) {
            sum += slot.credits;
        }
    }
    return sum;
}

void Window::charge(std::int64_t now_s, int credits) {
    Slot& slot = slots_[static_cast<std::size_t>(now_s % kWindowSeconds)];
    if (slot.second != now_s) {
        slot = Slot{now_s, 0};
    }
    slot.credits += credits;
}

std::int64_t Window::wait_ms(std::int64_t now_ms, int needed) const {
    const std::int64_t now_s = now_ms / 1000;
    std::vector<Slot> live;
    for (const Slot& slot : slots_) {
        if (slot.second > now_s - kWindowSeconds && slot.second <= now_s && slot.credits > 0) {
            live.push_back(slot);
        }
    }
    std::sort(live.begin(), live.end(),
              [](const Slot& a, const Slot& b) { return a.second < b.second; });
    int freed = 0;
    for (const Slot& slot : live) {
        freed += slot.credits;
        if (freed >= needed) {  // this slot leaves the window when its second is 60 s old
            return (slot.second + kWindowSeconds) * 1000 - now_ms;
        }
    }
    return kWindowSeconds * 1000;  // more than the whole budget: a full minute, then try again
}

RateLimiter::RateLimiter(RateLimits limits) : limits_(limits) {}

std::int64_t RateLimiter::now_ms() const {
    const auto steady = std::chrono::steady_clock::now().time_since_epoch();
    return std::chrono::duration_cast<std::chrono::milliseconds>(steady).count() + shift_ms_;
}

RateDecision RateLimiter::take(Bucket bucket, int credits) {
    std::lock_guard lock(mutex_);
    const std::int64_t ms = now_ms();
    const std::int64_t s = ms / 1000;
    Window* list = bucket == Bucket::tickets_list    ? &tickets_
                   : bucket == Bucket::contacts_list ? &contacts_
                                                     : nullptr;
    const int over_total = total_.used(s) + credits - limits_.total;
    const int over_list = list != nullptr ? list->used(s) + credits - limits_.list_limit() : 0;
    RateDecision d;
    d.total_limit = limits_.total;
    if (over_total > 0 || over_list > 0) {
        std::int64_t wait = 0;
        if (over_total > 0) {
            wait = std::max(wait, total_.wait_ms(ms, over_total));
        }
        if (over_list > 0) {
            wait = std::max(wait, list->wait_ms(ms, over_list));
        }
        d.retry_after = static_cast<int>(std::max<std::int64_t>(1, (wait + 999) / 1000));
        d.remaining = std::max(0, limits_.total - total_.used(s));
        return d;
    }
    total_.charge(s, credits);
    if (list != nullptr) {
        list->charge(s, credits);
    }
    d.allowed = true;
    d.used = credits;
    d.remaining = std::max(0, limits_.total - total_.used(s));
    return d;
}

RateDecision RateLimiter::peek() {
    std::lock_guard lock(mutex_);
    RateDecision d;
    d.total_limit = limits_.total;
    d.remaining = std::max(0, limits_.total - total_.used(now_ms() / 1000));
    return d;
}

void RateLimiter::set_limits(RateLimits limits) {
    std::lock_guard lock(mutex_);
    limits_ = limits;
    clear();
}

RateLimits RateLimiter::limits() const {
    std::lock_guard lock(mutex_);
    return limits_;
}

void RateLimiter::clock_moved(std::int64_t seconds) {
    std::lock_guard lock(mutex_);
    if (seconds > 0) {
        shift_ms_ += seconds * 1000;
    } else if (seconds < 0) {
        clear();
    }
}

RateLimiter::Usage RateLimiter::usage() {
    std::lock_guard lock(mutex_);
    const std::int64_t s = now_ms() / 1000;
    return Usage{total_.used(s), tickets_.used(s), contacts_.used(s)};
}

void RateLimiter::clear() {
    total_.clear();
    tickets_.clear();
    contacts_.clear();
}

}  // namespace sim::server
