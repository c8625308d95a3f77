#pragma once
// The review page (docs/review.md): one self-contained HTML file that shows a plan, and with
// journals what was done of it, to the people who sign a purge off and answer for it (a DPO, a
// support manager, an auditor). Inline CSS, SVG and a little plain JavaScript; no request to any
// network (its Content-Security-Policy forbids every one).
#include "executor/journal.hpp"
#include "plan/plan.hpp"
#include "time/time.hpp"

#include <iosfwd>
#include <string>
#include <vector>

namespace gp::review {

struct JournalFile {
    std::string name;  // as given on the command line: shown, never opened again
    std::string sha256;
    std::vector<executor::JournalRecord> records;
};

struct ReviewInput {
    Plan plan;
    std::string plan_name;    // the plan file as given
    std::string plan_sha256;  // of the plan file: what journal lines name
    std::vector<JournalFile> journals;
    UnixTime now = no_time;  // when the page is made: what undo-soft could still restore then
};

// What the journals say of the plan: per entry, the latest outcome of each step.
enum class EntryState { not_run, done, partly_done, skipped, failed };
std::string_view to_string(EntryState state);

struct RunSummary {
    std::string run;
    std::string first_ts;
    std::string last_ts;
    std::int64_t done = 0;
    std::int64_t skipped = 0;
    std::int64_t failed = 0;
    std::int64_t started = 0;
};

struct Restorable {
    Id contact_id = 0;
    std::string what;   // "contact (soft-deleted)", "3 tickets in the trash"
    std::string until;  // what ends it, and when: the trash emptied, the purge due
};

struct JournalView {
    std::vector<EntryState> states;  // one per plan entry, in the plan's order
    std::vector<RunSummary> runs;    // in the order of their first line
    std::vector<Restorable> restorable;
    std::int64_t lines = 0;             // lines of this plan
    std::int64_t other_plan_lines = 0;  // lines of other plans in the same files
    std::int64_t restored = 0;          // undo-soft lines that restored something
};

// Reads the journals against the plan. Pure: `now` says what is still in the trash.
JournalView read_journals(const ReviewInput& input);

// Writes the page. Streams the entries table's data; the whole page for a 100,000-entry plan is
// about 120 bytes per entry (docs/benchmarks.md).
void write_review(std::ostream& out, const ReviewInput& input);

}  // namespace gp::review
