#pragma once
// Internal to lib/executor's apply (apply.cpp, apply_check.cpp, apply_steps.cpp), and seen by its
// unit tests: where an entry stands per the journal, the fresh facts of a contact, the re-check
// (pure) and the steps.
#include "account/account.hpp"
#include "executor/executor.hpp"
#include "executor/journal.hpp"
#include "freshdesk/client.hpp"
#include "freshdesk/read.hpp"
#include "plan/plan.hpp"
#include "rules/rules.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace gp::executor::detail {

// Where one entry stands, per the journal records of this plan.
struct EntryState {
    std::size_t next_step = 0;  // the first step without a done record
    bool skipped = false;       // a skip is final: the plan's facts no longer held
    std::string job_id;         // a bulk job of next_step started and not recorded finished
    // next_step has a `started` record (with or without a job): an earlier run began its calls,
    // so what it would have done may be this plan's own effect.
    bool begun = false;
    bool recorded = false;  // some record of this plan names the contact (a failure too)
    bool finished(const Entry& entry) const { return skipped || next_step >= entry.steps.size(); }
};

// What the journal records of one plan (`plan_sha256`) say of its entries, by contact: the
// records are gone through once; each entry's state is then asked for as the plan is read.
class JournalStates {
  public:
    JournalStates(const std::vector<JournalRecord>& records, const std::string& plan_sha256);
    // The entry's state (a fresh one when the records do not name it). Steps count as done in
    // order: step k is next when steps 0..k-1 have done records.
    EntryState of(const Entry& entry) const;

  private:
    std::unordered_map<Id, std::unordered_set<int>> done_;
    std::unordered_map<Id, std::unordered_set<int>> begun_;  // steps with a started record
    std::unordered_map<Id, std::pair<int, std::string>> jobs_;
    std::unordered_set<Id> skipped_;
    std::unordered_set<Id> recorded_;
};

// The states of `entries`, by contact (JournalStates::of for each).
std::unordered_map<Id, EntryState> entry_states(const std::vector<JournalRecord>& records,
                                                const std::string& plan_sha256,
                                                const std::vector<Entry>& entries);

// A contact as apply re-reads it.
struct Fresh {
    std::optional<Contact> contact;  // nothing: 404 (unknown, hard-deleted, or an agent's id)
    bool blocked = false;
    std::vector<TicketRecord> live;  // its live tickets now, ascending id
    // Its tickets in the trash or in spam: read for orphan entries only (an orphan has none).
    std::vector<TicketRecord> trash_and_spam;
    // Its archived tickets the archive index knows (ApplyOptions::archived_of), minus those this
    // run deleted or found gone; ascending id, archived = true.
    std::vector<TicketRecord> archived;
    // Its tickets list knows no such requester (400 on requester_id): the contact is gone for good
    // (hard-deleted, merged away). `contact` is then nothing, `live` and `trash_and_spam` empty.
    bool requester_gone = false;
};

// What the re-read needs of the run besides the entry.
struct FreshRead {
    FreshRead(freshdesk::Client& client_in, const Rules& rules_in)
        : client(client_in), rules(rules_in) {}
    freshdesk::Client& client;
    const Rules& rules;                  // the plan's
    bool blocked = false;                // the contact is in the run's state=blocked list
    bool probe_archived = false;         // ApplyOptions::probe_archived
    std::vector<TicketRecord> archived;  // Fresh::archived
    // A planned live ticket found archived since the plan (ApplyOptions::on_archived_found).
    std::function<void(const TicketRecord&)> archived_found;
};

// The re-read of docs/apply.md (apply_read.cpp): GET /contacts/{id}, the contact's live tickets
// (with stats and tags as the plan's rules need them), an orphan's tickets in the trash and spam,
// planned tickets no longer listed probed for archiving. A tickets list that knows no such
// requester sets Fresh::requester_gone. Errors: the client's (ApiError, TransportError,
// FormatError).
Fresh read_fresh(const Entry& entry, const FreshRead& read);

enum class Verdict {
    proceed,       // do the steps from next_step on
    skip,          // the plan's decision no longer holds: reason says why; nothing is done
    done_already,  // the wanted end state is there already (a hard-deleted contact)
};
struct Check {
    Verdict verdict = Verdict::proceed;
    std::string reason;
};

