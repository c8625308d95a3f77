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

namespace gp::archive {
class Index;
}

namespace gp::cli {

struct PlanRequest {
    UnixTime as_of = no_time;
    std::vector<std::string> subjects;  // erasure requests (--subject); empty: the rules
    int concurrency = default_concurrency;
    // The account's archive index (archive_state.hpp) and this run's probe budget (-1: all).
    archive::Index* archive = nullptr;
    std::int64_t archive_budget = 0;
    int forecast_days = 0;  // plan --forecast: the plan's forecast section; 0: none
};

// Reads what the plan needs and evaluates it. The plan's header is complete (generated_at,
// account, the counts read); the reading's figures go to `facts` (read, subjects, account, as_of,
// summary). Read warnings are emitted. Throws what the reader and the engine throw.
Plan read_and_evaluate(Connection& connection, const Rules& rules, const PlanRequest& request,
                       PlanRunFacts& facts);

}  // namespace gp::cli
