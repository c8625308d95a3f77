#include "freshdesk/pacer.hpp"

#include <algorithm>
#include <cmath>

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
    // Freshdesk's plans: Growth 200 -> 20, Pro 400 -> 100, Enterprise 700 -> 200. Larger budgets
    // (add-ons) are assumed to keep Enterprise's share of 2/7 rather than a fixed 200.
    const int plan = total <= 200 ? 20 : total <= 400 ? 100 : total * 2 / 7;
    return apply_margin(plan, margin);
}

bool Pacer::probe_needed() const {
    return !rate_limit_ && total_ == 0 && !unpaced_;
}

int Pacer::account_limit_locked() const {
    if (rate_limit_) {
        return total_ > 0 ? std::min(*rate_limit_, total_) : *rate_limit_;
    }
    return total_ > 0 ? apply_margin(total_, margin_) : 0;
}

int Pacer::list_limit_locked(Budget list) const {
    int limit = derived_list_limit(total_, margin_);
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
            const auto spacing = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                std::chrono::milliseconds{60000} * credits / limit);
            window.due = std::max(window.due, now) + spacing;
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

void Pacer::set_used(const Ticket& ticket, int used) {
    for (Window& window : windows_) {
        // Recent entries are at the back; the ticket's is usually near it.
        for (auto it = window.entries.rbegin(); it != window.entries.rend(); ++it) {
            if (it->id == ticket.id) {
                window.sum += used - it->credits;
                it->credits = used;
                break;
            }
        }
    }
}

void Pacer::note_others(int server_used, time_point now) {
    Window& window = windows_[account_window];
    expire(window, now);
    if (server_used > window.sum) {
        window.entries.push_back(Entry{now, server_used - window.sum, 0});
        window.sum = server_used;
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

void Pacer::hold(const Ticket& ticket, const Answer& answer, time_point now) {
    std::size_t held = account_window;
    const int plenty = std::max(plenty_floor, plenty_per_credit * ticket.credits);
    if (ticket.budget != Budget::account && answer.remaining && *answer.remaining >= plenty) {
        held = index_of(ticket.budget);
        cut_list(ticket.budget, now);
    }
    const time_point until = now + answer.retry_after.value_or(default_hold);
    windows_[held].held_until = std::max(windows_[held].held_until, until);
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
    if (answer.remaining && total_ > 0) {
        note_others(total_ - std::max(0, *answer.remaining), now);
    }
    if (answer.rate_limited) {
        hold(ticket, answer, now);
    }
    if (ticket.probe) {
        probe_in_flight_ = false;
        unpaced_ = unpaced_ || (answer.answered && total_ == 0);
        probe_answered_.notify_all();
    }
}

}  // namespace gp::freshdesk
