// gdpr-purge plan --rules RULES.json: reads the account, evaluates the rules and writes the plan
// (spec/cli.md, spec/plan.md). Deletes nothing.
#include "cli.hpp"
#include "connection.hpp"
#include "engine/engine.hpp"
#include "options.hpp"
#include "output.hpp"
#include "reader/reader.hpp"
#include "report.hpp"
#include "rules/rules.hpp"
#include "time/time.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>

namespace gp::cli {

namespace {

constexpr std::string_view command_name = "plan";

constexpr CommandHelp help{
    "plan",
    "--rules RULES.json [--out PLAN.json] [--as-of TIME] [--subject EMAIL]... [options]",
    "Reads the Freshdesk account, evaluates the rules as of --as-of and writes the plan\n"
    "(spec/plan.md): what 'apply' would delete, mark and protect, for a person to review. It\n"
    "deletes nothing, ever. A short summary goes to standard error; a progress line too when\n"
    "standard error is a terminal.\n"
    "With --subject EMAIL (repeatable) it plans an erasure request (GDPR Art. 17) instead of the\n"
    "rules: all tickets of the contacts with that email and the contacts themselves, hard, unless\n"
    "an agent status or an exception of the rules protects them.\n"
    "The API key comes from FRESHDESK_API_KEY or --api-key-file, never from the command line.",
    "",
    "gdpr-purge plan --rules rules.json --domain acme --api-key-file ~/.freshdesk-key "
    "--out plan.json",
    "  0  the plan was written, whatever it contains\n"
    "  1  the plan or the report could not be written completely (disk full, ...)\n"
    "  2  usage error: unknown option, missing --rules, no account (--domain, --base-url or\n"
    "     FRESHDESK_DOMAIN), plain http to a host that is not loopback, no API key, a --out or\n"
    "     --report file that cannot be created\n"
    "  3  the rules file is invalid, or names a group, company or responder the account does not\n"
    "     have: one line per problem, \"RULES.json: <JSON path>: <what is wrong>\"\n"
    "  5  cannot work with the account: network, TLS, the API key refused, missing permission,\n"
    "     an answer of an unexpected shape\n",
};

struct PlanOptions {
    std::string rules_file;
    std::string out;  // "": standard output
    UnixTime as_of = no_time;
    std::vector<std::string> subjects;
    std::string report;  // "": none
    ConnectionSettings connection;
};

po::options_description plan_options() {
    po::options_description options("options");
    auto add = options.add_options();
    add("help,h", "print this help and exit");
    add("rules", po::value<std::string>()->value_name("FILE"), "the rules file (required)");
    add("out", po::value<std::string>()->value_name("FILE"),
        "write the plan to FILE, atomically (default: standard output)");
    add("as-of", po::value<std::string>()->value_name("TIME"),
        "evaluate as of TIME, UTC: YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DD (default: now)");
    add("subject", po::value<std::vector<std::string>>()->value_name("EMAIL"),
        "plan an erasure request for the contacts with this email instead of the rules; "
        "repeatable (default: none)");
    add("report", po::value<std::string>()->value_name("FILE"),
        "write a JSON report of the run to FILE when the plan is written (default: none)");
    add("quiet", "only warnings and errors on standard error (default: off)");
    add("verbose,v", "also the reading's phases and API details (default: off)");
    add("log-format", po::value<std::string>()->value_name("FORMAT")->default_value("text"),
        "text, or json: one JSON object a line on standard error");
    return options;
}

UnixTime now_seconds() {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return std::chrono::duration_cast<std::chrono::seconds>(now).count();
}

std::string given(const po::variables_map& values, const std::string& name) {
    return values.count(name) == 0 ? std::string() : values[name].as<std::string>();
}

PlanOptions read_plan_options(const po::variables_map& values) {
    PlanOptions options;
    options.rules_file = given(values, "rules");
    if (options.rules_file.empty()) {
        throw usage_error(command_name, "missing --rules RULES.json");
    }
    options.out = given(values, "out") == "-" ? std::string() : given(values, "out");
    options.report = given(values, "report");
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
    options.connection = read_connection_settings(command_name, values);
    return options;
}

// Feeds the progress line (and, with -v, a line per phase) from the reader's progress.
class ReadWatcher {
  public:
    explicit ReadWatcher(freshdesk::Client& client) : client_(client) {}

    void operator()(const reader::Progress& progress) {
        if (progress.phase != phase_ && output_settings().verbose) {
            emit(Level::info, "phase", "gdpr-purge plan: reading " + progress.phase,
                 json::object{{"phase", progress.phase}});
        }
        phase_ = progress.phase;
        if (!line_.shown()) {
            return;
        }
        const freshdesk::Counters counters = client_.counters();
        line_.update({progress.phase, progress.ticket_pages + progress.contact_pages,
                      progress.tickets, progress.views_done, progress.views_total, counters.credits,
                      counters.rate_limited, counters.waited_ms, counters.pace_per_minute});
    }
    void done() { line_.done(); }

