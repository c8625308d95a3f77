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
#include "archive/index.hpp"
#include "engine/engine.hpp"
#include "reader/reader_detail.hpp"

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

// Contacts become rule candidates in batches of this many (one evaluate() each), or every this
// many pages of the pass.
constexpr std::size_t batch_contacts = 64;
constexpr std::int64_t batch_pages = 10;
// Speculation stops for the rest of the pass once more than 1 in revisit_share of the contacts it
// viewed (and more than revisit_floor) show a live ticket after their view was asked for: on this
// account contacts come back after a quiet year more often than speculation assumes, and views
// would be wasted.
constexpr std::int64_t revisit_floor = 10;
constexpr std::int64_t revisit_share = 20;
// The orphan candidates (contacts of orphan age that no ticket names) are viewed once the pass
// reaches the tickets updated in this last stretch before now: a contact not updated for the
// orphan age whose first ticket is that recent is rare.
constexpr std::int64_t orphans_before_now = 90 * seconds_per_day;
// The pacer counts a credit for 61 s and admits a call when its credits fit in that window under
// the account's limit. Views of one credit would take each credit as it frees and keep a tickets
// page with stats (3 credits) waiting: while the pass runs, a view waits until the last 61 s
// (credits the client was charged, and the calls in flight) leave this much room besides.
constexpr std::chrono::milliseconds window{61000};
constexpr std::int64_t pass_room = 6;  // a page with stats in flight and the next one
constexpr std::chrono::milliseconds room_poll{50};

bool deletes_contacts(const Rules& rules) {
    return !rules.contact_policy.keep_contact;
}

bool has_tag_condition(const Rules& rules) {
    return std::any_of(rules.ticket_rules.begin(), rules.ticket_rules.end(),
                       [](const TicketRule& rule) { return !rule.tags.empty(); });
}

void append(std::vector<Id>& to, const std::vector<Id>& ids) {
    to.insert(to.end(), ids.begin(), ids.end());
}

}  // namespace

struct Overlap::Impl final : TicketWatcher {
    Impl(Reading& reading, const Rules& rules, const Snapshot& names);
    ~Impl() override;

    // ---- other threads
    void run_lists();
    void view_loop(bool relaying);
    void fail(std::exception_ptr error);
    bool wait_for_room();
    void post(const Progress& progress);
    void ask(const std::vector<Id>& ids);

    // ---- the calling thread
    void relay();
    void stop_and_join();
    void added(const Snapshot& snapshot, std::size_t index, bool has_tags) override;
    void step(const Snapshot& snapshot);
    void evaluate_batch(const Snapshot& snapshot, UnixTime until);
    void speculate_orphans();
    bool is_agent(Id id) const { return std::binary_search(agents.begin(), agents.end(), id); }
    bool has_archived(Id id) const {
        return std::binary_search(archived_requesters.begin(), archived_requesters.end(), id);
    }

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
    std::vector<std::thread> threads;

    // ---- speculation (the calling thread only)
    struct Who {
        UnixTime last_seen = no_time;  // the newest updated_at of its live tickets
        std::uint32_t head = 0;        // 1 + the index of its latest ticket in the snapshot
        std::uint32_t count = 0;       // its tickets in the snapshot
        std::uint32_t evaluated = 0;   // `count` when the rules last looked at it
        bool viewed = false;           // its view asked for by speculation
    };
    bool speculating = false;
    bool tag_rules = false;
    std::unordered_map<Id, Who> who;
    std::vector<std::uint32_t> previous;  // per snapshot ticket: 1 + its requester's one before
    std::deque<std::pair<UnixTime, Id>> quiet;  // (updated_at, requester) of the live rows
    UnixTime cursor = no_time;                  // the newest updated_at the pass has shown
    std::int64_t live_rows = 0;
    std::int64_t pages_since_batch = 0;
    std::vector<Id> batch;
    std::vector<Id> agents;               // sorted
    std::vector<Id> archived_requesters;  // sorted: their archived tickets are not in the pass
    std::int64_t speculated = 0;
    std::int64_t revisits = 0;
    UnixTime present = no_time;       // ReadOptions::now, or this machine's clock
    UnixTime orphans_from = no_time;  // no_time: no orphan rule, or its candidates were asked for
};

