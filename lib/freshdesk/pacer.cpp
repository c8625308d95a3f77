#include "freshdesk/pacer.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace gp::freshdesk {

namespace {

constexpr std::size_t account_window = 0;
// A list 429 with at least this many account credits left was the list budget's.
constexpr int plenty_floor = 10;
constexpr int plenty_per_credit = 4;
constexpr int list_cut_floor = 5;
constexpr std::chrono::seconds list_cut_interval{60};
constexpr std::chrono::milliseconds default_hold{1000};

std::size_t index_of(Budget budget) {
    return static_cast<std::size_t>(budget);
}

std::chrono::steady_clock::duration spacing(int credits, int limit) {
    return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::milliseconds{60000} * credits / limit);
}

int apply_margin(int credits, double margin) {
    const double kept = std::floor(static_cast<double>(credits) * (1.0 - margin));
    return std::max(1, static_cast<int>(kept));
}

}  // namespace

Pacer::Pacer(Clock& clock, std::optional<int> rate_limit, double margin)
    : clock_(clock), rate_limit_(rate_limit), margin_(std::clamp(margin, 0.0, 0.9)) {
    if (rate_limit_ && *rate_limit_ <= 0) {
        rate_limit_.reset();
    }
}

int Pacer::derived_list_limit(int total, double margin) {
    if (total <= 0) {
        return 0;
    }
    // docs/decisions.md, "Freshdesk client": the tickets list's and the contacts
    // list's sub-limits for a total of 200 / 400 / 700 / 1000 / 2000. A total between two points
    // gets the lower point's, one below the first 20, one above the last 400: a list limit set too
    // low costs time, one too high costs 429s.
    static constexpr std::pair<int, int> table[] = {
        {2000, 400}, {1000, 300}, {700, 200}, {400, 100}};
    int plan = 20;
    for (const auto& [from, list] : table) {
        if (total >= from) {
            plan = list;
            break;
        }
    }
    return apply_margin(plan, margin);
}

bool Pacer::probe_needed() const {
    return (!rate_limit_ && total_ == 0 && !assumed_) || probe_after_hold_;
}

// The total the limits derive from: the header's, else --rate-limit, else the smallest plan's
// once an answer proved the header unreadable; 0 while unknown.
int Pacer::plan_total() const {
    if (total_ > 0) {
        return total_;
    }
    if (rate_limit_) {
        return *rate_limit_;
    }
    return assumed_ ? assumed_total : 0;
}

int Pacer::account_limit_locked() const {
    if (rate_limit_) {
        return total_ > 0 ? std::min(*rate_limit_, total_) : *rate_limit_;
    }
    const int total = plan_total();
    return total > 0 ? apply_margin(total, margin_) : 0;
}

int Pacer::list_limit_locked(Budget list) const {
    int limit = derived_list_limit(plan_total(), margin_);
    if (limit == 0) {
        return 0;
    }
    const ListCut& cut = cuts_[index_of(list)];
    if (cut.limit > 0) {
        limit = std::min(limit, cut.limit);
    }
    const int account = account_limit_locked();
    return account > 0 ? std::min(limit, account) : limit;
}

int Pacer::limit_of(std::size_t window) const {
    return window == account_window ? account_limit_locked()
                                    : list_limit_locked(static_cast<Budget>(window));
}

int Pacer::account_limit() const {
    std::lock_guard lock(mutex_);
    return account_limit_locked();
}

int Pacer::list_limit(Budget list) const {
    std::lock_guard lock(mutex_);
    return list == Budget::account ? account_limit_locked() : list_limit_locked(list);
}

int Pacer::rate_limit_total() const {
    std::lock_guard lock(mutex_);
    return total_;
}

void Pacer::expire(Window& window, time_point now) {
    while (!window.entries.empty() && window.entries.front().at + window_length <= now) {
        window.sum -= window.entries.front().credits;
        window.entries.pop_front();
    }
}

// How long until `credits` more fit in that budget (0: now).
Pacer::milliseconds Pacer::wait_for(std::size_t index, int credits, time_point now) {
    Window& window = windows_[index];
    expire(window, now);
    milliseconds wait{0};
    if (window.held_until > now) {
        wait = std::chrono::ceil<milliseconds>(window.held_until - now);
    }
    const int limit = limit_of(index);
    if (limit > 0 && window.due > now + burst) {
        wait = std::max(wait, std::chrono::ceil<milliseconds>(window.due - burst - now));
    }
    if (limit <= 0 || window.sum + credits <= limit) {
        return wait;
    }
    // A call dearer than the whole limit goes once the window is empty.
    const int to_free = credits > limit ? window.sum : window.sum + credits - limit;
    int freed = 0;
    for (const Entry& entry : window.entries) {
        freed += entry.credits;
        if (freed >= to_free) {
            const auto leaves = std::chrono::ceil<milliseconds>(entry.at + window_length - now);
            return std::max(wait, leaves);
        }
    }
    return wait;
}

Pacer::milliseconds Pacer::wait_for_call(Budget budget, int credits, time_point now) {
    milliseconds wait = wait_for(account_window, credits, now);
    if (budget != Budget::account) {
        wait = std::max(wait, wait_for(index_of(budget), credits, now));
    }
    return wait;
}

