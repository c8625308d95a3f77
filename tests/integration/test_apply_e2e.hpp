#pragma once
// Shared by the end-to-end tests of `gdpr-purge apply` and `undo-soft` (test_apply_e2e*.cpp): the
// built binary runs against a freshdesk-sim child process on 127.0.0.1, port 0, as in
// test_plan_e2e.hpp. What a run must leave behind is derived from the plan and docs/plan.md,
// docs/rules-semantics.md and docs/cli.md, never from the command's code: the simulator's whole
// state is read before and after (GET /_sim/state per contact and ticket) and compared object by
// object.
#include "test_plan_e2e.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace e2e {

inline constexpr std::chrono::seconds kApplyTimeout{100};
inline constexpr const char* kDeletedTag = "gdpr-purge-deleted";
inline constexpr const char* kPendingPrefix = "gdpr-purge-pending-";

// Rules files of these tests (tests/data/rules): use case 2's with delete_after immediate and
// purge_soft_deleted_after 30d; the hand-made account with bulk deletions and a purge.
std::string soft_rules_file();
std::string bulk_account_file();

// obj[key] as integers (throws when absent or not an array of integers); obj[key] as a string, or
// "" when absent, null or not a string.
std::vector<std::int64_t> ids_of(const boost::json::object& obj, const char* key);
std::string optional_string(const boost::json::object& obj, const char* key);

// ---- the simulator's controls -------------------------------------------------------------------

void sim_advance_clock(int port, int seconds);
void sim_set_clock(int port, const std::string& now);
void sim_set_faults(int port, const std::string& body);
// /_sim/stats totals.requests: every /api/v2 request the simulator has seen.
std::int64_t api_requests(int port);

struct LogEntry {
    std::int64_t index = 0;
    std::string method;
    std::string target;  // as sent, with the query
    std::string path;    // the target without its query
    int status = 0;
    std::string text() const { return method + " " + path; }
};
// /_sim/log entries with index >= since (all pages of it).
std::vector<LogEntry> sim_log(int port, std::int64_t since = 0);
std::int64_t log_next(int port);
// "METHOD /api/v2/path" of every mutating request (any method but GET under /api/v2), sorted;
// with only_success, the ones answered 2xx.
std::vector<std::string> mutations(const std::vector<LogEntry>& log, bool only_success = false);

// ---- running the binary -------------------------------------------------------------------------

// `gdpr-purge plan --rules RULES --base-url BASE --as-of AS_OF --out PATH`; REQUIREs exit 0 and
// returns the parsed plan.
boost::json::object make_plan(const std::string& base_url, const std::string& rules,
                              const std::string& path, const std::string& as_of = kAsOf);
// `apply PLAN --base-url BASE --lock-file PLAN.lock --yes EXTRA...`.
std::vector<std::string> apply_args(const std::string& base_url, const std::string& plan,
                                    const std::vector<std::string>& extra = {});
Run run_apply(const std::string& base_url, const std::string& plan,
              const std::vector<std::string>& extra = {},
              const std::vector<std::string>& env = {key_env()});
// `undo-soft JOURNAL --base-url BASE --lock-file JOURNAL.lock EXTRA...`.
Run run_undo(const std::string& base_url, const std::string& journal,
             const std::vector<std::string>& extra = {},
             const std::vector<std::string>& env = {key_env()});
// A run started without waiting (kill -9, lock tests).
std::unique_ptr<simtest::RawProcess> start_apply(const std::string& base_url,
                                                 const std::string& plan,
                                                 const std::vector<std::string>& extra = {});

// ---- files --------------------------------------------------------------------------------------

std::string sha256_file(const std::string& path);
// Complete lines (ending in a newline) of a file that may be being written; 0 when absent.
std::size_t complete_lines(const std::string& path);
// Waits until the file has at least `count` complete lines; false at the deadline.
bool wait_for_lines(const std::string& path, std::size_t count, std::chrono::milliseconds timeout);
// The journal's lines, parsed (a line that is not a JSON object fails the test).
std::vector<boost::json::object> journal(const std::string& path);
// Files of `dir` whose names end with `suffix`, sorted.
std::vector<std::string> files_ending(const std::string& dir, const std::string& suffix);
// "YYYY-MM-DDTHH:MM:SSZ" of the real clock, moved by `offset`.
std::string utc_now(std::chrono::seconds offset = std::chrono::seconds(0));
// The text with the string value of "key" replaced (the first occurrence).
std::string replace_string_value(const std::string& text, const std::string& key,
                                 const std::string& value);

// ---- the plan -----------------------------------------------------------------------------------

std::size_t step_count(const boost::json::object& plan);
std::set<std::int64_t> entry_contacts(const boost::json::object& plan);
// Contact ids whose entry has a step with this action (and mode, when not empty).
std::set<std::int64_t> contacts_with(const boost::json::object& plan, const std::string& action,
                                     const std::string& mode = "");