Overlap::Impl::Impl(Reading& reading, const Rules& r, const Snapshot& names)
    : main(reading), rules(r), side(reading.client, reading.options) {
    for (const Agent& agent : names.agents) {
        agents.push_back(agent.id);
    }
    std::sort(agents.begin(), agents.end());
    const ReadOptions& options = reading.options;
    speculating = options.speculate;
    tag_rules = has_tag_condition(rules);
    present = now_of(options);
    if (deletes_contacts(rules) && rules.orphan_contacts) {
        orphans_from = present - orphans_before_now;
    }
    if (speculating && options.archive != nullptr && options.archive->archived_count() > 0) {
        // Their archived tickets are not in the pass: such contacts wait for the exact reading.
        options.archive->for_each_archived([&](const TicketRecord& ticket) {
            archived_requesters.push_back(ticket.requester_id);
        });
        std::sort(archived_requesters.begin(), archived_requesters.end());
        archived_requesters.erase(
            std::unique(archived_requesters.begin(), archived_requesters.end()),
            archived_requesters.end());
    }
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
                view_loop(false);
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

// The reads that need no ticket, in the order of the reading without overlap; the views of
// what they find are asked for at once.
void Overlap::Impl::run_lists() {
    ListsFound out;
    const UnixTime since = recent_since(main.options);
    out.blocked = blocked_contacts(side);
    std::vector<Id> recent;
    const bool orphans = deletes_contacts(rules) && rules.orphan_contacts;
    if (orphans) {
        // Every live contact is listed: the recent ones come with it.
        out.aged = aged_live_contacts(side, rules, since, recent);
        ask(recent);
        std::lock_guard lock(mutex);
        aged_published = out.aged;
        aged_ready = true;
    }
    if (deletes_contacts(rules) && rules.contact_policy.purge_soft_deleted_after) {
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

// Views until the work is closed and done (or stopped). On the calling thread (`relaying`), the
// progress of the others is handed on between its own views.
void Overlap::Impl::view_loop(bool relaying) {
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

// ---- speculation

void Overlap::Impl::added(const Snapshot& snapshot, std::size_t index, bool has_tags) {
    if (!speculating) {
        return;
    }
    const Ticket& ticket = snapshot.tickets()[index];
    previous.resize(index + 1, 0);
    Who& w = who[ticket.requester_id];
    previous[index] = w.head;
    w.head = static_cast<std::uint32_t>(index + 1);
    ++w.count;
    if (!has_tags && tag_rules) {
        // Tags read one by one later (rule_candidates): no rule can be judged on the list's rows.
        speculating = false;
        return;
    }
    if (!ticket.live()) {
        return;  // the trash and spam: no rule reads them, and they are not the pass's clock
    }
    if (w.viewed) {
        ++revisits;
    }
    w.last_seen = std::max(w.last_seen, ticket.updated_at);
    cursor = std::max(cursor, ticket.updated_at);
    quiet.emplace_back(ticket.updated_at, ticket.requester_id);
    if (++live_rows % list_page_size == 0) {
        step(snapshot);
    }
}

// After each page of the pass: the contacts quiet for quiet_seconds whose tickets changed since
// the rules last looked at them are judged, in batches; near the pass's end, the orphans.
void Overlap::Impl::step(const Snapshot& snapshot) {
    if (revisits > std::max(revisit_floor, speculated / revisit_share)) {
        speculating = false;
        quiet.clear();
        batch.clear();
        return;
    }
    // Quiet for a year, or, near the pass's end, for 3 times what is left to read.
    const UnixTime needed =
        std::clamp<UnixTime>(quiet_factor * (present - cursor), quiet_least, quiet_seconds);
    const UnixTime until = cursor - needed;
    while (!quiet.empty() && quiet.front().first <= until) {
        const auto [at, id] = quiet.front();
        quiet.pop_front();
        const Who& w = who[id];
        // A later ticket of the contact has its own entry further on.
        if (w.last_seen == at && !w.viewed && w.evaluated != w.count && !is_agent(id) &&
            !has_archived(id)) {
            batch.push_back(id);
        }
    }
    ++pages_since_batch;
    if (batch.size() >= batch_contacts || (!batch.empty() && pages_since_batch >= batch_pages)) {
        evaluate_batch(snapshot, until);
    }
    if (orphans_from != no_time && cursor >= orphans_from) {
        speculate_orphans();
    }
}

// The orphan-aged contacts that no ticket read so far names (live, trash or spam), once the
// lists have them.
void Overlap::Impl::speculate_orphans() {
    std::vector<Id> aged;
    {
        std::lock_guard lock(mutex);
        if (!aged_ready) {
            return;  // at the next page
        }
        aged = aged_published;
    }
    orphans_from = no_time;
    std::vector<Id> ids;
    for (Id id : aged) {
        if (who.count(id) != 0 || is_agent(id) || has_archived(id)) {
            continue;  // a ticket already (or perhaps an archived one): no orphan
        }
        Who& w = who[id];
        w.viewed = true;
        ++speculated;
        ids.push_back(id);
    }
    ask(ids);
}

// The rules on the batch's contacts (id-only, as rule_candidates() judges them) and every ticket
// of theirs read so far: those an entry names are viewed.
void Overlap::Impl::evaluate_batch(const Snapshot& snapshot, UnixTime until) {
    Snapshot part;
    part.agents = snapshot.agents;
    part.groups = snapshot.groups;
    part.companies = snapshot.companies;
    part.ticket_types = snapshot.ticket_types;
    part.archive_complete = true;
    std::sort(batch.begin(), batch.end());
    batch.erase(std::unique(batch.begin(), batch.end()), batch.end());
    for (Id id : batch) {
        Who& w = who[id];
        if (w.viewed || w.last_seen > until || w.evaluated == w.count) {
            continue;  // viewed meanwhile, or a new ticket: it comes back once quiet again
        }
        w.evaluated = w.count;
        for (std::uint32_t i = w.head; i != 0; i = previous[i - 1]) {
            part.add_ticket(snapshot.record_of(snapshot.tickets()[i - 1]));
        }
        Contact contact;
        contact.id = id;
        part.contacts.push_back(std::move(contact));
    }
    batch.clear();
    pages_since_batch = 0;
    if (part.contacts.empty()) {
        return;
    }
    const ReadOptions& options = main.options;
    const Plan plan = evaluate(part, rules, candidates_horizon(options));
    std::vector<Id> take;
    for (const Entry& entry : plan.entries) {
        take.push_back(entry.contact_id);
    }
    if (options.view_protected) {
        for (const ProtectedContact& item : plan.protected_contacts) {
            take.push_back(item.contact_id);
        }
    }
    std::vector<Id> ids;
    for (Id id : take) {
        Who& w = who[id];
        if (!w.viewed) {
            w.viewed = true;
            ++speculated;
            ids.push_back(id);
        }
    }
    ask(ids);
}

// ---- Overlap

Overlap::Overlap(Reading& reading, const Rules& rules, const Snapshot& names)
    : impl_(std::make_unique<Impl>(reading, rules, names)) {}

Overlap::~Overlap() = default;

TicketWatcher* Overlap::watcher() {
    return impl_->speculating ? impl_.get() : nullptr;
}

void Overlap::tickets_read() {
    Impl& d = *impl_;
    d.speculating = false;  // the pass is over: the exact candidates come next
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
    d.view_loop(true);  // the calling thread views too
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
        auto& view = d.results.at(id);
        if (!view) {
            continue;  // no contact (agent, unknown, hard-deleted): rules-semantics.md, settled 14
        }
        main.shown.push_back(view->contact.id);
        const bool is_blocked =
            view->blocked || std::binary_search(blocked.begin(), blocked.end(), view->contact.id);
        if (!is_blocked) {  // a blocked contact cannot be deleted: left alone (rules.md 20)
            out.push_back(std::move(view->contact));
        }
    }
    main.before_notify = nullptr;
    main.notify("views");
    return out;
}

}  // namespace gp::reader::detail
