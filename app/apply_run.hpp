#pragma once
// The apply run (docs/cli.md, "apply"), after its command line is read (cmd_apply.cpp): the plan
// (read from PLAN.json, or made from --rules for cron), the guards, the lock, the journal, the
// confirmation on a terminal, the executor, then the summary, --report and --metrics-file.
// Nothing is sent to the account that may change it before the guards pass and the lock is held.
#include "archive_state.hpp"
#include "cli.hpp"
#include "connection.hpp"
#include "sign_key.hpp"
#include "time/time.hpp"

#include <cstdint>
#include <string>

namespace gp::cli {

struct ApplyRequest {
    std::string plan_file;     // PLAN.json; "" with --rules
    std::string rules_file;    // --rules; "" with PLAN.json
    UnixTime as_of = no_time;  // --rules: when the rules are evaluated
    std::string journal;       // "": PLAN.json.journal.jsonl, or next to the plan made
    SignKey sign_key;          // --sign-key: signs each journal the run wrote to; null: none
    std::int64_t max_deletions = 0;
    Duration max_plan_age;
    bool yes = false;
    std::string lock_file;  // "": default_lock_path(account)
    std::string report;     // "": none
    std::string metrics;    // "": none
    ConnectionSettings connection;
    ArchiveSettings archive;  // the archive index: read by --rules, kept up to date by apply
};

// Returns success, or throws: CliError (partial_failure when entries failed; refused, locked,
// ...) and what the plan reader, the journal and the client throw (main.cpp maps them).
ExitCode execute_apply(const ApplyRequest& request);

}  // namespace gp::cli
