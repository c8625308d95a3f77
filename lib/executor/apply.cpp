// apply_plan: the entries of a plan, each re-read, re-checked and carried out step by step on a
// few threads, every outcome journaled (and synced) before the entry's next step.
#include "executor/apply_detail.hpp"

#include "engine/engine.hpp"
#include "freshdesk/read.hpp"
#include "time/time.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <utility>

namespace gp::executor {

namespace {

using detail::Check;
using detail::EntryState;
using detail::Fresh;
using detail::StepResult;
using detail::Verdict;

std::string machine_now() {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return format_timestamp(std::chrono::duration_cast<std::chrono::seconds>(now).count());
}

UnixTime plan_as_of(const Plan& plan) {
    const auto as_of = parse_timestamp(plan.header.as_of);
    if (!as_of) {  // the plan reader checks it; a hand-made Plan must not reach aged() without one
        throw std::invalid_argument("the plan's as_of is not a timestamp");
    }
    return *as_of;
}

class Runner {
  public:
    Runner(freshdesk::Client& client, const Plan& plan, std::string plan_sha256, Journal& journal,
           const ApplyOptions& options)
        : client_(client),
          plan_(plan),
          sha_(std::move(plan_sha256)),
          journal_(journal),
          options_(options),
          run_(new_run_id()),
          as_of_(plan_as_of(plan)),
          // A plan without `archive` was made blind to archived tickets (an earlier version):
          // its contact-level decisions are re-checked as held (docs/apply.md).
          archive_complete_(plan.header.archive && plan.header.archive->complete) {}

    ApplyTotals run();

  private:
    void read_names();
    void work(const std::vector<std::size_t>& order, std::atomic<std::size_t>& next);
    enum class Ending { done, skipped, failed };

    void process(const Entry& entry, const EntryState& state);
    std::chrono::steady_clock::time_point looked_at_at(Id contact_id);
    bool by_look(const Entry& entry, Fresh& fresh, std::optional<Ending>& ending);
    Fresh read_fresh(const Entry& entry);
    std::vector<TicketRecord> archived_of(Id contact_id);
    void archived_found(const TicketRecord& ticket);
    void archived_gone(Id ticket_id);
    std::optional<Ending> reread(const Entry& entry, std::size_t next, bool begun, Fresh& fresh);
    void record_read_failure(const Entry& entry, const std::string& what, int status,
                             const std::string& code);
    std::optional<Ending> conclude(const Entry& entry, std::size_t next, const Check& check);
    Ending carry_out(const Entry& entry, const EntryState& state, Fresh& fresh, bool exact);
    Ending skip_rest(const Entry& entry, Id gone_before);
    void count(const Step& step, const StepResult& result);
    JournalRecord record_of(const Entry& entry, std::optional<std::size_t> step) const;
    void append(const JournalRecord& record);
    void finish_entry(std::int64_t ApplyTotals::*counter);

