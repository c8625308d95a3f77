// The reads that overlap the tickets pass (docs/reading.md, "The reads, in order"). The tickets
// lists draw from their own sub-limit (2/7 of the account's on Enterprise), so while the calling
// thread reads them the account budget has room: the reads that need no ticket (contacts lists,
// searches) and the contact views run on other threads meanwhile. The views of the contacts the
// rules may take would wait for the last ticket; instead a contact that the rules would take on
// the tickets read so far, and that the pass has shown no ticket of for quiet_seconds, is viewed
// at once (speculation). The exact candidates are still computed once every ticket is read: a
// view already made is used, a missing one made, and a speculative view of a contact that is no
// candidate is dropped, so that the snapshot (and the plan) is the one of the reading without
// overlap.
#include "reader/reader_detail.hpp"
#include "reader/reader_speculation.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace gp::reader::detail {

namespace {

// Thrown inside a read of another thread when the reading stops (a failure elsewhere).
struct Stopped {};

// The pacer counts a credit for 61 s and admits a call when its credits fit in that window under
// the account's limit. Views of one credit would take each credit as it frees and keep a tickets
// page with stats (3 credits) waiting: while the pass runs, a view waits until the last 61 s
// (credits the client was charged, and the calls in flight) leave this much room besides.
constexpr std::chrono::milliseconds window{61000};
constexpr std::int64_t pass_room = 6;  // a page with stats in flight and the next one
constexpr std::chrono::milliseconds room_poll{50};

}  // namespace

struct Overlap::Impl {
    Impl(Reading& reading, const Rules& rules, const Snapshot& names);
    ~Impl();

    // ---- other threads
    void run_lists();
    // Whether a viewer hands the others' progress on (the calling thread) or views only.
    enum class Viewer { worker, relaying };
    void view_loop(Viewer viewer);
    void fail(std::exception_ptr error);
    bool wait_for_room();
    void post(const Progress& progress);
    void ask(const std::vector<Id>& ids);

    // The orphan rule's aged contacts once the lists have them (for the speculation).
    std::optional<std::vector<Id>> aged_listed();

    // ---- the calling thread
    void relay();
    void stop_and_join();

    Reading& main;
    const Rules& rules;
    Reading side;  // the lists and searches, on the first other thread

    // ---- shared, under `mutex`
    std::mutex mutex;
    std::condition_variable work;     // ids to view, the end of the work, or a stop
    std::condition_variable changed;  // the lists done, or a failure
    std::deque<Id> queue;
    std::unordered_set<Id> asked;
    std::unordered_map<Id, std::optional<freshdesk::ContactView>> results;
    std::int64_t views_done = 0;
    std::vector<Progress> events;  // progress of the other threads, for the calling thread
    std::int64_t contact_pages = 0;
    bool lists_done = false;
    ListsFound found;
    std::vector<Id> aged_published;  // the orphan rule's aged contacts, once listed
    bool aged_ready = false;
    bool closed = false;  // no more ids: the workers leave once the queue is empty
    bool stop = false;
    bool pass_running = true;    // the calling thread reads the tickets lists
    std::int64_t in_flight = 0;  // views sent and not answered
    // (time, credits the client was charged by then), taken by the views while the pass runs.
    std::deque<std::pair<std::chrono::steady_clock::time_point, std::int64_t>> charged;
    std::exception_ptr error;
    // Plain threads, not util/threads.hpp's run_on_threads: the constructor starts them, and
    // views() or the destructor joins them (run_on_threads returns only when its calls have); each
    // has its role (the first lists then views, the others view).
    std::vector<std::thread> threads;

    // The calling thread's guesses during the tickets pass.
    Speculation speculation;
};

Overlap::Impl::Impl(Reading& reading, const Rules& r, const Snapshot& names)
    : main(reading),
      rules(r),
      side(reading.client, reading.options),
      speculation(
          reading.options, r, names, [this](const std::vector<Id>& ids) { ask(ids); },
          [this] { return aged_listed(); }) {
    const ReadOptions& options = reading.options;
    // Every credit so far counts until a sample a window old exists: the pacer's window holds
    // the names' calls, and every call of the run's first minute.
    charged.emplace_back(std::chrono::steady_clock::now(), 0);
    side.post = [this](const Progress& progress) { post(progress); };
    // The calling thread reads the tickets lists: max(1, concurrency - 1) others, the first of
    // them listing and searching before it views.
    const int others = std::max(1, options.concurrency - 1);
    try {
        for (int t = 0; t < others; ++t) {
            threads.emplace_back([this, t] {
                if (t == 0) {
                    try {
                        run_lists();
                    } catch (const Stopped&) {
                        return;
                    } catch (...) {
                        fail(std::current_exception());
                        return;
                    }
                }
                view_loop(Viewer::worker);
            });
        }
    } catch (...) {
        stop_and_join();  // no thread: the destructor will not run
        throw;
    }
    main.before_notify = [this] { relay(); };
}

