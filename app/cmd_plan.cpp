// gdpr-purge plan --rules RULES.json: reads the account, evaluates the rules and writes the plan
// (docs/cli.md, "plan"; docs/plan.md). Deletes nothing.
#include "archive_state.hpp"
#include "cli.hpp"
#include "connection.hpp"
#include "options.hpp"
#include "output.hpp"
#include "plan_run.hpp"
#include "report.hpp"
#include "rules/rules.hpp"
#include "run_files.hpp"
#include "time/time.hpp"
#include "util/clock.hpp"
#include "util/text.hpp"

#include <charconv>
#include <chrono>
#include <iostream>
#include <memory>

namespace gp::cli {

namespace {

constexpr std::string_view command_name = "plan";

constexpr CommandHelp help{
    "plan",
    "--rules RULES.json [--out PLAN.json] [--as-of TIME] [--forecast DAYS] [--subject EMAIL]...\n"
    "       [options]",
    "Reads the Freshdesk account, evaluates the rules as of --as-of and writes the plan\n"
    "(docs/plan.md): what 'apply' would delete, mark and protect, for a person to review. It\n"
    "deletes nothing, ever. On a terminal, standard error shows a progress line and a summary;\n"
    "otherwise (cron) only warnings and errors, and with -v the summary's first line.\n"
    "With --subject EMAIL (repeatable) it plans an erasure request (GDPR Art. 17) instead of the\n"
    "rules: all tickets of the contacts with that email and the contacts themselves, hard, unless\n"
    "an agent status or an exception of the rules protects them.\n"
    "With --forecast DAYS the plan also says what the rules would take on each of the next DAYS\n"
    "days if a run happened every day and nothing else changed (docs/plan.md, forecast); it\n"
    "views the contacts those days would take too, so the reading costs more credits.\n"
    "The API key comes from FRESHDESK_API_KEY or --api-key-file, never from the command line.",
    "",
    "gdpr-purge plan --rules rules.json --domain acme --api-key-file ~/.freshdesk-key "
    "--out plan.json",
    "  0  the plan was written, whatever it contains\n"
    "  1  the plan, the report or the metrics file could not be written completely (disk full,\n"
    "     ...)\n"
    "  2  usage error: unknown option, missing --rules, --forecast not a number of days from 1\n"
    "     to 366 or with --subject, no account (--domain, --base-url or\n"
    "     FRESHDESK_DOMAIN), plain http to a host that is not loopback, no API key, a --out,\n"
    "     --report or --metrics-file path that cannot be created\n"
    "  3  the rules file is invalid, or names a group, company or responder the account does not\n"
    "     have: one line per problem, \"RULES.json: <JSON path>: <what is wrong>\"\n"
    "  5  cannot work with the account: network, TLS, the API key refused, missing permission,\n"
    "     an answer of an unexpected shape\n",
};

struct PlanOptions {
    std::string rules_file;
    std::string out;  // "": standard output
    UnixTime as_of = no_time;
    int forecast_days = 0;  // 0: no forecast
    std::vector<std::string> subjects;
    std::string report;   // "": none
    std::string metrics;  // "": none
    ConnectionSettings connection;
    ArchiveSettings archive;
};

po::options_description plan_options() {
    po::options_description options("options");
    auto add = options.add_options();
    add("help,h", "print this help and exit (default: off)");
    add("rules", po::value<std::string>()->value_name("FILE"), "the rules file (required)");
    add("out", po::value<std::string>()->value_name("FILE"),
        "write the plan to FILE, atomically (default: standard output)");
    add("as-of", po::value<std::string>()->value_name("TIME"),
        "evaluate as of TIME, UTC: YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DD (default: now)");
    add("forecast", po::value<std::string>()->value_name("DAYS"),
        "add what the rules would take on each of the next DAYS days (1 to 366) to the plan "
        "(default: no forecast)");
    add("subject", po::value<std::vector<std::string>>()->value_name("EMAIL"),
        "plan an erasure request for the contacts with this email instead of the rules; "
        "repeatable (default: none)");
    add("report", po::value<std::string>()->value_name("FILE"),
        "write a JSON report of the run to FILE when the plan is written (default: none)");
    add_metrics_file_option(options);
    add_output_options(options, "the reading's phases, API details and retries");
    add_connection_options(options);
    add_archive_options(options);
    return options;
}

// Parsed as a signed number and range-checked: Program_options reads "-1" as a huge unsigned.
int read_forecast_days(const std::string& text) {
    const std::string_view days = trim(text);
    int value = 0;
    const auto [end, error] = std::from_chars(days.data(), days.data() + days.size(), value);
    if (error != std::errc() || end != days.data() + days.size() || value < 1 ||
        value > max_forecast_days) {
        throw usage_error(command_name, "option --forecast must be a number of days from 1 to " +
                                            std::to_string(max_forecast_days));
    }
    return value;
}

PlanOptions read_plan_options(const po::variables_map& values) {
    PlanOptions options;
    options.rules_file = given(values, "rules");
    if (options.rules_file.empty()) {
        throw usage_error(command_name, "missing --rules RULES.json");
    }
    options.out = given(values, "out") == "-" ? std::string() : given(values, "out");
    options.report = given(values, "report");
    options.metrics = given(values, "metrics-file");
    options.as_of = now_seconds();
    if (values.count("as-of") != 0) {
        const auto as_of = parse_time_arg(values["as-of"].as<std::string>());
        if (!as_of) {
            throw usage_error(command_name,
                              "option --as-of must be YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DD");
        }
        options.as_of = *as_of;
    }
    if (values.count("subject") != 0) {
        options.subjects = values["subject"].as<std::vector<std::string>>();
    }
    for (auto& subject : options.subjects) {
        subject = std::string(trim(subject));
        if (subject.find('@') == std::string::npos) {
            throw usage_error(command_name, "option --subject needs an email address");
        }
    }
    if (values.count("forecast") != 0) {
        options.forecast_days = read_forecast_days(values["forecast"].as<std::string>());
        if (!options.subjects.empty()) {
            throw usage_error(command_name, "option --forecast is for the rules, not --subject");
        }
    }
    options.connection = read_connection_settings(command_name, values);
    options.archive = read_archive_settings(command_name, values);
    return options;
}

// One plan run: its files are opened first (an unwritable path fails before any request), the
// metrics file is written whatever the outcome (run_files.hpp), the report when the plan is.
class PlanRun {
  public:
    explicit PlanRun(const PlanOptions& options)
        : options_(options), files_(options.report, options.metrics) {}

