// undo_soft: what an apply journal says was soft-deleted, restored newest first on a few threads
// (one contact at a time each), every outcome journaled in the undo run's own journal, in the
// order the contacts were handed out (docs/apply.md, "undo-soft").
#include "executor/undo_detail.hpp"

#include "engine/engine.hpp"
#include "executor/executor.hpp"
#include "freshdesk/read.hpp"
#include "freshdesk/write.hpp"
#include "util/clock.hpp"
#include "util/text.hpp"
#include "util/threads.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <iterator>
#include <map>
#include <mutex>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace gp::executor {

namespace fd = gp::freshdesk;

namespace {

using namespace undo_detail;

constexpr std::int64_t trash_seconds = 30 * seconds_per_day;
constexpr std::string_view trash_purged =
    "trashed more than 30 days ago: purged from Freshdesk's trash";

// The outcome of one restoration, before it becomes a record.
struct Verdict {
    Outcome outcome = Outcome::done;
    std::string reason;
    int status = 0;
    std::string code;
    auto key() const { return std::tie(outcome, status, code, reason); }
};

Verdict verdict_of(Outcome outcome, std::string reason = "") {
    return Verdict{.outcome = outcome, .reason = std::move(reason), .status = 0, .code = ""};
}

Verdict failed(int status, std::string code, std::string reason) {
    return Verdict{.outcome = Outcome::failed,
                   .reason = std::move(reason),
                   .status = status,
                   .code = std::move(code)};
}

// What the restore call answered: done, or 404 (restored already, or gone for good).
enum class RestoreAnswer { done, not_found };

Verdict failed(const fd::WriteResult& result) {
    return failed(result.http_status, result.code, result.message);
}

// The key is refused: nothing else will work either.
void stop_on_auth(const fd::WriteResult& result, const std::string& call) {
    if (fd::stops_run(result.http_status, result.code)) {
        throw fd::ApiError(call + ": " + result.message, result.http_status, result.code);
    }
}

bool is_deleted_tag(const std::string& tag) {
    return normalize_name(tag) == deleted_tag;
}

// What one task did: its records, in the order they were made, and its share of the totals.
struct Done {
    std::vector<JournalRecord> records;
    UndoTotals totals;
};

void add(UndoTotals& to, const UndoTotals& from) {
    to.contacts_restored += from.contacts_restored;
    to.tickets_restored += from.tickets_restored;
    to.contacts_not_restorable += from.contacts_not_restorable;
    to.tickets_not_restorable += from.tickets_not_restorable;
    to.tickets_lost += from.tickets_lost;
    to.steps_done_before += from.steps_done_before;
    to.steps_failed += from.steps_failed;
}

// Tasks handed out ahead of the oldest one not yet journaled, per thread: a slow contact holds the
// journal of the later ones back (in memory) at most this far, so that a run killed meanwhile
// leaves few restorations unrecorded (the next run finds them live: done, at a credit or two).
constexpr std::size_t window_per_thread = 8;

class Undo {
  public:
    Undo(fd::Client& client, const std::string& source_sha256, Journal& own,
         const UndoOptions& options)
        : client_(client),
          source_sha256_(source_sha256),
          own_(own),
          options_(options),
          run_(new_run_id()),
          now_(options.now == no_time ? now_seconds() : options.now),
          recorded_(read_own(own.existing(), source_sha256)) {}

    UndoTotals run(const std::vector<JournalRecord>& records);

  private:
    void work();
    void task(const Task& task, Done& out) const;
    void commit(std::size_t index, Done done);
    void contact(Id contact_id, Done& out) const;
    void tickets(Id contact_id, const std::vector<Id>& ticket_ids, Done& out) const;
    void archived(Id contact_id, const std::vector<Id>& ticket_ids, Done& out) const;
    std::vector<Id> not_recorded(const std::vector<Id>& ticket_ids, Done& out) const;
    Verdict restore_contact(Id contact_id) const;
    Verdict restored_contact(Id contact_id, RestoreAnswer answer) const;
    Verdict restore_ticket(Id ticket_id) const;
    Verdict look_at_hard_deleted_ticket(Id ticket_id, Id contact_id) const;
    // GET /tickets/{id}: the ticket's state; nothing when it cannot be told (`failure` says why).
    std::optional<fd::TicketState> state_of(Id ticket_id, Verdict& failure) const;
    void record(Done& out, Id contact_id, std::string_view action, const Verdict& verdict,
                std::vector<Id> ticket_ids = {}) const;