Pacer::Ticket Pacer::reserve(Budget budget, int credits, time_point now) {
    Ticket ticket;
    ticket.id = next_id_++;
    ticket.budget = budget;
    ticket.credits = credits;
    ticket.sent_at = now;
    auto add = [&](std::size_t index) {
        Window& window = windows_[index];
        window.entries.push_back(Entry{now, credits, ticket.id});
        window.sum += credits;
        if (const int limit = limit_of(index); limit > 0) {
            window.due = std::max(window.due, now) + spacing(credits, limit);
        }
    };
    add(account_window);
    if (budget != Budget::account) {
        add(index_of(budget));
    }
    return ticket;
}

Pacer::Ticket Pacer::acquire(Budget budget, int credits) {
    credits = std::max(0, credits);
    std::unique_lock lock(mutex_);
    const time_point start = clock_.now();
    for (;;) {
        if (probe_needed() && probe_in_flight_) {
            probe_answered_.wait(lock);  // the limit comes with the first answer
            continue;
        }
        const time_point now = clock_.now();
        const milliseconds wait = wait_for_call(budget, credits, now);
        if (wait <= milliseconds{0}) {
            Ticket ticket = reserve(budget, credits, now);
            ticket.probe = probe_needed();
            probe_in_flight_ = probe_in_flight_ || ticket.probe;
            ticket.waited = std::chrono::duration_cast<milliseconds>(now - start);
            return ticket;
        }
        lock.unlock();
        clock_.sleep_for(wait);
        lock.lock();
    }
}

// The charge replaces the estimate in the window, and corrects the even pace by as much (a 429,
// which charged nothing, gives its spacing back).
void Pacer::set_used(const Ticket& ticket, int used) {
    for (std::size_t index = 0; index < windows_.size(); ++index) {
        Window& window = windows_[index];
        // Recent entries are at the back; the ticket's is usually near it.
        for (auto it = window.entries.rbegin(); it != window.entries.rend(); ++it) {
            if (it->id == ticket.id) {
                window.sum += used - it->credits;
                if (const int limit = limit_of(index); limit > 0 && used != it->credits) {
                    window.due += used > it->credits ? spacing(used - it->credits, limit)
                                                     : -spacing(it->credits - used, limit);
                }
                it->credits = used;
                break;
            }
        }
    }
}

// What the server counts (Total - Remaining) beyond this process's own credits was spent by
// others: their entries grow to it, or shrink to it (oldest first) when it is less.
void Pacer::note_others(int server_used, time_point now) {
    Window& window = windows_[account_window];
    expire(window, now);
    int others = 0;
    for (const Entry& entry : window.entries) {
        others += entry.id == 0 ? entry.credits : 0;
    }
    const int shown = std::max(0, server_used - (window.sum - others));
    if (shown > others) {
        window.entries.push_back(Entry{now, shown - others, 0});
        window.sum += shown - others;
        return;
    }
    int to_free = others - shown;
    for (auto it = window.entries.begin(); it != window.entries.end() && to_free > 0;) {
        if (it->id != 0) {
            ++it;
            continue;
        }
        const int freed = std::min(to_free, it->credits);
        it->credits -= freed;
        window.sum -= freed;
        to_free -= freed;
        it = it->credits == 0 ? window.entries.erase(it) : std::next(it);
    }
}

void Pacer::cut_list(Budget list, time_point now) {
    ListCut& cut = cuts_[index_of(list)];
    if (cut.limit > 0 && now - cut.at < list_cut_interval) {
        return;  // the last cut has not had a minute to show its effect yet
    }
    const int current = list_limit_locked(list);
    if (current > 0) {
        cut.limit = std::max(list_cut_floor, current * 4 / 5);
        cut.at = now;
    }
}

// A list 429 with plenty left is the list's: that list is held and cut. Any other 429 is the
// account's: it holds nobody (its caller waits Retry-After) until `hold_after` of them came in a
// row, when the budget is taken as spent: every caller waits Retry-After, then one probes.
void Pacer::rate_limited(const Ticket& ticket, const Answer& answer, time_point now) {
    const time_point until = now + answer.retry_after.value_or(default_hold);
    const int plenty = std::max(plenty_floor, plenty_per_credit * ticket.credits);
    if (ticket.budget != Budget::account && answer.remaining && *answer.remaining >= plenty) {
        Window& list = windows_[index_of(ticket.budget)];
        list.held_until = std::max(list.held_until, until);
        cut_list(ticket.budget, now);
        return;
    }
    if (++limited_in_a_row_ >= hold_after) {
        Window& account = windows_[account_window];
        account.held_until = std::max(account.held_until, until);
        probe_after_hold_ = true;
    }
}

void Pacer::complete(const Ticket& ticket, const Answer& answer) {
    std::lock_guard lock(mutex_);
    const time_point now = clock_.now();
    if (answer.rate_limited) {
        set_used(ticket, 0);
    } else if (answer.used) {
        set_used(ticket, std::max(0, *answer.used));
    }
    if (answer.total && *answer.total > 0) {
        total_ = *answer.total;
    }
    assumed_ = assumed_ || (answer.answered && total_ == 0);
    if (answer.rate_limited) {
        rate_limited(ticket, answer, now);
    } else if (answer.answered) {
        limited_in_a_row_ = 0;
        probe_after_hold_ = false;  // an answer other than a 429: the window has room again
        if (answer.remaining && total_ > 0) {
            note_others(total_ - std::max(0, *answer.remaining), now);
        }
    }
    if (ticket.probe) {
        probe_in_flight_ = false;
        probe_answered_.notify_all();
    }
}

}  // namespace gp::freshdesk
