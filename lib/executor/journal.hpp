#pragma once
// The journal (spec/plan.md, "Journal"): JSON Lines, one line per step outcome, appended and made
// durable (fsync) before the next step starts. Written by apply and by undo-soft; read back to
// resume a run and by undo-soft to find what was soft-deleted. Holds ids, rule names, times and
// outcomes only: no names, no emails, never the API key.
#include "plan/plan.hpp"

#include <cstdint>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace gp::executor {

// done includes "was already so". started: a bulk deletion job was accepted (job_id) and is not
// known to be finished; without job_id, a step whose calls began (delete_archived_tickets: its
// first DELETE is about to be sent), so that a later run tells its own effects from older ones.
// not_restorable, lost: undo-soft's verdicts on a hard deletion and on a ticket purged from the
// trash.
enum class Outcome { done, skipped, failed, started, not_restorable, lost };
std::string_view to_string(Outcome outcome);
std::optional<Outcome> parse_outcome(std::string_view text);

// Journal actions: the plan's step actions, plus undo-soft's restore_contact and restore_tickets.
inline constexpr std::string_view restore_contact_action = "restore_contact";
inline constexpr std::string_view restore_tickets_action = "restore_tickets";

struct JournalRecord {
    std::string ts;          // "YYYY-MM-DDTHH:MM:SSZ", when the outcome was known
    std::string run;         // the run's id: 32 hex digits
    std::string account;     // the plan's account ("acme.freshdesk.com"): undo-soft checks it
    std::string source_key;  // "plan_sha256" (apply) or "journal_sha256" (undo-soft)
    std::string source_sha256;
    Id contact_id = 0;
    std::optional<int> step;     // index into the entry's steps; nothing for a whole-entry outcome
    std::string action;          // "" for a whole-entry outcome (skipped entry)
    std::vector<Id> ticket_ids;  // delete_tickets, delete_archived_tickets, restore_tickets
    // delete_archived_tickets: `"permanent": true` (archived tickets have no trash: no undo).
    // Written only when true.
    bool permanent = false;
    std::optional<DeleteMode> mode;  // delete_contact
    std::string since;               // mark_pending
    std::string job_id;              // delete_tickets by bulk job
    Outcome outcome = Outcome::done;
    std::string
        reason;        // skipped, not_restorable, lost; failed: what went wrong; done: "already so"
    int status = 0;    // failed: the HTTP status (0: no answer)
    std::string code;  // failed: Freshdesk's error code, if any
    friend bool operator==(const JournalRecord&, const JournalRecord&) = default;
};

// One line of JSON, keys in a fixed order: ts, run, account, <source_key>, contact_id, step,
// action, then the action's fields (ticket_ids, permanent, mode, since, job_id), outcome, reason,
// status, code (empty fields left out; step null when absent).
std::string to_json_line(const JournalRecord& record);

// A journal file that is not JSON Lines of records: "<path>:<line>: <what>". A last line cut short
// (no newline at its end: the run was killed while writing it) is not an error: it is dropped.
class JournalFormatError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};
// The journal cannot be written or synced (disk full, permissions).
class JournalWriteError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Reads a whole journal. A missing file is an empty journal when `missing_ok`, else
// JournalFormatError. Throws JournalFormatError.
std::vector<JournalRecord> read_journal(const std::string& path, bool missing_ok = false);

// The journal a run appends to. Opening reads the records already there (missing file: none),
// cuts a torn last line off the file, and opens it for appending (O_APPEND, created 0600).
// append() writes one line and fsyncs the file (and, for a new file, its directory) before it
// returns; it is thread-safe. Throws JournalFormatError (open) and JournalWriteError.
class Journal {
  public:
    explicit Journal(std::string path);
    ~Journal();
    Journal(const Journal&) = delete;
    Journal& operator=(const Journal&) = delete;

    const std::string& path() const { return path_; }
    const std::vector<JournalRecord>& existing() const { return existing_; }
    void append(const JournalRecord& record);

  private:
    std::string path_;
    std::vector<JournalRecord> existing_;
    int fd_ = -1;
    std::mutex mutex_;
};

// A new run id: 32 random hex digits.
std::string new_run_id();

}  // namespace gp::executor
