#pragma once
// The rate pacer: keeps the calls of this process under Freshdesk's per-minute budgets so that a
// steady run meets no 429 while using nearly all of the budget it may use. Internal to
// lib/freshdesk (client.hpp does not include it).
//
// Model
// - Three budgets (spec/freshdesk-api.md, "Rate limits"): the account's, which every call draws
//   from, and the tickets list's and the contacts list's, which list calls also draw from.
// - Each budget keeps a sliding window of what was sent: (time of sending, credits) entries. An
//   entry stays in the window for 61 s: the server counts a credit from the whole second it
//   received the call until 60 s later, so the extra second covers latency and the rounding.
// - A call may go when, for every budget it draws from, window sum + its credits <= the budget's
//   limit; otherwise it waits until enough of the oldest entries have left the window. Credits are
//   reserved when the call goes (in-flight calls count) with the caller's estimate, and replaced
//   by X-RateLimit-Used-CurrentRequest when the answer comes (a 429 charges 0).
// - Limits. Account: --rate-limit when given (capped by X-RateLimit-Total once seen), else
//   floor(X-RateLimit-Total * (1 - margin)). Lists: not shown in the headers, so derived from the
//   plan that X-RateLimit-Total reveals (<= 200: 20, <= 400: 100, else 200 credits/min), times
//   (1 - margin), never above the account limit; a list 429 while the account still had plenty
//   left (Remaining >= max(10, 4 x the call's credits)) proves the list limit lower than
//   derived: it is cut by 20% (floor 5), at most once a minute, for the rest of the run.
// - Before the limit is known (no --rate-limit, no answer yet) the first call goes alone and the
//   others wait for its answer. If that answer has no X-RateLimit-Total (a fake server), the
//   account is not paced until a later answer has one.
// - Other integrations share the account budget. When X-RateLimit-Remaining says the server counts
//   more credits (Total - Remaining) than this window holds, the difference was spent by others:
//   it is added as one entry at "now", so that this process leaves room for them. That entry
//   leaves the window 61 s later although the others' credits leave the server's earlier: on a
//   shared account the pacer errs on the slow side, never on the 429 side.
// - Smoothing. The window alone would let a whole minute's budget go in its first second and then
//   wait a minute: the account's other integrations would meet 429s in those bursts. So each budget
//   also spaces its calls evenly (a virtual scheduling clock, GCRA): a call of c credits advances
//   the budget's `due` time by c * 60 s / limit, and may go once `due` is at most `burst` ahead of
//   now. The window stays as the hard guard.
// - A 429 holds its budget (the list's when the account still had plenty left, else the
//   account's) for Retry-After: no call of that budget goes before.
// Thread-safe: acquire() and complete() may be called from several threads at once.
#include "freshdesk/client.hpp"

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

namespace gp::freshdesk {

class Pacer {
  public:
    using time_point = std::chrono::steady_clock::time_point;
    using milliseconds = std::chrono::milliseconds;

    // How long a sent credit is counted: the server's 60 s plus a second of safety.
    static constexpr milliseconds window_length{61000};
    // How far ahead of the even pace a budget may run (room for concurrent calls).
    static constexpr milliseconds burst{2000};

    // A reservation: what acquire() granted. Pass it to complete() exactly once.
    struct Ticket {
        std::uint64_t id = 0;
        Budget budget = Budget::account;
        int credits = 0;
        time_point sent_at{};
        milliseconds waited{0};  // time acquire() spent waiting
        bool probe = false;      // the call that goes alone while the limit is unknown
    };

    // What came back for a ticket.
    struct Answer {
        bool answered = false;                    // an HTTP answer arrived (any status)
        std::optional<int> used;                  // credits the server charged, when known
        std::optional<int> total;                 // X-RateLimit-Total
        std::optional<int> remaining;             // X-RateLimit-Remaining
        bool rate_limited = false;                // a 429
        std::optional<milliseconds> retry_after;  // with a 429; absent: 1 s
    };

    Pacer(Clock& clock, std::optional<int> rate_limit, double margin);

    // Waits (on the clock) until the call may go, then reserves its credits.
    Ticket acquire(Budget budget, int credits);
    void complete(const Ticket& ticket, const Answer& answer);

    int account_limit() const;          // credits per minute; 0: not paced
    int list_limit(Budget list) const;  // 0: not paced on its own (the account limit still holds)
    int rate_limit_total() const;       // X-RateLimit-Total as last seen; 0: never

    // The list sub-limit for an account of that X-RateLimit-Total, margin applied.
    static int derived_list_limit(int total, double margin);

  private:
    struct Entry {
        time_point at;
        int credits;
        std::uint64_t id;  // 0: credits spent by others
    };
    struct Window {
        std::deque<Entry> entries;
        int sum = 0;
        time_point held_until{};  // a 429's Retry-After
        time_point due{};         // smoothing: when the credits sent so far are "paid for"
    };
    struct ListCut {
        int limit = 0;  // 0: none
        time_point at{};
    };

    bool probe_needed() const;
    int limit_of(std::size_t window) const;
    int account_limit_locked() const;
    int list_limit_locked(Budget list) const;
    void expire(Window& window, time_point now);
    milliseconds wait_for(std::size_t window, int credits, time_point now);
    milliseconds wait_for_call(Budget budget, int credits, time_point now);
    Ticket reserve(Budget budget, int credits, time_point now);
    void set_used(const Ticket& ticket, int used);
    void note_others(int server_used, time_point now);
    void hold(const Ticket& ticket, const Answer& answer, time_point now);
    void cut_list(Budget list, time_point now);

    Clock& clock_;
    std::optional<int> rate_limit_;
    double margin_;

    mutable std::mutex mutex_;
    std::condition_variable probe_answered_;
    std::array<Window, 3> windows_;  // indexed by Budget
    std::array<ListCut, 3> cuts_;    // lists only
    int total_ = 0;
    bool probe_in_flight_ = false;
    bool unpaced_ = false;  // the probe's answer carried no X-RateLimit-Total
    std::uint64_t next_id_ = 1;
};

}  // namespace gp::freshdesk