Overlap::Impl::~Impl() {
    stop_and_join();
    main.before_notify = nullptr;
}

void Overlap::Impl::stop_and_join() {
    {
        std::lock_guard lock(mutex);
        stop = true;
    }
    work.notify_all();
    changed.notify_all();
    for (auto& thread : threads) {
        if (thread.joinable()) {
            thread.join();
        }
    }
}

void Overlap::Impl::fail(std::exception_ptr failure) {
    {
        std::lock_guard lock(mutex);
        if (!error) {
            error = std::move(failure);
        }
        stop = true;
    }
    work.notify_all();
    changed.notify_all();
}

// A progress of the lists (side.notify): kept for the calling thread, the latest of a phase.
void Overlap::Impl::post(const Progress& progress) {
    std::lock_guard lock(mutex);
    if (stop) {
        throw Stopped{};
    }
    contact_pages = progress.contact_pages;
    if (!events.empty() && events.back().phase == progress.phase) {
        events.back() = progress;
    } else {
        events.push_back(progress);
    }
}

void Overlap::Impl::ask(const std::vector<Id>& ids) {
    {
        std::lock_guard lock(mutex);
        for (Id id : ids) {
            if (asked.insert(id).second) {
                queue.push_back(id);
            }
        }
    }
    work.notify_all();
}

std::optional<std::vector<Id>> Overlap::Impl::aged_listed() {
    std::lock_guard lock(mutex);
    if (!aged_ready) {
        return std::nullopt;
    }
    return aged_published;
}

// The reads that need no ticket, in the order of the reading without overlap; the views of
// what they find are asked for at once.
void Overlap::Impl::run_lists() {
    ListsFound out;
    const UnixTime since = recent_since(main.options);
    out.blocked = blocked_contacts(side);
    std::vector<Id> recent;
    const bool orphans = rules.takes_orphans();
    if (orphans) {
        // Every live contact is listed: the recent ones come with it.
        out.aged = aged_live_contacts(side, rules, since, recent);
        ask(recent);
        std::lock_guard lock(mutex);
        aged_published = out.aged;
        aged_ready = true;
    }
    if (rules.deletes_contacts() && rules.contact_policy.purge_soft_deleted_after) {
        const std::vector<Id> purge = purge_candidates(side, rules);
        ask(purge);
        append(out.other_wanted, purge);
    }
    const std::vector<Id> pending = pending_candidates(side);
    ask(pending);
    append(out.other_wanted, pending);
    if (!orphans) {
        // After the searches: a tag the index has not seen yet is at most minutes old.
        recent = recently_updated(side, since);
        ask(recent);
    }
    append(out.other_wanted, recent);
    {
        std::lock_guard lock(mutex);
        found = std::move(out);
        lists_done = true;
    }
    changed.notify_all();
}

// Views until the work is closed and done (or stopped). On the calling thread (Viewer::relaying),
// the progress of the others is handed on between its own views.
void Overlap::Impl::view_loop(Viewer viewer) {
    const bool relaying = viewer == Viewer::relaying;
    for (;;) {
        if (relaying) {
            relay();
        }
        Id id = no_id;
        {
            std::unique_lock lock(mutex);
            work.wait(lock, [&] { return stop || !queue.empty() || closed; });
            if (stop || queue.empty()) {
                return;
            }
            id = queue.front();
            queue.pop_front();
        }
        if (relaying) {
            std::lock_guard lock(mutex);
            ++in_flight;
        } else if (!wait_for_room()) {
            return;
        }
        std::optional<freshdesk::ContactView> view;
        try {
            view = freshdesk::view_contact(main.client, id);
        } catch (...) {
            fail(std::current_exception());
            return;
        }
        {
            std::lock_guard lock(mutex);
            --in_flight;
            results.emplace(id, std::move(view));
            ++views_done;
            if (views_done % 100 == 0) {
                Progress progress;
                progress.phase = "views";
                progress.contact_pages = contact_pages;
                if (!events.empty() && events.back().phase == progress.phase) {
                    events.back() = progress;
                } else {
                    events.push_back(progress);
                }
            }
        }
    }
}