    freshdesk::Client& client_;
    const Plan& plan_;
    std::string sha_;
    Journal& journal_;
    const ApplyOptions& options_;
    std::string run_;
    UnixTime as_of_;
    bool archive_complete_;  // the plan's archive.complete (false without `archive`)
    Snapshot names_;
    std::unordered_set<Id> blocked_;  // GET /contacts?state=blocked, read once
    std::unordered_map<Id, EntryState> states_;
    std::unique_ptr<detail::Looks> looks_;  // nothing: every entry is re-read
    // The start of the look each looked-at entry relies on (for the window), by contact.
    std::unordered_map<Id, std::chrono::steady_clock::time_point> looked_at_;
    std::atomic<std::int64_t> job_ms_{0};  // the shortest time a job was seen to take; 0: none yet
    std::mutex mutex_;             // totals_, progress_, error_, gone_, the options' callbacks
    std::unordered_set<Id> gone_;  // archived tickets this run deleted or found gone
    ApplyTotals totals_;
    ApplyProgress progress_;
    std::exception_ptr error_;
    std::atomic<bool> stop_{false};
};

ApplyTotals Runner::run() {
    states_ = detail::entry_states(journal_.existing(), sha_, plan_.entries);
    std::vector<std::size_t> order;
    totals_.entries = static_cast<std::int64_t>(plan_.entries.size());
    for (std::size_t i = 0; i < plan_.entries.size(); ++i) {
        const EntryState& state = states_.at(plan_.entries[i].contact_id);
        if (state.skipped) {
            ++totals_.entries_skipped;
        } else if (state.finished(plan_.entries[i])) {
            ++totals_.entries_done;
            ++totals_.entries_done_before;
        } else {
            order.push_back(i);
        }
    }
    progress_.entries_total = static_cast<std::int64_t>(order.size());
    if (order.empty()) {
        return totals_;  // all recorded: not one request
    }
    read_names();
    const std::optional<UnixTime> read_started = parse_timestamp(plan_.header.read_started_at);
    if (options_.look_for_changes && read_started) {
        detail::Looks::Settings settings;
        settings.from = *read_started;
        settings.highest_ticket_id = plan_.header.highest_ticket_id;
        settings.max_age = options_.look_max_age;
        // Listing every contact pays when it costs less than a quarter of the views it spares.
        const auto untouched = std::count_if(order.begin(), order.end(), [&](std::size_t i) {
            const EntryState& state = states_.at(plan_.entries[i].contact_id);
            return !state.recorded && state.job_id.empty();
        });
        settings.listing_pages = std::max<std::int64_t>(1, untouched / 4);
        looks_ = std::make_unique<detail::Looks>(client_, plan_, settings);
    }
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> workers;
    const int threads = std::clamp(options_.concurrency, 1, static_cast<int>(order.size()));
    for (int t = 1; t < threads; ++t) {
        workers.emplace_back([&] { work(order, next); });
    }
    work(order, next);
    for (auto& worker : workers) {
        worker.join();
    }
    totals_.looks = looks_ ? looks_->looks() : 0;
    if (error_) {
        std::rethrow_exception(error_);
    }
    return totals_;
}

void Runner::read_names() {
    names_.agents = freshdesk::list_agents(client_);
    names_.groups = freshdesk::list_groups(client_);
    names_.companies = freshdesk::list_companies(client_);
    names_.ticket_types = freshdesk::list_ticket_types(client_);
    (void)evaluate(names_, plan_.header.rules, as_of_);  // RulesResolutionError before any step
    // The contact view has no `blocked` (docs/rules.md, settled question 6): the list says it.
    freshdesk::ContactQuery blocked;
    blocked.blocked = true;
    freshdesk::for_each_contact(
        client_, blocked, [&](freshdesk::ContactItem&& contact) { blocked_.insert(contact.id); });
}

void Runner::work(const std::vector<std::size_t>& order, std::atomic<std::size_t>& next) {
    for (std::size_t i = next++; i < order.size() && !stop_; i = next++) {
        const Entry& entry = plan_.entries[order[i]];
        try {
            process(entry, states_.at(entry.contact_id));
        } catch (...) {
            std::lock_guard lock(mutex_);
            if (!error_) {
                error_ = std::current_exception();
            }
            stop_ = true;
        }
    }
}

// Per entry: outcomes are records; only what stops the run (a refused key, the journal) throws.
void Runner::process(const Entry& entry, const EntryState& state) {
    if (!state.job_id.empty()) {
        detail::StepContext context{client_, options_, {}, {}, {}, false, false, {}, {}};
        try {
            detail::wait_for_job(context, state.job_id);  // an earlier run's job ends first
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

// The look path (docs/apply.md, "The look for changes"): true when the looks show the contact
// unchanged since the plan; `fresh` then holds the plan's facts (the contact's view for the steps
// that write its tags: they need its tags, and the view must show it as planned too). False: the
// entry is re-read, unless `ending` says the view failed.
bool Runner::by_look(const Entry& entry, Fresh& fresh, std::optional<Ending>& ending) {
    detail::Looks::Seen seen;
    try {
        seen = looks_->check(entry.contact_id);
    } catch (const freshdesk::ApiError& error) {
        if (error.authentication()) {
            throw;
        }
        return false;  // a look that failed tells nothing: the entry is re-read (and the next
                       // entry tries a look again)
    } catch (const std::runtime_error&) {  // TransportError, FormatError
        return false;
    }
    if (seen.changed ||
        std::chrono::steady_clock::now() - seen.look_started > options_.look_max_age) {
        return false;  // changed, or no look recent enough (a slow account): re-read
    }
    fresh.archived = archived_of(entry.contact_id);
    for (Id id : detail::planned_archived_ids(entry)) {
        if (std::none_of(fresh.archived.begin(), fresh.archived.end(),
                         [id](const TicketRecord& t) { return t.id == id; })) {
            return false;  // the index no longer knows it: the re-check says why
        }
    }
    const bool purge = std::any_of(entry.steps.begin(), entry.steps.end(), [](const Step& step) {
        return step.action == StepAction::purge_soft_deleted;
    });
    const ContactState planned = purge ? ContactState::soft_deleted : ContactState::active;
    if (detail::writes_contact_tags(entry) || !seen.known) {
        std::optional<freshdesk::ContactView> view;
        try {
            view = freshdesk::view_contact(client_, entry.contact_id);
        } catch (const freshdesk::ApiError& error) {
            if (error.authentication()) {
                throw;
            }
            record_read_failure(entry, error.what(), error.status(), error.code());
            ending = Ending::failed;
            return false;
        } catch (const std::runtime_error& error) {  // TransportError, FormatError
            record_read_failure(entry, error.what(), 0, "");
            ending = Ending::failed;
            return false;
        }
        if (!view || view->blocked || view->contact.state != planned ||
            format_timestamp(view->contact.updated_at) != entry.expect.contact_updated_at ||
            looks_->agent_email(view->contact.email)) {
            return false;
        }
        fresh.contact = std::move(view->contact);
    } else {
        Contact contact;
        contact.id = entry.contact_id;
        contact.state = planned;
        fresh.contact = std::move(contact);
    }
    for (Id id : entry.expect.ticket_ids) {
        TicketRecord ticket;
        ticket.id = id;
        ticket.requester_id = entry.contact_id;
        fresh.live.push_back(std::move(ticket));
    }
    if (detail::writes_contact_tags(entry) || !seen.known) {
        // Checked again: the view may have waited its turn. The window starts at the look's start.
        try {
            seen = looks_->check(entry.contact_id);
        } catch (const freshdesk::ApiError& error) {
            if (error.authentication()) {
                throw;
            }
            seen.changed = true;
        } catch (const std::runtime_error&) {
            seen.changed = true;
        }
        if (std::chrono::steady_clock::now() - seen.look_started > options_.look_max_age) {
            seen.changed = true;
        }
        if (seen.changed) {
            fresh = Fresh{};
            return false;
        }
    }
    std::lock_guard lock(mutex_);
    looked_at_[entry.contact_id] = seen.look_started;
    return true;
}

std::chrono::steady_clock::time_point Runner::looked_at_at(Id contact_id) {
    std::lock_guard lock(mutex_);
    return looked_at_.at(contact_id);
}

// The re-read (apply_read.cpp), with what the run knows of the contact: blocked, archived.
Fresh Runner::read_fresh(const Entry& entry) {
    detail::FreshRead read(client_, plan_.header.rules);
    read.blocked =
        blocked_.contains(entry.contact_id) || (looks_ && looks_->blocked(entry.contact_id));
    read.probe_archived = options_.probe_archived;
    read.archived = archived_of(entry.contact_id);
    read.archived_found = [this](const TicketRecord& ticket) { archived_found(ticket); };
    return detail::read_fresh(entry, read);
}

// The archive index's archived tickets of the contact, minus those this run deleted or found gone.
std::vector<TicketRecord> Runner::archived_of(Id contact_id) {
    std::vector<TicketRecord> out;
    std::lock_guard lock(mutex_);
    if (options_.archived_of) {
        out = options_.archived_of(contact_id);
    }
    std::erase_if(out, [&](const TicketRecord& t) { return gone_.contains(t.id); });
    for (TicketRecord& ticket : out) {
        ticket.archived = true;
    }
    std::sort(out.begin(), out.end(),
              [](const TicketRecord& a, const TicketRecord& b) { return a.id < b.id; });
    return out;
}

void Runner::archived_found(const TicketRecord& ticket) {
    std::lock_guard lock(mutex_);
    if (options_.on_archived_found) {
        options_.on_archived_found(ticket);
    }
}

void Runner::archived_gone(Id ticket_id) {
    std::lock_guard lock(mutex_);
    gone_.insert(ticket_id);
    if (options_.on_archived_gone) {
        options_.on_archived_gone(ticket_id);
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
    detail::StepContext context{client_,
                                options_,
                                [&](const std::string& job_id) {
                                    JournalRecord record = record_of(entry, current);
                                    record.outcome = Outcome::started;
                                    record.job_id = job_id;
                                    append(record);
                                },
                                [&] {
                                    std::lock_guard lock(mutex_);
                                    ++totals_.bulk_jobs;
                                },
                                [&](Id ticket_id) { archived_gone(ticket_id); },
                                false,
                                exact,
                                std::nullopt,
                                {}};
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
            result = detail::run_step(context, entry, current, fresh);
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
        if ((result.status == 401 || result.status == 403) && result.code != "require_feature") {
            // The key was refused or lacks a permission: every other step would fail alike. (An
            // account without archiving refuses archived deletions only.)
            throw freshdesk::ApiError(result.reason, result.status, result.code);
        }
        if (result.outcome != Outcome::done) {
            return Ending::failed;
        }
        // An erasure request's hard deletion takes what is left anyway: no reason to wait.
        const bool subject = entry.rules == std::vector<std::string>{"subject"};
        if (result.gone_before && !subject && current + 1 < entry.steps.size()) {
            return skip_rest(entry, *result.gone_before);
        }
    }
    return Ending::done;
}

// Re-reads the contact before step `next` and re-checks it; nothing when the steps may go on.
std::optional<Runner::Ending> Runner::reread(const Entry& entry, std::size_t next, bool begun,
                                             Fresh& fresh) {
    try {
        fresh = read_fresh(entry);
    } catch (const freshdesk::ApiError& error) {
        if (error.authentication()) {
            throw;
        }
        record_read_failure(entry, error.what(), error.status(), error.code());
        return Ending::failed;
    } catch (const std::runtime_error& error) {  // TransportError, FormatError
        record_read_failure(entry, error.what(), 0, "");
        return Ending::failed;
    }
    const detail::RecheckContext context{archive_complete_, begun};
    if (looks_ && looks_->looks() > 0) {
        // The agents as the latest look saw them: one made an agent since the run began counts.
        Snapshot names = names_;
        names.agents = looks_->agents();
        return conclude(
            entry, next,
            detail::recheck(entry, next, fresh, names, plan_.header.rules, as_of_, context));
    }
    return conclude(
        entry, next,
        detail::recheck(entry, next, fresh, names_, plan_.header.rules, as_of_, context));
}

void Runner::record_read_failure(const Entry& entry, const std::string& what, int status,
                                 const std::string& code) {
    JournalRecord record = record_of(entry, std::nullopt);
    record.outcome = Outcome::failed;
    record.reason = "re-reading the contact: " + what;
    record.status = status;
    record.code = code;
    append(record);
}

// A skip or "already so" is recorded and ends the entry; proceed gives nothing.
std::optional<Runner::Ending> Runner::conclude(const Entry& entry, std::size_t next,
                                               const Check& check) {
    if (check.verdict == Verdict::skip) {
        JournalRecord record = record_of(entry, std::nullopt);
        record.outcome = Outcome::skipped;
        record.reason = check.reason;
        append(record);
        return Ending::skipped;
    }
    if (check.verdict == Verdict::done_already) {
        for (std::size_t k = next; k < entry.steps.size(); ++k) {
            JournalRecord record = record_of(entry, k);
            record.reason = check.reason;
            append(record);
        }
        return Ending::done;
    }
    return std::nullopt;
}

void Runner::count(const Step& step, const StepResult& result) {
    std::lock_guard lock(mutex_);
    totals_.archived_tickets_deleted += result.archived_deleted;  // a failed step's too
    if (result.outcome == Outcome::failed) {
        ++totals_.steps_failed;
        return;
    }
    ++totals_.steps_done;
    const bool changed = result.reason.empty();
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
    record.account = plan_.header.account;
    record.source_key = "plan_sha256";
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

}  // namespace

ApplyTotals apply_plan(freshdesk::Client& client, const Plan& plan, const std::string& plan_sha256,
                       Journal& journal, const ApplyOptions& options) {
    return Runner(client, plan, plan_sha256, journal, options).run();
}

}  // namespace gp::executor
