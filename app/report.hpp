#pragma once
// What a plan, apply or undo-soft run did, as the --report FILE JSON and as the human summary's
// figures; and the atomic file that --out and --report are written through.
#include "apply_resume.hpp"
#include "cli.hpp"
#include "executor/executor.hpp"
#include "freshdesk/client.hpp"
#include "plan/plan.hpp"
#include "reader/reader.hpp"

#include <boost/json/object.hpp>

#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace gp::cli {

namespace json = boost::json;

// A file written in full or not at all: the text goes to "<path>.tmp-<pid>" in the same
// directory, which commit() syncs to disk and renames to `path`. Opened when the command starts,
// so that an unwritable path fails before any request; a file never committed is removed.
class AtomicFile {
  public:
    explicit AtomicFile(std::string path);  // throws CliError (usage) when it cannot be created
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    std::ostream& stream() { return out_; }
    const std::string& path() const { return path_; }
    void commit();  // throws CliError (partial_failure) when the write fails

  private:
    std::string path_;
    std::string temporary_;
    std::ofstream out_;
    bool committed_ = false;
};

// The facts of one plan run.
struct PlanRunFacts {
    std::string account;
    std::string as_of;        // the plan's
    std::string started_at;   // "YYYY-MM-DDTHH:MM:SSZ"
    std::string finished_at;  // idem
    double duration_seconds = 0;
    freshdesk::Counters api;
    reader::ReadReport read;
    Summary summary;
    std::optional<std::vector<reader::SubjectMatch>> subjects;  // --subject runs only
    std::string out;  // the plan's path; "" for standard output
};

// {"agent": n, ...} in the order of ProtectionReason.
json::object protected_json(const Summary& summary);
// {"rule": {"contacts": n, "tickets": n}, ...} in the rules file's order.
json::object by_rule_json(const Summary& summary);

// The --report document (docs/logs.md, "--report FILE").
json::object plan_report_json(const PlanRunFacts& facts);

// When a run started and ended, and what it cost.
struct RunTimes {
    std::string started_at;   // "YYYY-MM-DDTHH:MM:SSZ"
    std::string finished_at;  // idem
    double duration_seconds = 0;
};

// A run that apply --rules resumed before its own plan (apply_resume.hpp).
struct ResumedRunFacts {
    std::string plan;
    std::string plan_sha256;
    std::string journal;
    executor::ApplyTotals totals;
    std::string run;  // the run id of the records it wrote; "" when none
};

// The facts of one apply run.
struct ApplyRunFacts {
    std::string account;
    std::string plan;  // the plan file's path
    std::string plan_sha256;
    std::string journal;
    std::string run;  // the run id of the journal's records; "" when none was written
    RunTimes times;
    executor::ApplyTotals totals;
    Summary summary;  // the plan's
    freshdesk::Counters api;
    ExitCode exit_code = ExitCode::success;
    // apply --rules: the earlier runs it finished first, and those it left unfinished.
    std::vector<ResumedRunFacts> resumed;
    std::vector<NotResumed> not_resumed;
};

// The facts of one undo-soft run.
struct UndoRunFacts {
    std::string account;
    std::string journal;       // the apply journal read
    std::string undo_journal;  // this run's own
    RunTimes times;
    executor::UndoTotals totals;
    freshdesk::Counters api;
    ExitCode exit_code = ExitCode::success;
};

json::object apply_report_json(const ApplyRunFacts& facts);
json::object undo_report_json(const UndoRunFacts& facts);

}  // namespace gp::cli