// What the re-check needs besides the facts: the plan's archive coverage and the journal's word.
struct RecheckContext {
    // The plan's `archive.complete` (true for a plan without `archive`): false evaluates under
    // docs/rules-semantics.md, settled 19, as the plan was made.
    bool archive_complete = true;
    // An earlier run began step next_step (EntryState::begun): planned archived tickets the index
    // no longer knows are this plan's own deletions.
    bool begun = false;
};

// The re-check of docs/apply.md: `names` holds the account's agents, groups, companies and ticket
// types (no contacts, no tickets); `rules` and `as_of` are the plan's. Pure. Throws
// RulesResolutionError when the rules do not resolve against `names`.
Check recheck(const Entry& entry, std::size_t next_step, const Fresh& fresh, const Snapshot& names,
              const Rules& rules, UnixTime as_of, const RecheckContext& context = {});

// Whether a step of the entry writes the contact's tags (mark_pending, clear_pending, a soft
// delete_contact): it writes back the whole list, so the contact is viewed first.
bool writes_contact_tags(const Entry& entry);

// The ticket ids of the entry's delete_tickets steps, ascending.
std::vector<Id> planned_ticket_ids(const Entry& entry);
// The ticket ids of the entry's delete_archived_tickets steps from step `from` on, ascending.
std::vector<Id> planned_archived_ids(const Entry& entry, std::size_t from = 0);

// The tags a step leaves (tags_marked, tags_cleared, tags_soft_deleted) are the engine's
// (engine.hpp): the forecast makes the same edits.

// The journal's reason of a step done when nothing had to change.
inline constexpr std::string_view already_so_reason = "already so";

// The outcome of one step, before it becomes a journal record.
struct StepResult {
    Outcome outcome = Outcome::done;
    bool already = false;  // done: nothing had to change (journaled with already_so_reason)
    std::string reason;    // done and already: already_so_reason; failed: what went wrong
    int status = 0;
    std::string code;
    std::int64_t tickets_deleted = 0;   // delete_tickets: tickets this step moved to the trash
    std::int64_t archived_deleted = 0;  // delete_archived_tickets: tickets this step removed
    // delete_archived_tickets, done: an id that answered 404 although no run had begun the step:
    // gone before this run (the index was stale); the entry's later steps wait for a new plan.
    std::optional<Id> gone_before;
    // StepContext::exact only: a write answered otherwise than the plan's facts predict (404,
    // 405: something changed that the look did not show). Nothing is recorded; the runner
    // re-reads the contact and re-checks it, and the step goes on from the fresh facts.
    bool surprise = false;
};

// What the steps need besides the entry: the client, the options, a way to record a step as
// started durably before its calls (with the bulk job's id, or "" for the archived deletions), and
// the run's notes.
struct StepContext {
    freshdesk::Client& client;
    const ApplyOptions& options;
    std::function<void(const std::string& job_id)> record_started;
    std::function<void()> count_bulk_job;
    // An archived ticket deleted, or found gone (ApplyOptions::on_archived_gone, serialized).
    std::function<void(Id)> archived_gone;
    bool begun = false;  // an earlier run began the step (EntryState::begun)
    // The contact was not re-read (the look found it unchanged): `fresh` holds the plan's facts,
    // and any write that finds otherwise stops with StepResult::surprise.
    bool exact = false;
    // A bulk job's first poll: after the time the run's jobs have been seen to take (fewer polls);
    // nothing: ApplyOptions::first_job_poll.
    std::optional<std::chrono::milliseconds> first_job_poll;
    // Told how long a job took to be seen ended (from its start to the poll that saw it).
    std::function<void(std::chrono::milliseconds)> job_ended;
};

// Carries out step `index` of `entry` on the contact as re-read (`fresh` is updated with the
// step's effects on the contact, for the steps after it). What the re-read shows done already is
// not sent again.
StepResult run_step(StepContext& context, const Entry& entry, std::size_t index, Fresh& fresh);

