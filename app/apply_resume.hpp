#pragma once
// apply --rules (cron) resumes what its own earlier runs left unfinished (docs/apply.md, "A failed
// or killed cron run"). A new plan cannot take that up: a contact whose tickets an earlier run
// trashed but whose deletion failed has no live ticket and is no orphan, so no rule selects it
// again. So, before it plans, apply --rules looks in the current directory for the plans and
// journals that apply --rules wrote there (gdpr-purge-<UTC time>[-N].plan.json with its
// .journal.jsonl) and finishes each unfinished one through its own plan and journal, every entry
// re-checked as always. Only a run of this account, made under the same rules (rules_sha256), not
// older than resume_window and within --max-deletions is resumed. Other accounts' runs and runs
// older than the window are not looked at; an unfinished run made under other rules, over
// --max-deletions, unreadable, or whose plan file changed since its journal was written is
// reported (the run then exits 1), never applied.
#include "plan/plan_file.hpp"
#include "time/time.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gp::cli {

// Runs whose name says they were made longer ago than this are not looked at (each look reads the
// whole plan, entry by entry; a month of daily runs is 30 plans).
inline constexpr std::int64_t resume_window_seconds = 30 * 24 * 3600;

// A plan that an earlier apply --rules run left unfinished: its journal holds records of it (of
// the plan file's SHA-256: a plan edited since is never resumed) and records fewer entries
// finished (every step done, or the entry skipped) than the plan has. A run refused by a guard or
// declined at the confirmation has no journal; a run killed before its first record has nothing
// recorded: neither began anything that the new plan does not see, so neither is resumed.
struct UnfinishedRun {
    std::string plan_path;  // "gdpr-purge-20261128T040003Z.plan.json"
    std::string journal_path;
    std::string plan_sha256;
    std::unique_ptr<StreamedPlan> plan;  // held open, read again to carry it out
    std::int64_t entries_finished = 0;
};

// An unfinished run that is not resumed, why ("made under other rules (rules_sha256 ...)"), and
// what the admin can do about it.
struct NotResumed {
    std::string plan_path;
    std::string journal_path;
    std::string reason;
    std::string advice;
};

struct ResumeScan {
    std::vector<UnfinishedRun> resume;  // oldest first
    std::vector<NotResumed> not_resumed;
};

// A plan file opened and read through once (StreamedPlan), for apply and review. Throws CliError
// (invalid_input, "cannot read PATH") when the file cannot be read, and what read_plan throws.
std::unique_ptr<StreamedPlan> open_plan(const std::string& path, const PlanVisitor& first = {});

struct ResumeCriteria {
    std::string dir = ".";
    std::string account;       // this run's; other accounts' runs are left alone, silently
    std::string rules_sha256;  // this run's rules
    std::int64_t max_deletions = 0;
    UnixTime now = 0;
    std::string own_plan;  // this run's own (reserved) plan file name: never looked at
};

// The unfinished runs in criteria.dir, oldest first, and those not resumed. Plans and journals
// that are symbolic links, names dated outside the window (or in the future) and plans without a
// journal are not looked at. Before resuming, the run must pass apply's guards with the window as
// --max-plan-age (no what-if plan, none generated before the window, --max-deletions), and its
// journal must be writable; a plan or journal that cannot be read is reported.
ResumeScan find_unfinished_runs(const ResumeCriteria& criteria);

// What the name of a plan that apply --rules made says: "gdpr-purge-20261128T040003Z-2.plan.json"
// was made at 2026-11-28T04:00:03Z, the second of that second (sequence 1 for the plain name).
// Nothing when the name is not of that form.
struct MadePlanStamp {
    UnixTime made = 0;
    int sequence = 1;
};
std::optional<MadePlanStamp> parse_made_plan_name(std::string_view file_name);

}  // namespace gp::cli
