// gdpr-purge apply PLAN.json | --rules RULES.json: executes a reviewed plan, or plans and applies
// in one run for cron (docs/cli.md, "apply", "Safety guards"). The run itself is apply_run.cpp.
#include "apply_guards.hpp"
#include "apply_run.hpp"
#include "cli.hpp"
#include "connection.hpp"
#include "options.hpp"
#include "plan_run.hpp"
#include "sign_key.hpp"
#include "util/clock.hpp"

#include <cstdint>

namespace gp::cli {

namespace {

constexpr std::string_view command_name = "apply";

constexpr CommandHelp help{
    "apply",
    "PLAN.json [options]\n       gdpr-purge apply --rules RULES.json [--as-of TIME] [options]",
    "Executes a plan (docs/plan.md) contact by contact: it re-reads each contact and its\n"
    "tickets, checks that the plan's decision still holds (no new ticket, none reopened, no new\n"
    "exception; else the entry is skipped with the reason), performs the steps and records each\n"
    "outcome in the journal. Running it again on the same plan and journal repeats no step that\n"
    "is done: after a crash or a failure it resumes where the journal ends.\n"
    "With --rules it reads the account and makes the plan first (for cron), written to the "
    "current\n"
    "directory as gdpr-purge-<UTC time>.plan.json, journaled next to it as .journal.jsonl.\n"
    "Before it plans, it finishes the runs of this account that earlier apply --rules runs left\n"
    "unfinished in that directory (same rules, made within 30 days, within --max-deletions),\n"
    "through their own plans and journals; others are reported and left alone (exit 1).\n"
    "Before any step: a plan for another account, a plan older than --max-plan-age or one that\n"
    "deletes more contacts than --max-deletions is refused; a lock keeps two runs against one\n"
    "account apart; on a terminal, the plan's summary is shown and 'yes' asked for (--yes skips\n"
    "it; without a terminal nothing is asked).\n"
    "On a terminal, standard error shows a progress line and a summary; otherwise (cron) only\n"
    "warnings and errors, and with -v the summary's first line and a line per step.\n"
    "With --sign-key, each journal the run wrote to ends with a signature line (gdpr-purge\n"
    "verify checks it with the public key), also when steps failed or an error stopped it.\n"
    "The API key comes from FRESHDESK_API_KEY or --api-key-file, never from the command line.",
    "  PLAN.json   the plan to execute (or --rules RULES.json instead)\n",
    "gdpr-purge apply plan.json --domain acme --api-key-file ~/.freshdesk-key --report run.json",
    "  0  every entry done or skipped for a stated reason (skips are warnings)\n"
    "  1  partial failure: some steps failed, the rest were done; run apply again to finish.\n"
    "     Also: the journal, the plan (--rules), the report or the metrics file could not be\n"
    "     written; or (--rules) an unfinished earlier run was not resumed (see the warnings)\n"
    "  2  usage error: unknown option, neither or both of PLAN.json and --rules, a bad\n"
    "     --max-deletions or --max-plan-age, no account, no API key, plain http to a host that\n"
    "     is not loopback, a file that cannot be created\n"
    "  3  invalid input: the plan, the rules or the journal is invalid (the message says where),\n"
    "     or the --sign-key file is no unencrypted PEM Ed25519 private key (nothing is sent)\n"
    "  4  refused: a plan for another account, older than --max-plan-age, deleting more contacts\n"
    "     than --max-deletions, of an unknown format version, or not confirmed with 'yes'\n"
    "  5  cannot work with the account: network, TLS, the API key refused, missing permission\n"
    "  6  another gdpr-purge run holds the lock of this account\n",
};

po::options_description apply_options() {
    po::options_description options("options");
    auto add = options.add_options();
    add("help,h", "print this help and exit (default: off)");
    add("rules", po::value<std::string>()->value_name("FILE"),
        "make the plan from this rules file and apply it, instead of PLAN.json (default: none)");
    add("as-of", po::value<std::string>()->value_name("TIME"),
        "with --rules: evaluate as of TIME, UTC: YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DD "
        "(default: now)");
    add("journal", po::value<std::string>()->value_name("FILE"),
        "journal to FILE (default: PLAN.json.journal.jsonl; with --rules, next to the plan made)");
    add_sign_key_option(options);
    // Defaults stated in the descriptions, as every option's is (not as "(=500)").
    const std::string max_deletions =
        "refuse a plan that deletes more than N contacts (purges "
        "included) (default: " +
        std::to_string(default_max_deletions) + ")";
    add("max-deletions",
        po::value<std::int64_t>()->value_name("N")->default_value(default_max_deletions, ""),
        max_deletions.c_str());
    const std::string max_plan_age =
        "refuse a plan generated longer ago: N and h, d, w, m (30 d) "
        "or y (365 d) (default: " +
        std::string(default_max_plan_age) + ")";
    add("max-plan-age",
        po::value<std::string>()->value_name("DUR")->default_value(
            std::string(default_max_plan_age), ""),
        max_plan_age.c_str());
    add("yes", "do not ask for confirmation on a terminal (default: off: ask)");
    add_run_file_options(options);
    add_output_options(options, "a line per step done and retries");
    add_connection_options(options);
    add_archive_options(options);
    return options;
}

// PLAN.json or --rules RULES.json [--as-of TIME], exactly one of them.
void read_plan_source(const po::variables_map& values, ApplyRequest& request) {
    request.plan_file = given(values, "plan");
    request.rules_file = given(values, "rules");
    if (request.plan_file.empty() == request.rules_file.empty()) {
        throw usage_error(command_name, request.plan_file.empty()
                                            ? "missing PLAN.json or --rules RULES.json"
                                            : "give PLAN.json or --rules RULES.json, not both");
    }
    request.as_of = now_seconds();
    if (values.count("as-of") != 0) {
        if (request.rules_file.empty()) {
            throw usage_error(command_name, "option --as-of needs --rules");
        }
        const auto as_of = parse_time_arg(values["as-of"].as<std::string>());
        if (!as_of) {
            throw usage_error(command_name,
                              "option --as-of must be YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DD");
        }
        request.as_of = *as_of;
    }
}

void read_guards(const po::variables_map& values, ApplyRequest& request) {
    request.max_deletions = values["max-deletions"].as<std::int64_t>();
    if (request.max_deletions < 0) {
        throw usage_error(command_name, "option --max-deletions must be 0 or more");
    }
    const auto age = parse_duration(values["max-plan-age"].as<std::string>(), HourUnit::allowed);
    if (!age) {
        throw usage_error(command_name,
                          "option --max-plan-age must be a number and a unit: h, d, w, m or y "
                          "(24h, 2d)");
    }
    request.max_plan_age = *age;
    request.yes = values.count("yes") != 0;
}

ApplyRequest read_apply_request(const po::variables_map& values) {
    ApplyRequest request;
    read_plan_source(values, request);
    read_guards(values, request);
    request.journal = given(values, "journal");
    request.sign_key = read_sign_key(command_name, values);
    request.lock_file = given(values, "lock-file");
    request.report = given(values, "report");
    request.metrics = given(values, "metrics-file");
    request.connection = read_connection_settings(command_name, values);
    request.archive = read_archive_settings(command_name, values);
    return request;
}

}  // namespace

ExitCode run_apply(const Args& args) {
    const po::options_description visible = apply_options();
    const auto values = parse_command(args, {.help = help,
                                             .visible = visible,
                                             .argument = "plan",
                                             .rules_option = "rules",
                                             .plan_option = "plan"});
    if (!values) {
        return ExitCode::success;  // --help
    }
    return execute_apply(read_apply_request(*values));
}

}  // namespace gp::cli
