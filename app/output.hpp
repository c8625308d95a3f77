#pragma once
// Everything a command says to people on standard error (docs/cli.md, "Output, logs, progress"):
// text lines or one JSON object a line (--log-format json), --quiet and -v, and the progress line
// redrawn on a terminal. Standard output stays for the requested data.
//
// The output settings are process-wide: a command sets them before anything can fail, so that
// main.cpp reports the command's errors in the format the command line asked for.
#include "cli.hpp"
#include "log_policy.hpp"
#include "report.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gp::cli {

namespace json = boost::json;

// The log mode (log_policy.hpp: format, --quiet, -v, terminal) and what messages name.
struct OutputSettings : LogMode {
    std::string command;     // "plan": the JSON lines' "command"
    std::string rules_file;  // what messages about the rules name ("rules.json: ...")
    std::string plan_file;   // what messages about the plan name ("plan.json: ...")
};

void set_output(const OutputSettings& settings);
const OutputSettings& output_settings();

// Whether standard error is a terminal (LogMode::terminal).
bool stderr_is_terminal();

// What a command sets first, before its arguments are parsed: its name and the log format the
// raw arguments ask for (scan_log_format).
void set_early_output(std::string_view command, const Args& args);

// The --log-format value as the raw arguments give it, before they are parsed, so that even an
// error in the command line comes out as JSON ("--log-format json" or "--log-format=json").
LogFormat scan_log_format(const Args& args);
// "text" or "json"; anything else is a usage error of `command`.
LogFormat parse_log_format(std::string_view command, const std::string& value);

// One line on standard error, if the log mode shows its level (log_policy.hpp: shown): `text` in
// text format; in JSON format {"ts","level","command","event", ...fields}. Thread-safe; a
// progress line on the terminal is cleared first and redrawn after.
void emit(Level level, std::string_view event, std::string_view text, json::object fields = {});
// An error that ends the command (main.cpp): "<prefix>: <message>" or an "error" event with the
// message and the exit code.
void emit_error(std::string_view prefix, std::string_view message, ExitCode code);

// Problems of a rules file: one line each, "<file>: <path>: <message>", or one "error" event each
// (message, file, path, exit_code).
void emit_rules_problems(std::string_view file, const std::vector<RulesProblem>& problems,
                         ExitCode code);

// Compact JSON text with readable numbers: a double is written in the shortest form that reads
// back the same ("12.5", "3.0"), not Boost.JSON's exponent form ("1.25E1").
std::string to_json_text(const json::value& value);

// A duration in seconds, rounded to tenths: for the summary and the report.
double seconds_between(std::chrono::steady_clock::time_point from,
                       std::chrono::steady_clock::time_point to);

// The summaries below come out as summary_form() says (log_policy.hpp): all their text lines, the
// first one only (which holds the counts), or none; in JSON one "summary" event.
void emit_summary(const std::string& text, json::object fields);

// The plan's summary: the text lines README.md shows, or one "summary" event (docs/logs.md).
void emit_plan_summary(const PlanRunFacts& facts);
// -v: what the reading did, call by call kind ("read" event).
void emit_read_details(const PlanRunFacts& facts);

// apply's summary: entries by outcome, what was deleted, the API's cost and the
// journal; or one "summary" event.
void emit_apply_summary(const ApplyRunFacts& facts);
// undo-soft's summary, likewise.
void emit_undo_summary(const UndoRunFacts& facts);
// apply --rules and the unfinished runs of earlier ones (apply_resume.hpp): "resume" (info) when
// one is taken up, "resumed" when it ends (a warning when entries failed again), "not_resumed" (a
// warning) for one that is left alone, with what the admin can do.
void emit_resume_start(const UnfinishedRun& run);
void emit_resumed(const ResumedRunFacts& run);
void emit_not_resumed(const NotResumed& run);
// One journal record as it is written, "contact 1001 step 0 delete_tickets: done" (a "step"
// event): an error when it failed (the run exits 1), a warning when it was skipped, not
// restorable or lost, else shown with -v only.
void emit_journal_record(const executor::JournalRecord& record);

// What the progress line shows; any field may stay zero.
struct ProgressFacts {
    std::string phase;
    std::int64_t pages = 0;
    std::int64_t tickets = 0;
    std::int64_t views_done = 0;
    std::int64_t views_total = 0;
    std::int64_t credits = 0;
    std::int64_t rate_limited = 0;
    std::int64_t waited_ms = 0;
    int pace_per_minute = 0;
    // apply: views_done/views_total count the plan's entries, and these replace pages and tickets.
    bool applying = false;
    std::int64_t steps_done = 0;
    std::int64_t steps_failed = 0;
};

// The one progress line, redrawn with \r on a terminal (log_policy.hpp: progress_shown);
// otherwise it shows nothing. Cleared when done or destroyed (also when an error unwinds).
class ProgressLine {
  public:
    ProgressLine();
    ~ProgressLine();
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;

    bool shown() const { return enabled_; }
    void update(const ProgressFacts& facts);
    void done();

  private:
    bool enabled_ = false;
    std::chrono::steady_clock::time_point last_draw_{};
    std::chrono::steady_clock::time_point views_started_{};
    std::int64_t views_at_start_ = 0;
};

}  // namespace gp::cli