  private:
    freshdesk::Client& client_;
    ProgressLine line_;
    std::string phase_;
};

Plan plan_subjects(freshdesk::Client& client, const Rules& rules, const PlanOptions& options,
                   reader::ReadOptions& read_options, PlanRunFacts& facts) {
    std::vector<reader::SubjectMatch> matches;
    const Snapshot snapshot =
        reader::read_subjects(client, options.subjects, read_options, matches, &facts.read);
    std::vector<Id> ids;
    for (std::size_t i = 0; i < matches.size(); ++i) {
        ids.insert(ids.end(), matches[i].contact_ids.begin(), matches[i].contact_ids.end());
        if (i < options.subjects.size()) {
            matches[i].email_masked = mask_email(options.subjects[i]);
        }
        if (matches[i].contact_ids.empty()) {
            const std::string& masked = matches[i].email_masked;
            emit(Level::warning, "subject_not_found",
                 "subject " + masked + ": no contact has this email",
                 json::object{{"email_masked", masked}});
        }
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    facts.subjects = std::move(matches);
    return evaluate_subjects(snapshot, rules, ids, options.as_of);
}

// Reads what the plan needs and evaluates it; the reading's figures go to `facts`.
Plan make_plan(Connection& connection, const Rules& rules, const PlanOptions& options,
               PlanRunFacts& facts) {
    auto watcher = std::make_shared<ReadWatcher>(connection.client());
    reader::ReadOptions read_options;
    read_options.as_of = options.as_of;
    read_options.concurrency = options.connection.concurrency;
    read_options.on_progress = [watcher](const reader::Progress& p) { (*watcher)(p); };
    Plan plan;
    if (options.subjects.empty()) {
        const Snapshot snapshot =
            reader::read_account(connection.client(), rules, read_options, &facts.read);
        plan = evaluate(snapshot, rules, options.as_of);
    } else {
        plan = plan_subjects(connection.client(), rules, options, read_options, facts);
    }
    watcher->done();
    for (const std::string& warning : facts.read.warnings) {
        emit(Level::warning, "warning", "warning: " + warning, json::object{{"message", warning}});
    }
    return plan;
}

void write_outputs(const Plan& plan, AtomicFile* out, AtomicFile* report,
                   const PlanRunFacts& facts) {
    if (out != nullptr) {
        write_plan(out->stream(), plan);
        out->commit();
    } else {
        write_plan(std::cout, plan);
        std::cout.flush();
    }
    if (report != nullptr) {
        report->stream() << to_json_text(plan_report_json(facts)) << "\n";
        report->commit();
    }
}

// Everything after the command line: files, key and rules first, then the reading.
ExitCode run_plan(const PlanOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    PlanRunFacts facts;
    facts.started_at = format_timestamp(now_seconds());
    facts.out = options.out;
    auto out = options.out.empty() ? nullptr : std::make_unique<AtomicFile>(options.out);
    auto report = options.report.empty() ? nullptr : std::make_unique<AtomicFile>(options.report);
    Connection connection(options.connection, retry_logger());
    const RulesParseResult rules = load_rules_file(options.rules_file);
    if (!rules.rules) {
        emit_rules_problems(options.rules_file, rules.problems, ExitCode::invalid_input);
        return ExitCode::invalid_input;
    }

    Plan plan = make_plan(connection, *rules.rules, options, facts);
    plan.header.generated_at = format_timestamp(now_seconds());
    plan.header.account = connection.account();
    plan.header.summary.contacts_read = facts.read.contacts_read;
    plan.header.summary.tickets_read = facts.read.tickets_read;

    facts.account = connection.account();
    facts.as_of = plan.header.as_of;
    facts.api = connection.client().counters();
    facts.summary = plan.header.summary;
    facts.finished_at = format_timestamp(now_seconds());
    facts.duration_seconds = seconds_between(started, std::chrono::steady_clock::now());
    write_outputs(plan, out.get(), report.get(), facts);
    emit_plan_summary(facts);
    if (output_settings().verbose) {
        emit_read_details(facts);
    }
    return ExitCode::success;
}

}  // namespace

ExitCode run_plan(const Args& args) {
    set_early_output(command_name, args);
    po::options_description visible = plan_options();
    po::options_description connection_options("connection");
    add_connection_options(connection_options);
    visible.add(connection_options);
    po::variables_map values = parse_command_line(args, visible, {});
    if (values.count("help") != 0) {
        print_command_help(std::cout, help, visible);
        return ExitCode::success;
    }
    po::notify(values);
    OutputSettings output;
    output.command = command_name;
    output.format = parse_log_format(command_name, values["log-format"].as<std::string>());
    output.quiet = values.count("quiet") != 0;
    output.verbose = values.count("verbose") != 0;
    output.rules_file = given(values, "rules");
    set_output(output);
    return run_plan(read_plan_options(values));
}

}  // namespace gp::cli
