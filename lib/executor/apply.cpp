// apply_plan: the entries of a plan, each looked at (apply_entry.cpp) and carried out step by step
// on a few threads, every outcome journaled (and synced) before the entry's next step.
#include "executor/apply_runner.hpp"

#include "engine/engine.hpp"
#include "freshdesk/read.hpp"
#include "time/time.hpp"
#include "util/clock.hpp"
#include "util/threads.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <memory>
#include <mutex>
#include <unordered_set>
#include <utility>

namespace gp::executor {

namespace detail {

namespace {

std::string machine_now() {
    return format_timestamp(now_seconds());
}

UnixTime plan_as_of(const PlanHeader& header) {
    const auto as_of = parse_timestamp(header.as_of);
    if (!as_of) {  // the plan reader checks it; a hand-made Plan must not reach aged() without one
        throw std::invalid_argument("the plan's as_of is not a timestamp");
    }
    return *as_of;
}

}  // namespace

Runner::Runner(freshdesk::Client& client, const PlanHeader& header, const EntryStream& entries,
               std::string plan_sha256, Journal& journal, const ApplyOptions& options)
    : client_(client),
      header_(header),
      entries_(entries),
      sha_(std::move(plan_sha256)),
      journal_(journal),
      options_(options),
      run_(new_run_id()),
      as_of_(plan_as_of(header)),
      // A plan without `archive` was made blind to archived tickets (an earlier version):
      // its contact-level decisions are re-checked as held (docs/apply.md).
      archive_complete_(header.archive && header.archive->complete) {}

ApplyTotals Runner::run() {
    std::optional<Looks::Expected> expected = take_stock();
    progress_.entries_total = static_cast<std::int64_t>(states_.size());
    if (states_.empty()) {
        return totals_;  // all recorded: not one request
    }
    read_names();
    if (expected) {
        Looks::Settings settings;
        settings.from = *parse_timestamp(header_.read_started_at);
        settings.highest_ticket_id = header_.highest_ticket_id;
        settings.max_age = options_.look_max_age;
        // Listing every contact pays when it costs less than a quarter of the views it spares.
        settings.listing_pages = std::max<std::int64_t>(1, untouched_ / 4);
        looks_ = std::make_unique<Looks>(client_, std::move(*expected), settings);
    }
    const int threads = std::clamp(options_.concurrency, 1, static_cast<int>(states_.size()));
    queue_capacity_ = static_cast<std::size_t>(threads);
    std::atomic<bool> reader_taken{false};
    // One more than the workers: the first call reads the plan again and hands the entries out.
    run_on_threads(threads + 1, [&] { reader_taken.exchange(true) ? work() : hand_out(); });
    totals_.looks = looks_ ? looks_->looks() : 0;
    if (error_) {
        std::rethrow_exception(error_);
    }
    return totals_;
}

// The first reading: where each entry stands per the journal, and what the look compares with
// (nothing when there is no look).
std::optional<Looks::Expected> Runner::take_stock() {
    std::optional<Looks::Expected> expected;
    if (options_.look_for_changes && parse_timestamp(header_.read_started_at)) {
        expected.emplace();
    }
    const JournalStates journal(journal_.existing(), sha_);
    entries_([&](Entry&& entry) {
        ++totals_.entries;
        EntryState state = journal.of(entry);
        if (state.skipped) {
            ++totals_.entries_skipped;
        } else if (state.finished(entry)) {
            ++totals_.entries_done;
            ++totals_.entries_done_before;
        } else {
            untouched_ += !state.recorded && state.job_id.empty() ? 1 : 0;
            states_.emplace(entry.contact_id, std::move(state));
        }
        if (expected) {
            expected->add(entry);
        }
    });
    return expected;
}

void Runner::read_names() {
    names_.agents = freshdesk::list_agents(client_);
    names_.groups = freshdesk::list_groups(client_);
    names_.companies = freshdesk::list_companies(client_);
    names_.ticket_types = freshdesk::list_ticket_types(client_);
    require_resolved(names_, header_.rules);  // before any step
    // The contact view has no `blocked` (docs/rules-semantics.md, settled 20): the list says it.
    freshdesk::ContactQuery blocked;
    blocked.blocked = true;
    freshdesk::for_each_contact(
        client_, blocked, [&](freshdesk::ContactItem&& contact) { blocked_.insert(contact.id); });
}

// The second reading, on its own thread: the unfinished entries, in the plan's order, into the
// queue (at most queue_capacity_ at a time). After a stop the rest of the plan is read past.
void Runner::hand_out() {
    try {
        entries_([&](Entry&& entry) {
            if (!states_.contains(entry.contact_id)) {
                return;  // finished by an earlier run
            }
            std::unique_lock lock(queue_mutex_);
            queue_changed_.wait(lock, [&] { return queue_.size() < queue_capacity_ || stop_; });
            if (!stop_) {
                queue_.push_back(std::move(entry));
                queue_changed_.notify_all();
            }
        });
    } catch (...) {
        stop(std::current_exception());  // the plan file changed since the first reading
    }
    std::lock_guard lock(queue_mutex_);
    queue_closed_ = true;
    queue_changed_.notify_all();
}

// The next entry to carry out; nothing once the reading ended and the queue is empty, or the run
// stops.
std::optional<Entry> Runner::next_entry() {
    std::unique_lock lock(queue_mutex_);
    queue_changed_.wait(lock, [&] { return !queue_.empty() || queue_closed_ || stop_; });
    if (stop_ || queue_.empty()) {
        return std::nullopt;
    }
    Entry entry = std::move(queue_.front());
    queue_.pop_front();
    queue_changed_.notify_all();
    return entry;
}

void Runner::work() {
    while (std::optional<Entry> entry = next_entry()) {
        try {
            process(*entry, states_.at(entry->contact_id));
        } catch (...) {
            stop(std::current_exception());
        }
    }
}

// What stops the run: the first error is kept (and thrown by run()); the threads stop taking
// entries, and the reading stops handing them out.
void Runner::stop(std::exception_ptr error) {
    {
        std::lock_guard lock(mutex_);
        if (!error_) {
            error_ = std::move(error);
        }
    }
    std::lock_guard lock(queue_mutex_);
    stop_ = true;
    queue_changed_.notify_all();
}

// Per entry: outcomes are records; only what stops the run (a refused key, the journal) throws.
void Runner::process(const Entry& entry, const EntryState& state) {
    if (!state.job_id.empty()) {
        StepContext context{.client = client_,
                            .options = options_,
                            .record_started = {},
                            .count_bulk_job = {},
                            .archived_gone = {},
                            .begun = false,
                            .exact = false,
                            .first_job_poll = std::nullopt,
                            .job_ended = {}};
        try {
            wait_for_job(context, state.job_id);  // an earlier run's job ends first
        } catch (const freshdesk::FormatError&) {
            // An unreadable job answer: the re-read below tells what the job did.
        }
    }
    Fresh fresh;
    std::optional<Ending> ending;
    // An entry that an earlier run touched is re-read: its own effects are told from the rest.
    const bool untouched = !state.recorded && state.job_id.empty();
    const bool exact = looks_ && untouched && by_look(entry, fresh, ending);
    if (!exact && !ending) {
        {
            std::lock_guard lock(mutex_);
            ++totals_.entries_reread;
        }
        ending = reread(entry, state.next_step, state.begun, fresh);
    }
    if (!ending) {
        ending = carry_out(entry, state, fresh, exact);
    }
    switch (*ending) {
        case Ending::done:
            return finish_entry(&ApplyTotals::entries_done);
        case Ending::skipped:
            return finish_entry(&ApplyTotals::entries_skipped);
        case Ending::failed:
            return finish_entry(&ApplyTotals::entries_failed);
    }
}

// An archived ticket of the entry was gone before this run began its step (the index was stale):
// the contact's later steps rest on facts that no longer hold, so they wait for a new plan.
Runner::Ending Runner::skip_rest(const Entry& entry, Id gone_before) {
    JournalRecord record = record_of(entry, std::nullopt);
    record.outcome = Outcome::skipped;
    record.reason = "archived ticket " + std::to_string(gone_before) +
                    " was already gone before this run: the contact waits for the next plan";
    append(record);
    return Ending::skipped;
}

// The steps from the entry's next one on. A step that starts long after the re-read (a bulk job
// waited for, rate-limit waits) re-reads and re-checks first: a ticket or an exception tag added
// meanwhile must stop the contact's deletion, and tags are written back from a fresh read.
Runner::Ending Runner::carry_out(const Entry& entry, const EntryState& state, Fresh& fresh,
                                 bool exact) {
    const std::size_t from = state.next_step;
    std::size_t current = from;
    StepContext context{.client = client_,
                        .options = options_,
                        .record_started =
                            [&](const std::string& job_id) {
                                JournalRecord record = record_of(entry, current);
                                record.outcome = Outcome::started;
                                record.job_id = job_id;
                                append(record);
                            },
                        .count_bulk_job =
                            [&] {
                                std::lock_guard lock(mutex_);
                                ++totals_.bulk_jobs;
                            },
                        .archived_gone = [&](Id ticket_id) { archived_gone(ticket_id); },
                        .begun = false,
                        .exact = exact,
                        .first_job_poll = std::nullopt,
                        .job_ended = {}};
    if (const std::int64_t ms = job_ms_; ms > 0) {
        context.first_job_poll = std::max(options_.first_job_poll, std::chrono::milliseconds(ms));
    }
    context.job_ended = [this](std::chrono::milliseconds took) {
        std::int64_t seen = job_ms_;
        while ((seen == 0 || took.count() < seen) &&
               !job_ms_.compare_exchange_weak(seen, took.count())) {
        }
    };
    auto read_at = std::chrono::steady_clock::now();
    if (exact &&
        std::chrono::steady_clock::now() - looked_at_at(entry.contact_id) > options_.look_max_age) {
        // The look it relied on is too old by now (waits since): a fresh re-read first.
        {
            std::lock_guard lock(mutex_);
            ++totals_.entries_reread;
            looked_at_.erase(entry.contact_id);
        }
        exact = false;
        context.exact = false;
        if (const std::optional<Ending> ending = reread(entry, from, state.begun, fresh)) {
            return *ending;
        }
    }
    if (exact) {
        std::lock_guard lock(mutex_);
        read_at = looked_at_.at(entry.contact_id);
        const auto window = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - read_at);
        totals_.longest_look_window_ms = std::max(totals_.longest_look_window_ms, window.count());
        looked_at_.erase(entry.contact_id);
    }
    std::int64_t carried = 0;  // tickets trashed by a step cut short by a surprise
    for (; current < entry.steps.size(); ++current) {
        const bool begun = current == from && state.begun;  // by an earlier run
        context.begun = begun;
        if (current > from && std::chrono::steady_clock::now() - read_at > options_.reread_after) {
            const std::optional<Ending> ending = reread(entry, current, begun, fresh);
            read_at = std::chrono::steady_clock::now();
            if (ending) {
                return *ending;
            }
        }
        StepResult result;
        try {
            result = run_step(context, entry, current, fresh);
        } catch (const freshdesk::FormatError& error) {
            result.outcome = Outcome::failed;
            result.reason = error.what();
        }
        if (result.surprise) {
            // The account is not as the look said (a change it could not show, or one since):
            // the contact is re-read and re-checked, and the step goes on from the fresh facts.
            {
                std::lock_guard lock(mutex_);
                ++totals_.entries_reread;
            }
            carried += result.tickets_deleted;
            context.exact = false;
            const std::optional<Ending> ending = reread(entry, current, begun, fresh);
            read_at = std::chrono::steady_clock::now();
            if (ending) {
                return *ending;
            }
            --current;  // the same step again
            continue;
        }
        result.tickets_deleted += std::exchange(carried, 0);
        JournalRecord record = record_of(entry, current);
        record.outcome = result.outcome;
        record.reason = result.reason;
        record.status = result.status;
        record.code = result.code;
        append(record);
        count(entry.steps[current], result);
        if (freshdesk::stops_run(result.status, result.code)) {
            throw freshdesk::ApiError(result.reason, result.status, result.code);
        }
        if (result.outcome != Outcome::done) {
            return Ending::failed;
        }
        // An erasure request's hard deletion takes what is left anyway: no reason to wait.
        const bool subject = rules_are(entry, EngineRule::subject);
        if (result.gone_before && !subject && current + 1 < entry.steps.size()) {
            return skip_rest(entry, *result.gone_before);
        }
    }
    return Ending::done;
}

void Runner::count(const Step& step, const StepResult& result) {
    std::lock_guard lock(mutex_);
    totals_.archived_tickets_deleted += result.archived_deleted;  // a failed step's too
    if (result.outcome == Outcome::failed) {
        ++totals_.steps_failed;
        return;
    }
    ++totals_.steps_done;
    const bool changed = !result.already;
    totals_.tickets_deleted += result.tickets_deleted;
    switch (step.action) {
        case StepAction::delete_tickets:
        case StepAction::delete_archived_tickets:
            break;
        case StepAction::delete_contact:
            totals_.contacts_deleted += changed ? 1 : 0;
            break;
        case StepAction::mark_pending:
            totals_.contacts_marked += changed ? 1 : 0;
            break;
        case StepAction::clear_pending:
            totals_.marks_cleared += changed ? 1 : 0;
            break;
        case StepAction::purge_soft_deleted:
            totals_.soft_deleted_purged += changed ? 1 : 0;
            break;
    }
}

JournalRecord Runner::record_of(const Entry& entry, std::optional<std::size_t> step) const {
    JournalRecord record;
    record.run = run_;
    record.account = header_.account;
    record.source = JournalSource::plan;
    record.source_sha256 = sha_;
    record.contact_id = entry.contact_id;
    if (step) {
        const Step& s = entry.steps[*step];
        record.step = static_cast<int>(*step);
        record.action = std::string(to_string(s.action));
        if (s.action == StepAction::delete_tickets) {
            record.ticket_ids = s.ticket_ids;
        } else if (s.action == StepAction::delete_archived_tickets) {
            record.ticket_ids = s.ticket_ids;
            record.permanent = true;  // no trash, no undo
        } else if (s.action == StepAction::delete_contact) {
            record.mode = s.mode;
        } else if (s.action == StepAction::mark_pending) {
            record.since = s.since;
        }
    }
    return record;
}

void Runner::append(const JournalRecord& record) {
    JournalRecord stamped = record;
    stamped.ts = machine_now();
    journal_.append(stamped);
    if (options_.on_record) {
        std::lock_guard lock(mutex_);
        options_.on_record(stamped);
    }
}

void Runner::finish_entry(std::int64_t ApplyTotals::*counter) {
    std::lock_guard lock(mutex_);
    ++(totals_.*counter);
    ++progress_.entries_finished;
    if (options_.on_progress) {
        options_.on_progress(progress_);
    }
}

}  // namespace detail

ApplyTotals apply_plan(freshdesk::Client& client, const PlanHeader& header,
                       const EntryStream& entries, const std::string& plan_sha256, Journal& journal,
                       const ApplyOptions& options) {
    return detail::Runner(client, header, entries, plan_sha256, journal, options).run();
}

ApplyTotals apply_plan(freshdesk::Client& client, const Plan& plan, const std::string& plan_sha256,
                       Journal& journal, const ApplyOptions& options) {
    return apply_plan(client, plan.header, entries_of(plan), plan_sha256, journal, options);
}

}  // namespace gp::executor