// Waits for a bulk job to end; true when it ended with every ticket deleted (SUCCESS), false for
// any other end (partial, failed, unknown job, still running at the timeout, no answer). The
// first poll comes after `first_poll` (ApplyOptions::first_job_poll when not given).
bool wait_for_job(StepContext& context, const std::string& job_id,
                  std::optional<std::chrono::milliseconds> first_poll = std::nullopt);

// The look for changes (docs/apply.md, "The look for changes"): instead of re-reading every
// contact before its first write, the account's changes since the plan's reading are listed in
// bulk: the tickets (live, trash, spam) and the contacts (live, soft-deleted) updated since, the
// ticket ids above the plan's highest, the blocked contacts and the agents; before the first look,
// a census lists every contact (unless that costs more than viewing the entries' contacts would),
// so that a contact gone since the plan is seen too. A contact that any of them names (a ticket of
// it or one the plan expected of it, its record updated, gone, blocked, an agent by id or email) is
// "changed": its entry is re-read and re-checked as before. Thread-safe: one look at a time, the
// other threads wait for it.
class Looks {
  public:
    struct Settings {
        UnixTime from = no_time;                   // the plan's read_started_at
        Id highest_ticket_id = 0;                  // the plan's highest_ticket_id
        std::chrono::milliseconds max_age{20000};  // ApplyOptions::look_max_age
        std::int64_t listing_pages = 0;  // the census lists every contact within this many pages
    };
    // What the looks compare with: the plan's entries, learnt one at a time as the plan is read
    // (its ids only, never the entries).
    struct Expected {
        std::unordered_map<Id, Id> owner;  // expected or planned ticket -> its entry's contact
        // entry contact -> expect.contact_updated_at (no_time when unreadable: changed)
        std::unordered_map<Id, UnixTime> contact_updated;
        void add(const Entry& entry);
    };
    Looks(freshdesk::Client& client, Expected expected, const Settings& settings);

    struct Seen {
        bool changed = false;
        bool known = false;  // a listing showed the contact (as the plan saw it): no view needed
        std::chrono::steady_clock::time_point look_started;  // of the look this relies on
    };
    // Whether the contact changed since the plan, per a look begun at most max_age ago (one is made
    // when the last is older). Errors: the client's.
    Seen check(Id contact_id);
    // Whether an email is an agent's, per the latest look's agents (normalized).
    bool agent_email(const std::string& email) const;
    // The latest look's agents, and whether it listed the contact blocked: a re-read entry is
    // re-checked on these, not on what the run read when it began.
    std::vector<Agent> agents() const;
    bool blocked(Id contact_id) const;
    std::int64_t looks() const;

    // The overlap of one look with the previous: Freshdesk's timestamps have whole seconds, and a
    // change committed as a look reads may show only to the next.
    static constexpr std::int64_t overlap_seconds = 30;

  private:
    void look();
    void census();
    bool list_every_contact();
    void probe_new_ids(const std::unordered_set<Id>& listed);
    void mark(Id contact_id);
    void note_contact(const freshdesk::ContactItem& contact);

    freshdesk::Client& client_;
    Settings settings_;
    std::unordered_map<Id, Id> owner_;                  // Expected::owner
    std::unordered_map<Id, UnixTime> contact_updated_;  // Expected::contact_updated
    std::mutex look_mutex_;                             // one look at a time
    mutable std::mutex mutex_;                          // what follows
    std::unordered_set<Id> changed_;
    std::unordered_map<Id, std::string>
        emails_;                     // entry contact -> its email as listed (normalized)
    std::unordered_set<Id> listed_;  // entry contacts the first look's listing showed
    bool census_done_ = false;       // under look_mutex_
    std::unordered_set<std::string> agent_emails_;
    std::vector<Agent> agents_;       // the latest look's
    std::unordered_set<Id> blocked_;  // the latest look's, entry contacts only
    // Per listing (tickets live, trash, spam; contacts live, soft-deleted): where the next starts.
    std::array<UnixTime, 5> cursors_{};
    Id highest_ = 0;  // the highest ticket id known: ids above it are new
    std::optional<std::chrono::steady_clock::time_point> last_look_;
    std::int64_t looks_ = 0;
};

}  // namespace gp::executor::detail
