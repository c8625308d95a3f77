#pragma once
// The reading and evaluation that make a plan, shared by `plan` and `apply --rules` (the cron run
// that plans and applies at once): the same reading, progress line and warnings in both.
#include "connection.hpp"
#include "plan/plan.hpp"
#include "report.hpp"
#include "rules/rules.hpp"
#include "time/time.hpp"

#include <string>
#include <vector>

namespace gp::cli {

struct PlanRequest {
    UnixTime as_of = no_time;
    std::vector<std::string> subjects;  // erasure requests (--subject); empty: the rules
    int concurrency = default_concurrency;
};

// Reads what the plan needs and evaluates it. The plan's header is complete (generated_at,
// account, the counts read); the reading's figures go to `facts` (read, subjects, account, as_of,
// summary). Read warnings are emitted. Throws what the reader and the engine throw.
Plan read_and_evaluate(Connection& connection, const Rules& rules, const PlanRequest& request,
                       PlanRunFacts& facts);

// Now, on this machine's clock, in whole seconds.
UnixTime now_seconds();

}  // namespace gp::cli
