#pragma once
// The executor (docs/cli.md, "apply", "undo-soft"; docs/apply.md): carries out a reviewed plan
// contact by contact, re-reading and re-checking each contact first, and takes soft deletions back
// from a journal. Per-contact outcomes are data (journal records and totals), never exceptions;
// only what stops the whole run throws (the journal cannot be written, the account refuses the
// key).
#include "account/account.hpp"
#include "executor/journal.hpp"
#include "freshdesk/client.hpp"
#include "plan/plan.hpp"
#include "plan/plan_file.hpp"
#include "time/time.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace gp::executor {

// What a run did, for the summary, --report and --metrics-file.
struct ApplyTotals {
    std::int64_t entries = 0;              // entries in the plan
    std::int64_t entries_done = 0;         // every step done in this run or an earlier one
    std::int64_t entries_done_before = 0;  // of those: already done by an earlier run (no request)
    std::int64_t entries_skipped = 0;      // this run or an earlier one (a skip is final)
    std::int64_t entries_failed = 0;       // a step failed: the next run retries it
    std::int64_t contacts_deleted = 0;     // delete_contact steps done in this run
    std::int64_t tickets_deleted = 0;      // tickets trashed by this run's delete_tickets steps
    // Archived tickets removed for good by this run's delete_archived_tickets steps (204s).
    std::int64_t archived_tickets_deleted = 0;
    std::int64_t contacts_marked = 0;      // mark_pending steps done in this run
    std::int64_t marks_cleared = 0;        // clear_pending steps done in this run
    std::int64_t soft_deleted_purged = 0;  // purge_soft_deleted steps done in this run
    std::int64_t steps_done = 0;           // this run's "done" records
    std::int64_t steps_failed = 0;         // this run's "failed" records
    std::int64_t bulk_jobs = 0;            // bulk deletion jobs started
    // The look for changes (docs/apply.md): looks made, entries re-read one by one (changed since
    // the plan, begun by an earlier run, or a write that found the account otherwise), and the
    // longest time between the start of the look an entry relied on and its first write.
    std::int64_t looks = 0;
    std::int64_t entries_reread = 0;
    std::int64_t longest_look_window_ms = 0;
    bool complete() const { return entries_failed == 0; }
};

// Progress for a display: after each entry.
struct ApplyProgress {
    std::int64_t entries_total = 0;
    std::int64_t entries_finished = 0;  // done, skipped or failed in this run
};

struct ApplyOptions {
    int concurrency = 4;  // contacts worked on at once (each one's steps stay in order)
    // A delete_tickets step with at least this many live tickets uses the bulk endpoint (a POST
    // and the job polls) instead of a DELETE per ticket.
    std::size_t bulk_threshold = 4;
    std::chrono::milliseconds first_job_poll{1000};  // then doubling, at most max_job_poll
    std::chrono::milliseconds max_job_poll{15000};
    std::chrono::seconds job_timeout{900};  // a job still running then: the step failed
    // A step that starts longer than this after the entry's re-read (a bulk job waited for,
    // rate-limit waits) re-reads and re-checks the contact first.
    std::chrono::seconds reread_after{30};
    // The look for changes (docs/apply.md, "The look for changes"): an entry that no earlier run
    // began, of a plan that says when its reading began (read_started_at), is not re-read when the
    // account's changes since, listed in bulk by a look begun at most look_max_age before the
    // entry's first write, do not name it. false: every entry is re-read (as a plan without
    // read_started_at is).
    bool look_for_changes = true;
    std::chrono::milliseconds look_max_age{20000};
    std::function<void(const ApplyProgress&)> on_progress;
    std::function<void(const JournalRecord&)> on_record;  // after each record is durable
    // The archived tickets of a contact (its requester id) that the archive index knows, for the
    // re-check and for the delete_archived_tickets steps (docs/apply.md, "Archived tickets").
    // Empty: none known (an entry that deletes archived tickets is then skipped).
    std::function<std::vector<TicketRecord>(Id requester)> archived_of;
    // Each archived ticket a delete_archived_tickets step deleted (204) or found gone (404), as
    // soon as it is known: the app records it in the archive index. Called before the step's
    // journal record. Calls of archived_of and on_archived_gone come from the worker threads, one
    // at a time.
    std::function<void(Id ticket_id)> on_archived_gone;
    // A planned live ticket that the re-read no longer lists is probed (GET /tickets/archived/
    // {id}) when `probe_archived` is set (the plan's account archives): archived since the plan,
    // it is handed here (the app records it in the index) and the entry is skipped.
    bool probe_archived = false;
    std::function<void(const TicketRecord&)> on_archived_found;
};