    fd::Client& client_;
    const std::string& source_sha256_;
    Journal& own_;
    const UndoOptions& options_;
    std::string run_;
    UnixTime now_;
    Recorded recorded_;
    Source source_;
    std::vector<Task> tasks_;  // newest first

    std::mutex mutex_;  // everything below, the journal's order and options_.on_record
    std::condition_variable moved_;
    std::size_t window_ = window_per_thread;
    std::size_t next_ = 0;                   // the next task to hand out
    std::size_t committed_ = 0;              // tasks journaled (in order)
    std::vector<std::optional<Done>> done_;  // per task: finished, not yet journaled
    bool journal_broken_ = false;            // an append threw: nothing more is written
    std::exception_ptr error_;
    bool stop_ = false;
    UndoTotals totals_;
};

UndoTotals Undo::run(const std::vector<JournalRecord>& records) {
    source_ = read_source(records);
    tasks_ = tasks_of(source_.items);
    done_.resize(tasks_.size());
    const int threads = std::clamp(options_.concurrency, 1,
                                   static_cast<int>(std::max<std::size_t>(tasks_.size(), 1)));
    window_ = window_per_thread * static_cast<std::size_t>(threads);
    run_on_threads(threads, [this] { work(); });  // work() keeps its failure in error_
    if (error_) {
        std::rethrow_exception(error_);
    }
    return totals_;
}

// Takes the tasks in order, newest first, while the window allows, until none is left or the run
// stops (a refused key, the journal).
void Undo::work() {
    for (;;) {
        std::size_t index = 0;
        {
            std::unique_lock lock(mutex_);
            moved_.wait(lock, [this] {
                return stop_ || next_ >= tasks_.size() || next_ < committed_ + window_;
            });
            if (stop_ || next_ >= tasks_.size()) {
                return;
            }
            index = next_++;
        }
        Done done;
        try {
            task(tasks_[index], done);
        } catch (...) {
            std::lock_guard lock(mutex_);
            if (!error_) {
                error_ = std::current_exception();
            }
            stop_ = true;
        }
        commit(index, std::move(done));  // what the task did before it stopped, too
    }
}

void Undo::task(const Task& task, Done& out) const {
    for (const Item* item : task.items) {
        switch (item->kind) {
            case Kind::contact:
                contact(item->contact_id, out);
                break;
            case Kind::tickets:
                tickets(item->contact_id, item->ticket_ids, out);
                break;
            case Kind::archived:
                archived(item->contact_id, item->ticket_ids, out);
                break;
        }
    }
}

// Journals the finished tasks in the order they were handed out: the journal (and what
// on_record shows) is the same whatever the number of threads.
void Undo::commit(std::size_t index, Done done) {
    std::lock_guard lock(mutex_);
    done_[index] = std::move(done);
    while (committed_ < done_.size() && done_[committed_]) {
        Done& next = *done_[committed_];
        try {
            for (const JournalRecord& r : next.records) {
                if (journal_broken_) {
                    break;
                }
                own_.append(r);
                if (options_.on_record) {
                    options_.on_record(r);
                }
            }
        } catch (...) {
            journal_broken_ = true;
            if (!error_) {
                error_ = std::current_exception();
            }
            stop_ = true;
        }
        add(totals_, next.totals);
        done_[committed_].reset();
        ++committed_;
    }
    moved_.notify_all();
}

void Undo::record(Done& out, Id contact_id, std::string_view action, const Verdict& verdict,
                  std::vector<Id> ticket_ids) const {
    JournalRecord r;
    r.ts = format_timestamp(now_seconds());
    r.run = run_;
    r.account = options_.account;
    r.source = JournalSource::journal;
    r.source_sha256 = source_sha256_;
    r.contact_id = contact_id;
    r.action = std::string(action);
    r.ticket_ids = std::move(ticket_ids);
    r.outcome = verdict.outcome;
    r.reason = verdict.reason;
    r.status = verdict.status;
    r.code = verdict.code;
    out.records.push_back(std::move(r));
    out.totals.steps_failed += verdict.outcome == Outcome::failed ? 1 : 0;
}

void Undo::contact(Id contact_id, Done& out) const {
    if (recorded_.contacts.contains(contact_id)) {
        ++out.totals.steps_done_before;
        return;
    }
    Verdict verdict;
    if (source_.hard_deleted.contains(contact_id)) {
        verdict = verdict_of(Outcome::not_restorable, "hard-deleted");
    } else {
        verdict = restore_contact(contact_id);
    }
    out.totals.contacts_restored += verdict.outcome == Outcome::done ? 1 : 0;
    out.totals.contacts_not_restorable += verdict.outcome == Outcome::not_restorable ? 1 : 0;
    record(out, contact_id, restore_contact_action, verdict);
}

// GET /contacts/{id}, its failures as verdicts (but a refused key stops the run).
struct Viewed {
    std::optional<fd::ContactView> view;  // nothing: 404 (or the call failed: see failure)
    std::optional<Verdict> failure;
};

Viewed look_up(fd::Client& client, Id contact_id) {
    try {
        return Viewed{fd::view_contact(client, contact_id), std::nullopt};
    } catch (const fd::ApiError& e) {
        if (e.authentication()) {
            throw;
        }
        return Viewed{std::nullopt, failed(e.status(), e.code(), e.what())};
    } catch (const fd::TransportError& e) {
        return Viewed{std::nullopt, failed(0, "", e.what())};
    } catch (const fd::FormatError& e) {
        return Viewed{std::nullopt, failed(0, "", e.what())};
    }
}

// PUT /contacts/{id}/restore; a 404 is told apart by the contact's view: live already (an agent
// restored it), or gone for good.
Verdict Undo::restore_contact(Id contact_id) const {
    const fd::WriteResult result = fd::restore_contact(client_, contact_id);
    stop_on_auth(result, "PUT /api/v2/contacts/" + std::to_string(contact_id) + "/restore");
    if (result.ok()) {
        return restored_contact(contact_id, RestoreAnswer::done);
    }
    if (result.status == fd::WriteStatus::not_found) {
        return restored_contact(contact_id, RestoreAnswer::not_found);
    }
    return failed(result);
}

// The contact is live again (or should be): the soft-deletion tag removed, every other tag kept.
Verdict Undo::restored_contact(Id contact_id, RestoreAnswer answer) const {
    const Viewed viewed = look_up(client_, contact_id);
    if (viewed.failure) {
        return *viewed.failure;
    }
    if (!viewed.view) {
        return answer == RestoreAnswer::not_found
                   ? verdict_of(Outcome::not_restorable, "contact no longer exists (hard-deleted)")
                   : failed(404, "", "contact not found after its restore");
    }
    if (viewed.view->contact.state == ContactState::soft_deleted) {
        return failed(404, "", "the contact is still deleted");
    }
    if (viewed.view->blocked) {
        return failed(0, "", "the contact is blocked");
    }
    const std::vector<std::string>& tags = viewed.view->contact.tags;
    std::vector<std::string> kept;
    std::copy_if(tags.begin(), tags.end(), std::back_inserter(kept),
                 [](const std::string& tag) { return !is_deleted_tag(tag); });
    if (kept.size() != tags.size()) {
        const fd::WriteResult result = fd::set_contact_tags(client_, contact_id, kept);
        stop_on_auth(result, "PUT /api/v2/contacts/" + std::to_string(contact_id));
        if (!result.ok()) {
            Verdict verdict = failed(result);
            verdict.reason = "restored, but its tags were not updated: " + verdict.reason;
            return verdict;
        }
    }
    return verdict_of(Outcome::done, answer == RestoreAnswer::not_found ? "already restored" : "");
}

// PUT /tickets/{id}/restore; a 404 is told apart by the ticket's state.
Verdict Undo::restore_ticket(Id ticket_id) const {
    const std::string target = "/api/v2/tickets/" + std::to_string(ticket_id);
    const fd::WriteResult result = fd::restore_ticket(client_, ticket_id);
    stop_on_auth(result, "PUT " + target + "/restore");
    if (result.ok()) {
        return Verdict{};
    }
    if (result.status != fd::WriteStatus::not_found) {
        return failed(result);
    }
    Verdict failure;
    const std::optional<fd::TicketState> state = state_of(ticket_id, failure);
    if (!state) {
        return failure;
    }
    switch (*state) {
        case fd::TicketState::live:
            return verdict_of(Outcome::done, "already restored");
        case fd::TicketState::gone:
            return verdict_of(Outcome::lost, "no longer in the trash");
        case fd::TicketState::spam:
            return failed(404, "", "restore refused: the ticket is spam");
        case fd::TicketState::trash:
            break;
    }
    return failed(404, "", "restore refused: the ticket is still in the trash");
}

std::optional<fd::TicketState> Undo::state_of(Id ticket_id, Verdict& failure) const {
    fd::TicketLookup lookup;
    try {
        lookup = fd::view_ticket_state(client_, ticket_id);
    } catch (const fd::FormatError& e) {
        failure = failed(0, "", e.what());
        return std::nullopt;
    }
    stop_on_auth(lookup.result, "GET /api/v2/tickets/" + std::to_string(ticket_id));
    if (!lookup.state) {
        failure = failed(lookup.result);
    }
    return lookup.state;
}

// The trashed ticket of a contact that was hard-deleted since. Freshdesk usually removes such
// tickets with the contact, in the background; a contact that was once an agent keeps them
// (docs/rules-semantics.md, settled 21). Nothing claims either: the ticket is looked at. It is
// never restored: the deletion of its contact was meant for good (an erasure request, say), and
// tickets about to be removed with it would come back only for a moment. One still in the trash is
// reported so, for a person to judge.
Verdict Undo::look_at_hard_deleted_ticket(Id ticket_id, Id contact_id) const {
    Verdict failure;
    const std::optional<fd::TicketState> state = state_of(ticket_id, failure);
    if (!state) {
        return failure;
    }
    const std::string contact = std::to_string(contact_id);
    switch (*state) {
        case fd::TicketState::live:
            return verdict_of(Outcome::done, "already restored");
        case fd::TicketState::gone:
            return verdict_of(Outcome::not_restorable,
                              "gone (contact " + contact + " was deleted hard, or purged)");
        case fd::TicketState::spam:
            return failed(404, "", "restore refused: the ticket is spam");
        case fd::TicketState::trash:
            break;
    }
    return verdict_of(Outcome::not_restorable,
                      "left in the trash: contact " + contact +
                          " was deleted hard, so its tickets are not restored (an agent may)");
}

// The ids of `ticket_ids` that no earlier undo run recorded as final; counts a step done before
// when some were.
std::vector<Id> Undo::not_recorded(const std::vector<Id>& ticket_ids, Done& out) const {
    std::vector<Id> todo;
    std::copy_if(ticket_ids.begin(), ticket_ids.end(), std::back_inserter(todo),
                 [this](Id id) { return !recorded_.tickets.contains(id); });
    if (todo.size() != ticket_ids.size()) {
        ++out.totals.steps_done_before;
    }
    return todo;
}

// Archived tickets are deleted permanently (no trash): listed as not restorable, no request.
void Undo::archived(Id contact_id, const std::vector<Id>& ticket_ids, Done& out) const {
    std::vector<Id> todo = not_recorded(ticket_ids, out);
    if (todo.empty()) {
        return;
    }
    out.totals.tickets_not_restorable += static_cast<std::int64_t>(todo.size());
    record(out, contact_id, restore_tickets_action,
           verdict_of(Outcome::not_restorable, "archived tickets are deleted permanently"),
           std::move(todo));
}

// A contact's trashed tickets: one record per outcome (failures: per status, code and reason).
void Undo::tickets(Id contact_id, const std::vector<Id>& ticket_ids, Done& out) const {
    const std::vector<Id> todo = not_recorded(ticket_ids, out);
    if (todo.empty()) {
        return;
    }
    const bool hard_deleted = source_.hard_deleted.contains(contact_id);
    std::map<std::tuple<Outcome, int, std::string, std::string>, std::vector<Id>> groups;
    for (const Id id : todo) {
        const UnixTime trashed = source_.trashed_at.at(id);
        Verdict verdict = trashed != no_time && now_ - trashed > trash_seconds
                              ? verdict_of(Outcome::lost, std::string(trash_purged))
                          : hard_deleted ? look_at_hard_deleted_ticket(id, contact_id)
                                         : restore_ticket(id);
        if (verdict.outcome == Outcome::done) {
            verdict.reason.clear();  // restored now or already live: one record
        }
        groups[verdict.key()].push_back(id);
    }
    for (auto& [key, ids] : groups) {
        const auto& [outcome, status, code, reason] = key;
        const auto count = static_cast<std::int64_t>(ids.size());
        out.totals.tickets_restored += outcome == Outcome::done ? count : 0;
        out.totals.tickets_lost += outcome == Outcome::lost ? count : 0;
        out.totals.tickets_not_restorable += outcome == Outcome::not_restorable ? count : 0;
        record(out, contact_id, restore_tickets_action,
               Verdict{.outcome = outcome, .reason = reason, .status = status, .code = code},
               std::move(ids));
    }
}

}  // namespace

UndoTotals undo_soft(freshdesk::Client& client, const std::vector<JournalRecord>& source,
                     const std::string& source_sha256, Journal& own, const UndoOptions& options) {
    Undo undo(client, source_sha256, own, options);
    return undo.run(source);
}

}  // namespace gp::executor
