#pragma once
// The per-minute credit budget of the simulated account: a sliding window of 60 one-second slots
// for the account's total and one for each list sub-limit (tickets list, contacts list).
//
// Time is the server's steady time in milliseconds plus a shift: moving the simulator's clock
// forward (POST /_sim/clock) moves the window forward by as much, so tests can free the budget
// without waiting; moving the clock back starts a fresh window.
#include "api.hpp"

#include <array>
#include <cstdint>
#include <mutex>

namespace sim::server {

// Freshdesk's list sub-limit for an account total (docs/decisions.md, "Freshdesk client"): totals
// 200 / 400 / 700 / 1000 / 2000 give 20 / 100 / 200 / 300 / 400; a total between two points gets
// the lower point's, below the first 20, above the last 400 (as the client assumes).
int list_limit_for(int total);

struct RateLimits {
    int total = 700;  // credits per minute for the account (X-RateLimit-Total)
    int list = 0;     // credits per minute for each of the tickets list and the contacts list; 0:
                      // list_limit_for(total)
    int list_limit() const { return list > 0 ? list : list_limit_for(total); }
};

struct RateDecision {
    bool allowed = false;
    int total_limit = 0;  // X-RateLimit-Total
    int remaining = 0;    // X-RateLimit-Remaining: the account's credits left in the window
    int used = 0;         // X-RateLimit-Used-CurrentRequest: credits charged (0 when refused)
    int retry_after = 0;  // seconds until the budget has room for this request (when refused)
};

// Credits spent in the last 60 seconds, by one-second slot.
class Window {
  public:
    int used(std::int64_t now_s) const;
    void charge(std::int64_t now_s, int credits);
    // Milliseconds until `needed` more credits have left the window (at most 60 s).
    std::int64_t wait_ms(std::int64_t now_ms, int needed) const;
    void clear() { slots_ = {}; }

  private:
    struct Slot {
        std::int64_t second = -1;
        int credits = 0;
    };
    std::array<Slot, 60> slots_{};
};

class RateLimiter {
  public:
    explicit RateLimiter(RateLimits limits);
    // Charges `credits` to the account and, for list requests, to the list's own budget when both
    // have room; otherwise charges nothing and says how long to wait.
    RateDecision take(Bucket bucket, int credits);
    // The headers' view without charging (for answers that charge nothing, e.g. an injected 429).
    RateDecision peek();
    void set_limits(RateLimits limits);  // also starts a fresh window
    RateLimits limits() const;
    // The simulator's clock moved by `seconds`: forward shifts the window, backward clears it.
    void clock_moved(std::int64_t seconds);
    struct Usage {
        int total = 0, tickets_list = 0, contacts_list = 0;
    };
    Usage usage();

  private:
    std::int64_t now_ms() const;
    void clear();

    mutable std::mutex mutex_;
    RateLimits limits_;
    std::int64_t shift_ms_ = 0;
    Window total_, tickets_, contacts_;
};

}  // namespace sim::server