    ExitCode run();
    void stopped() noexcept;

  private:
    MetricsRun metrics_run(double duration_seconds, RunEnd end) const {
        return {.account = options_.connection.account,
                .command = std::string(command_name),
                .duration_seconds = duration_seconds,
                .finished_at = now_seconds(),
                .success = end == RunEnd::succeeded};
    }
    freshdesk::Counters api() const {
        return connection_ ? connection_->client().counters() : freshdesk::Counters{};
    }

    const PlanOptions& options_;
    RunClock clock_;
    RunFiles files_;
    std::unique_ptr<Connection> connection_;
};

// Everything after the command line: files, key and rules first, then the reading.
ExitCode PlanRun::run() {
    PlanRunFacts facts;
    facts.started_at = clock_.started_at();
    facts.out = options_.out;
    auto out = options_.out.empty() ? nullptr : std::make_unique<AtomicFile>(options_.out);
    connection_ = std::make_unique<Connection>(options_.connection, retry_logger());
    const RulesParseResult rules = load_rules_file(options_.rules_file);
    if (!rules.rules) {
        emit_rules_problems(options_.rules_file, rules.problems, ExitCode::invalid_input);
        stopped();
        return ExitCode::invalid_input;
    }

    const auto index = open_archive_index(command_name, options_.archive, connection_->account());
    const PlanRequest request{
        options_.as_of, options_.subjects,       options_.connection.concurrency,
        index.get(),    options_.archive.budget, options_.forecast_days};
    const Plan plan = read_and_evaluate(*connection_, *rules.rules, request, facts);
    facts.api = api();
    const RunTimes times = clock_.finish();
    facts.finished_at = times.finished_at;
    facts.duration_seconds = times.duration_seconds;
    if (out != nullptr) {
        write_plan(out->stream(), plan);
        out->commit();
    } else {
        write_plan(std::cout, plan);
        std::cout.flush();
    }
    files_.write(plan_report_json(facts),
                 plan_metrics(facts.summary, facts.api, plan.header.archive),
                 metrics_run(facts.duration_seconds, RunEnd::succeeded));
    emit_plan_summary(facts);
    if (output_settings().verbose) {
        emit_read_details(facts);
    }
    return ExitCode::success;
}

void PlanRun::stopped() noexcept {
    try {
        files_.write_stopped(plan_metrics({}, api(), std::nullopt),
                             metrics_run(clock_.finish().duration_seconds, RunEnd::failed));
    } catch (...) {
        // Out of memory while reporting an error: the error itself is what main() reports.
    }
}

}  // namespace

ExitCode run_plan(const Args& args) {
    const po::options_description visible = plan_options();
    const auto values =
        parse_command(args, {.help = help, .visible = visible, .rules_option = "rules"});
    if (!values) {
        return ExitCode::success;  // --help
    }
    const PlanOptions options = read_plan_options(*values);
    PlanRun run(options);
    return run_to_end(run);
}

}  // namespace gp::cli