// A plan's entries, streamed (plan/plan_file.hpp; docs/plan.md, "Reading a plan"): a plan file is
// read again for each call (StreamedPlan::entries), so that no run holds more than a few entries.
using gp::EntryStream;

// The entries of a plan in memory, as a stream (each handed over as a copy).
EntryStream entries_of(const Plan& plan);

// The entries that the journal `records` of the plan `plan_sha256` show finished: every step done
// (in order), or the entry skipped. The one rule for it: apply resumes from what this leaves, and
// the command reports it before it starts.
std::int64_t entries_finished(const EntryStream& entries, const std::string& plan_sha256,
                              const std::vector<JournalRecord>& records);
std::int64_t entries_finished(const Plan& plan, const std::string& plan_sha256,
                              const std::vector<JournalRecord>& records);

// Executes `plan` (already checked by the guards) and journals every outcome in `journal`, whose
// records of this plan (same plan_sha256) from earlier runs say what is done already: a recorded
// done step is never sent again, a recorded skip is final, a failed step is tried again.
//
// Once per run (when some entry is not finished): the account's agents, groups, companies, ticket
// types and blocked contacts (GET /contacts?state=blocked: the contact view does not say blocked).
// Per entry: GET /contacts/{id} and its live tickets (GET /tickets?requester_id=), then the
// re-check (docs/apply.md): the fresh facts must give the entry's decision again under the plan's
// rules and as_of (no new ticket, none reopened or changed out of its rule, no new exception, not
// an agent), except for the effects of this plan's own earlier steps, which resume the entry.
// Throws freshdesk::ApiError for 401/403 (the run cannot go on), RulesResolutionError when the
// plan's rules no longer resolve against the account, JournalWriteError.
//
// The entries are streamed: a first reading learns where each stands (its state per the journal,
// and the ids the look compares with), a second hands the unfinished ones out to the threads
// through a queue of at most `concurrency` entries. Memory: the entries being worked on, and a
// few ids per entry.
ApplyTotals apply_plan(freshdesk::Client& client, const PlanHeader& header,
                       const EntryStream& entries, const std::string& plan_sha256, Journal& journal,
                       const ApplyOptions& options = {});
// The same, for a plan in memory.
ApplyTotals apply_plan(freshdesk::Client& client, const Plan& plan, const std::string& plan_sha256,
                       Journal& journal, const ApplyOptions& options = {});

// What undo-soft did.
struct UndoTotals {
    std::int64_t contacts_restored = 0;        // this run (already live counts as done)
    std::int64_t tickets_restored = 0;         // this run
    std::int64_t contacts_not_restorable = 0;  // hard-deleted (by the plan, or purged since)
    // Archived tickets (deleted permanently), and trashed tickets gone with their hard-deleted
    // contact (or purged) when undo-soft looked.
    std::int64_t tickets_not_restorable = 0;
    std::int64_t tickets_lost = 0;       // purged from the trash (30 days)
    std::int64_t steps_done_before = 0;  // recorded done in `own` by an earlier undo run
    std::int64_t steps_failed = 0;
    bool complete() const { return steps_failed == 0; }
};

struct UndoOptions {
    std::string account;     // written into this run's records
    UnixTime now = no_time;  // for the 30-day trash; no_time: this machine's clock
    // Contacts worked on at once (each one's restorations stay in order). The records are written
    // in the order the contacts are handed out, newest first, whatever this number.
    int concurrency = 4;
    std::function<void(const JournalRecord&)> on_record;  // in the journal's order, one at a time
};

// Restores, newest first, what the apply journal `source` says was soft-deleted: contacts (PUT
// restore, then the gdpr-purge-deleted tag removed, other tags kept) and trashed tickets (PUT
// restore, one call each). Idempotent: an object already live is done; records of `own` (this undo
// journal, keyed by journal_sha256) are not repeated. Hard deletions are recorded not_restorable,
// and so are archived deletions (permanent; no request is sent for them). The trashed tickets of a
// hard-deleted contact are looked at (a contact that was once an agent keeps its tickets:
// docs/rules-semantics.md, settled 21), never restored: not_restorable, in the trash or gone;
// trashed tickets gone from the trash after 30 days are lost. Per contact, on options.concurrency
// threads; what the journals settle costs no request. Throws like apply_plan.
UndoTotals undo_soft(freshdesk::Client& client, const std::vector<JournalRecord>& source,
                     const std::string& source_sha256, Journal& own,
                     const UndoOptions& options = {});

}  // namespace gp::executor
