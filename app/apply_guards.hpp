#pragma once
// apply's safety guards (docs/cli.md, "Safety guards"): checked before the lock is taken and before
// anything is sent; each refuses with exit 4 and a message that says what to do. And the
// confirmation asked on a terminal.
#include "executor/journal.hpp"
#include "plan/plan_file.hpp"
#include "time/time.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace gp::cli {

inline constexpr std::int64_t default_max_deletions = 500;
inline constexpr std::string_view default_max_plan_age = "24h";

struct Guards {
    std::string account;  // the account this run is configured for
    std::int64_t max_deletions = default_max_deletions;
    Duration max_plan_age;
    UnixTime now = no_time;
    // A saved plan (apply PLAN.json) must not be a what-if plan: its as_of and generated_at not
    // later than now. apply --rules --as-of is the caller's own choice and is not checked.
    bool saved_plan = true;
};

// All the guards (account, time, size); throws CliError (refused) at the first that fails, and
// CliError (invalid_input) for a plan whose generated_at is not a timestamp.
void check_guards(const PlanOutline& plan, const Guards& guards);

// Shows the plan's summary on standard error and asks "Apply this plan to ACCOUNT?": anything but
// "yes" (or the end of the input) throws CliError (refused, "apply cancelled").
void confirm_apply(const PlanOutline& plan, const std::string& plan_path,
                   std::int64_t entries_done);

}  // namespace gp::cli
