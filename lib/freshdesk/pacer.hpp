#pragma once
// The rate pacer: keeps the calls of this process under Freshdesk's per-minute budgets so that a
// steady run meets no 429 while using nearly all of the budget it may use. Internal to
// lib/freshdesk (client.hpp does not include it).
//
// Model
// - Three budgets (docs/decisions.md, "Freshdesk client"): the account's, which every call draws
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
//   plan that X-RateLimit-Total reveals by Freshdesk's table (totals 200 / 400 / 700 / 1000 / 2000:
//   20 / 100 / 200 / 300 / 400; between two points the lower, below the first 20, above the last
//   400), times (1 - margin), never above the account limit; a list 429 while the account still
//   had plenty left (Remaining >= max(10, 4 x the call's credits)) proves the list limit lower than
//   derived: it is cut by 20% (floor 5), at most once a minute, for the rest of the run.
// - Before the limit is known (no --rate-limit, no answer yet) the first call goes alone and the
//   others wait for its answer. If that answer has no readable X-RateLimit-Total (absent, or not a
//   number), the account is taken for the smallest plan, 50 credits a minute (freshdesk-api.md: "a
//   client that fails to read them must not conclude that the account is unlimited"), until an
//   answer shows its total. With --rate-limit and no readable total, the lists follow the table at
//   --rate-limit.
// - Other integrations share the account budget. When X-RateLimit-Remaining says the server counts
//   more credits (Total - Remaining) than this window holds, the difference was spent by others:
//   it is added as an entry at "now", so that this process leaves room for them. When a later
//   answer shows more Remaining than that, the others' entries shrink (oldest first) to what it
//   shows. A 429's Remaining is not the window's state (a storm of other integrations answers 0
//   while the window may have room): it is never read.
// - Smoothing. The window alone would let a whole minute's budget go in its first second and then
//   wait a minute: the account's other integrations would meet 429s in those bursts. So each budget
//   also spaces its calls evenly (a virtual scheduling clock, GCRA): a call of c credits advances
//   the budget's `due` time by c * 60 s / limit, and may go once `due` is at most `burst` ahead of
//   now. The window stays as the hard guard. The answer's charge corrects `due` (a 429 gives back
//   its spacing: it charged nothing).
// - 429s. Retry-After is the server's word for the call that met it: the caller waits it and sends
//   again (client.cpp); the other callers go on at the pace, since a 429 charges nothing and one
//   429 says little about the budget (a burst of another integration). A list 429 with plenty left
//   is the list's: it holds that list for Retry-After (and cuts it, above). When `hold_after` 429s
//   of the account come in a row with no other answer between, the budget is taken as spent: every
//   caller is held for Retry-After, then one call goes alone (a probe) and its answer's headers
//   tell the state of the window.
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
    // The smallest plan's credits a minute: the account's total when no answer shows it.
    static constexpr int assumed_total = 50;
    // Account 429s in a row (no other answer between) after which every caller is held.
    static constexpr int hold_after = 4;

    // A reservation: what acquire() granted. Pass it to complete() exactly once.
    struct Ticket {
        std::uint64_t id = 0;
        Budget budget = Budget::account;
        int credits = 0;
        time_point sent_at{};
        milliseconds waited{0};  // time acquire() spent waiting
        bool probe = false;  // the call that goes alone while the limit or the window is unknown
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

    int account_limit() const;          // credits per minute; 0: not known yet
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
    int plan_total() const;
    int limit_of(std::size_t window) const;
    int account_limit_locked() const;
    int list_limit_locked(Budget list) const;
    void expire(Window& window, time_point now);
    milliseconds wait_for(std::size_t window, int credits, time_point now);
    milliseconds wait_for_call(Budget budget, int credits, time_point now);
    Ticket reserve(Budget budget, int credits, time_point now);
    void set_used(const Ticket& ticket, int used);
    void note_others(int server_used, time_point now);
    void rate_limited(const Ticket& ticket, const Answer& answer, time_point now);
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
    bool assumed_ = false;           // an answer carried no readable X-RateLimit-Total
    int limited_in_a_row_ = 0;       // account 429s since the last other answer
    bool probe_after_hold_ = false;  // the budget was held: the next call goes alone
    std::uint64_t next_id_ = 1;
};

}  // namespace gp::freshdesk