// The mutating requests that apply sends for the plan's entries (docs/apply.md, the steps: DELETE
// per ticket, bulk_delete for 4 or more; hard: DELETE then hard_delete; soft: PUT then DELETE;
// marks: PUT; purge: hard_delete), sorted as mutations() gives them; entries of `skipped` left out.
std::vector<std::string> expected_mutations(const boost::json::object& plan,
                                            const std::set<std::int64_t>& skipped = {});

// ---- the journal --------------------------------------------------------------------------------

// What is wrong with a journal after runs that finished the plan: every step of every entry not
// in `skipped` has exactly one line with outcome done and the step's action and fields; each
// skipped entry has a line with outcome skipped, step null and a reason containing every needle
// of skipped[id] (case-insensitive; "a|b": a or b); no line failed; every line has ts, run,
// account (the plan's) and plan_sha256 (the plan file's). Empty when all is well.
std::vector<std::string> journal_problems(
    const std::vector<boost::json::object>& lines, const boost::json::object& plan,
    const std::string& plan_path,
    const std::map<std::int64_t, std::vector<std::string>>& skipped = {});
// (contact_id, step) of the lines with outcome done, per run id.
std::map<std::string, std::set<std::pair<std::int64_t, std::int64_t>>> done_steps_by_run(
    const std::vector<boost::json::object>& lines);

// ---- the account's state ------------------------------------------------------------------------

struct Ids {
    std::vector<std::int64_t> contacts;  // may include agents' and unknown ids: they are skipped
    std::vector<std::int64_t> tickets;
};
// Every contact and ticket id of an account file.
Ids account_ids(const std::string& account_file);
// Ids of a generated account: its contacts as the API lists them (every state; call it before
// anything is hard-deleted, and before the requests a test counts), tickets 1..N.
Ids listed_ids(int port, int tickets);

struct State {
    std::map<std::int64_t, boost::json::object> contacts;  // /_sim/state's contact, no agents
    std::map<std::int64_t, boost::json::object> tickets;   // /_sim/state's ticket
    boost::json::object counts;
};
State sim_state(int port, const Ids& ids);

// The state a run of the plan must leave, and the keys a write may change.
struct Expected {
    State state;
    std::map<std::int64_t, std::set<std::string>> contact_ignore;
    std::map<std::int64_t, std::set<std::string>> ticket_ignore;
};
// From the state before apply and the plan: every entry not in `skipped` done (hard-deleted
// contacts' tickets gone: read the state after job_seconds), everything else exactly as before.
Expected expected_after(const State& before, const boost::json::object& plan,
                        const std::set<std::int64_t>& skipped = {});
// Differences between the expected and the actual state, one line per object (and counts).
std::vector<std::string> differences(const Expected& expected, const State& actual);
// Two states without the keys that hold times of writes (twin simulators): differences.
std::vector<std::string> twin_differences(const State& a, const State& b);

// Helpers for expectations built by hand: a contact's tags (sorted), replacing them, whether a
// tag is a pending tag (gdpr-purge-pending-YYYY-MM-DD), and the counts a state implies.
std::vector<std::string> tags_in(const boost::json::object& contact);
void set_tags(boost::json::object& contact, std::vector<std::string> tags);
bool is_pending_tag(const std::string& tag);
std::vector<std::string> without_pending(std::vector<std::string> tags);
boost::json::object expected_counts(const State& state);

// Tags of a contact in a state, sorted.
std::vector<std::string> tags_of(const State& state, std::int64_t contact_id);
std::string state_of(const State& state, std::int64_t contact_id);
std::string seen_of(const State& state, std::int64_t ticket_id);

// ---- a clean run --------------------------------------------------------------------------------

// Requests that changed an entry's contact or tickets before apply re-read them (GET
// /contacts/ID and GET /tickets?...requester_id=ID): one line each.
std::vector<std::string> reread_problems(const std::vector<LogEntry>& log,
                                         const boost::json::object& plan);

struct Applied {
    boost::json::object plan;
    std::string plan_path;
    State before;
    State after;
    std::vector<LogEntry> log;  // the simulator's log during apply
};
// plan (rules, as of kAsOf) -> apply -> the state after it, read once the hard deletions' tickets
// are gone (clock moved 10 s), with the checks every clean run passes: exit 0, nothing on
// stdout, one done line per step in the default journal, exactly the plan's mutating requests,
// every entry re-read first, and the report (--report) counting the run's API calls.
Applied plan_and_apply(simtest::SimProcess& sim, const simtest::TempDir& dir, const Ids& ids,
                       const std::string& rules);

}  // namespace e2e