// While the pass runs: waits until the account's last window leaves the pass room (see
// pass_room), then counts the view in flight. False: stopped.
bool Overlap::Impl::wait_for_room() {
    for (;;) {
        const freshdesk::Counters counters = main.client.counters();
        const auto now = std::chrono::steady_clock::now();
        std::unique_lock lock(mutex);
        if (stop) {
            return false;
        }
        if (!pass_running || counters.pace_per_minute <= 0) {
            ++in_flight;
            return true;
        }
        charged.emplace_back(now, counters.credits);
        // The newest sample at least a window old is the base (else the first, of no credit).
        while (charged.size() > 1 && charged[1].first <= now - window) {
            charged.pop_front();
        }
        const std::int64_t used = counters.credits - charged.front().second;
        if (used + in_flight + 1 + pass_room <= counters.pace_per_minute) {
            ++in_flight;
            return true;
        }
        work.wait_for(lock, room_poll);
    }
}

// Hands on the other threads' progress, from the calling thread; throws their first error.
void Overlap::Impl::relay() {
    std::vector<Progress> posted;
    std::exception_ptr failure;
    std::int64_t done = 0;
    std::int64_t total = 0;
    std::int64_t pages = 0;
    {
        std::lock_guard lock(mutex);
        posted.swap(events);
        failure = error;
        done = views_done;
        total = static_cast<std::int64_t>(asked.size());
        pages = contact_pages;
    }
    if (failure) {
        std::rethrow_exception(failure);
    }
    Progress& progress = main.progress;
    progress.contact_pages = main.report.contact_pages + pages;
    progress.views_done = done;
    progress.views_total = total;
    if (main.options.on_progress) {
        for (const Progress& event : posted) {
            Progress shown = progress;
            shown.phase = event.phase;
            main.options.on_progress(shown);
        }
    }
}

// ---- Overlap

Overlap::Overlap(Reading& reading, const Rules& rules, const Snapshot& names)
    : impl_(std::make_unique<Impl>(reading, rules, names)) {}

Overlap::~Overlap() = default;

TicketWatcher* Overlap::watcher() {
    return impl_->speculation.active() ? &impl_->speculation : nullptr;
}

void Overlap::tickets_read() {
    Impl& d = *impl_;
    d.speculation.end();  // the pass is over: the exact candidates come next
    {
        std::lock_guard lock(d.mutex);
        d.pass_running = false;
        d.charged.clear();
    }
    d.work.notify_all();
}

const ListsFound& Overlap::lists() {
    Impl& d = *impl_;
    tickets_read();
    for (;;) {
        d.relay();
        std::unique_lock lock(d.mutex);
        if (d.lists_done || d.error) {
            if (d.lists_done) {
                return d.found;
            }
            continue;  // relay() throws it
        }
        // Wakes to hand on the progress now and then.
        d.changed.wait_for(lock, std::chrono::milliseconds(200));
    }
}

std::vector<Contact> Overlap::views(const std::vector<Id>& wanted, const std::vector<Id>& blocked) {
    Impl& d = *impl_;
    d.ask(wanted);
    {
        std::lock_guard lock(d.mutex);
        d.closed = true;
    }
    d.work.notify_all();
    d.view_loop(Impl::Viewer::relaying);  // the calling thread views too
    for (auto& thread : d.threads) {
        thread.join();
    }
    d.threads.clear();
    d.relay();  // throws a failure of the other threads

    Reading& main = d.main;
    ReadReport& report = main.report;
    const ReadReport& side = d.side.report;
    report.contact_pages += side.contact_pages;
    report.searches += side.searches;
    report.contacts_blocked = side.contacts_blocked;
    report.lower_bound_credits += side.lower_bound_credits;
    report.warnings.insert(report.warnings.end(), side.warnings.begin(), side.warnings.end());
    main.shown.insert(main.shown.end(), d.side.shown.begin(), d.side.shown.end());
    report.views += d.views_done;
    report.views_dropped = d.views_done - static_cast<std::int64_t>(wanted.size());
    // The strategy's own price: the exact candidates' views; the dropped ones come on top.
    report.lower_bound_credits += static_cast<std::int64_t>(wanted.size());
    main.progress.contact_pages = report.contact_pages;
    main.progress.views_done = report.views;
    main.progress.views_total = report.views;

    std::vector<Contact> out;
    for (Id id : wanted) {
        keep_viewed(main, std::move(d.results.at(id)), blocked, out);
    }
    main.before_notify = nullptr;
    main.notify("views");
    return out;
}

}  // namespace gp::reader::detail
