#pragma once
// The journal (docs/apply.md, "The journal"): JSON Lines, one line per step outcome, appended and
// made durable (fsync) before the next step starts. Written by apply and by undo-soft; read back to
// resume a run and by undo-soft to find what was soft-deleted. Holds ids, rule names, times and
// outcomes only: no names, no emails, never the API key.
//
// The chain (docs/apply.md, "The journal"): every line written carries "prev", the SHA-256 of the
// line before it in the file (its bytes without the newline), or, on a file's first line, the
// line's own source hash (plan_sha256 or journal_sha256). A run started with a signing key ends
// with a signature line (JournalSignature). executor/verify.hpp checks both.
#include "plan/plan.hpp"
#include "util/ed25519.hpp"

#include <cstdint>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
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

// Whose run wrote a line, and so which hash it carries: apply's (the plan's, key "plan_sha256") or
// undo-soft's (the apply journal's it restores from, key "journal_sha256").
enum class JournalSource { plan, journal };
// The line's key: "plan_sha256" or "journal_sha256". Throws std::invalid_argument for a value
// outside the enum.
std::string_view to_string(JournalSource source);

struct JournalRecord {
    std::string ts;       // "YYYY-MM-DDTHH:MM:SSZ", when the outcome was known
    std::string run;      // the run's id: 32 hex digits
    std::string account;  // the plan's account ("acme.freshdesk.com"): undo-soft checks it
    JournalSource source = JournalSource::plan;
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

// One line of JSON, keys in a fixed order: ts, run, account, <source>, prev, contact_id, step,
// action, then the action's fields (ticket_ids, permanent, mode, since, job_id), outcome, reason,
// status, code (empty fields left out; step null when absent; prev left out when "", as the
// one-argument form does: lines written before the chain).
std::string to_json_line(const JournalRecord& record);
std::string to_json_line(const JournalRecord& record, std::string_view prev);

// The signature line that ends a run started with a signing key (apply and undo-soft
// --sign-key): {"ts","run","account",<source>,"prev","signature":{"alg","key_id","sig"}},
// keys in that order. run, account and the source are those of the run's last line; prev chains
// it like any line; key_id is the SHA-256 (hex) of the raw Ed25519 public key; sig is the
// Ed25519 signature (128 hex digits) of signed_message(). It is no step: read_journal() and
// Journal::existing() leave it out.
struct JournalSignature {
    std::string ts;
    std::string run;
    std::string account;
    JournalSource source = JournalSource::plan;
    std::string source_sha256;
    std::string prev;
    std::string alg = "ed25519";
    std::string key_id;
    std::string sig;
    friend bool operator==(const JournalSignature&, const JournalSignature&) = default;
};
std::string to_json_line(const JournalSignature& signature);

// The bytes a signature line signs: a first line "gdpr-purge journal signature 1", then one line
// per field, "<name> <length in bytes> <value>", in this order: alg, key_id, ts, run, account,
// <source>, prev. prev is the hash of the line before, which holds the hash of the line
// before it, and so on: the signature covers every byte of the file up to it.
std::string signed_message(const JournalSignature& signature);

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

// What a journal file that does not exist is.
enum class MissingJournal { error, empty };

// Reads a whole journal: its step records, in file order (signature lines are checked like any
// line, and left out). A missing file is JournalFormatError, or with MissingJournal::empty an
// empty journal (a run that has not begun). Throws JournalFormatError.
std::vector<JournalRecord> read_journal(const std::string& path,
                                        MissingJournal missing = MissingJournal::error);

// The journal a run appends to. Opening reads the records already there (missing file: none),
// cuts a torn last line off the file, and opens it for appending (O_APPEND, created 0600).
// append() writes one line, chained to the file's last complete line, and fsyncs the file (and,
// for a new file, its directory) before it returns; it is thread-safe. Throws JournalFormatError
// (open) and JournalWriteError.
class Journal {
  public:
    explicit Journal(std::string path);
    ~Journal();
    Journal(const Journal&) = delete;
    Journal& operator=(const Journal&) = delete;

    const std::string& path() const { return path_; }
    const std::vector<JournalRecord>& existing() const { return existing_; }
    void append(const JournalRecord& record);
    // Lines appended through this object (signature lines included).
    std::size_t appended() const;
    // Appends the signature line of the records this object appended, signed with `key`, and
    // returns true; nothing (false) when it appended no record, or when the last line is already
    // this key's signature. Throws JournalWriteError.
    bool sign(const Ed25519PrivateKey& key);

  private:
    void write_line(const std::string& line);  // with mutex_ held

    std::string path_;
    std::vector<JournalRecord> existing_;
    int fd_ = -1;
    mutable std::mutex mutex_;
    std::string last_hash_;      // SHA-256 of the file's last complete line; "" for none
    std::size_t appended_ = 0;   // lines this object wrote
    bool last_signed_ = false;   // the last line this object wrote is a signature line
    JournalRecord last_record_;  // the last record this object wrote (run, account, source)
};

// A new run id: 32 random hex digits.
std::string new_run_id();

}  // namespace gp::executor
