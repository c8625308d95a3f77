// gdpr-purge validate-rules RULES.json [--online]: the check of a rules file (docs/cli.md); with
// --online also its group, type, company and responder names against the account.
#include "cli.hpp"
#include "connection.hpp"
#include "engine/engine.hpp"
#include "freshdesk/read.hpp"
#include "options.hpp"
#include "output.hpp"
#include "rules/rules.hpp"
#include "util/text.hpp"

#include <iostream>
#include <unordered_set>

namespace gp::cli {

namespace {

constexpr std::string_view command_name = "validate-rules";

constexpr CommandHelp help{
    "validate-rules",
    "RULES.json",
    "Checks a rules file offline: JSON syntax, duplicate and unknown keys, value types, names\n"
    "and limits (docs/rules.md). Prints every problem, each with its zero-based JSON path, such\n"
    "as: rules.json: ticket_rules[2].older_than: \"5y\" is longer than 4y (1460d)\n"
    "With --online, a valid file's group, ticket type, company and responder names are also\n"
    "checked against the account (read only), and each one the account lacks is reported:\n"
    "rules.json: ticket_rules[0].types[1]: \"Questoin\" is not a ticket type of the account\n"
    "Without --online, names are not checked against the account.",
    "  RULES.json   the rules file to check\n",
    "gdpr-purge validate-rules rules.example.json --online --domain acme",
    "  0  the file is valid (and, with --online, every name exists in the account):\n"
    "     \"RULES.json: ok (N rules)\" on standard output\n"
    "  2  usage error: unknown option, missing or extra argument; with --online: no account\n"
    "     (--domain, --base-url or FRESHDESK_DOMAIN), plain http to a host that is not loopback,\n"
    "     no API key\n"
    "  3  the file cannot be read or is invalid, or names what the account lacks: one line per\n"
    "     problem on standard error, \"RULES.json: <JSON path>: <what is wrong and what is "
    "allowed>\"\n"
    "  5  with --online: cannot work with the account (network, TLS, the API key refused,\n"
    "     missing permission)\n",
};

// Ticket types, compared case-insensitively on trimmed text (the engine matches them so).
std::vector<RulesProblem> type_problems(std::size_t rule_index, const TicketRule& rule,
                                        const std::unordered_set<std::string>& types) {
    std::vector<RulesProblem> problems;
    for (std::size_t t = 0; t < rule.types.size(); ++t) {
        if (!types.contains(normalize_name(rule.types[t]))) {
            problems.push_back({"ticket_rules[" + std::to_string(rule_index) + "].types[" +
                                    std::to_string(t) + "]",
                                "\"" + rule.types[t] + "\" is not a ticket type of the account"});
        }
    }
    return problems;
}

// Every name of the rules that the account lacks, in the rules file's order.
std::vector<RulesProblem> online_problems(freshdesk::Client& client, const Rules& rules) {
    Snapshot names;
    names.groups = freshdesk::list_groups(client);
    names.companies = freshdesk::list_companies(client);
    std::unordered_set<std::string> types;
    for (const std::string& type : freshdesk::list_ticket_types(client)) {
        types.insert(normalize_name(type));
    }
    names.agents = freshdesk::list_agents(client);

    std::vector<RulesProblem> resolved = unresolved_names(names, rules);
    std::vector<RulesProblem> problems;
    for (std::size_t i = 0; i < rules.ticket_rules.size(); ++i) {
        const std::string prefix = "ticket_rules[" + std::to_string(i) + "].";
        for (const RulesProblem& problem : resolved) {
            if (problem.path.starts_with(prefix)) {
                problems.push_back(problem);
            }
        }
        const auto of_types = type_problems(i, rules.ticket_rules[i], types);
        problems.insert(problems.end(), of_types.begin(), of_types.end());
    }
    for (const RulesProblem& problem : resolved) {
        if (!problem.path.starts_with("ticket_rules[")) {
            problems.push_back(problem);
        }
    }
    return problems;
}

po::options_description visible_options() {
    po::options_description visible("options");
    auto add = visible.add_options();
    add("help,h", "print this help and exit (default: off)");
    add("online", "also check the names against the account (default: off: offline only)");
    add_log_format_option(visible);
    add_connection_options(visible, "connection (with --online)");
    return visible;
}

// The offline check, then with `online` the names against the account.
ExitCode check_rules(const std::string& path, const ConnectionSettings* online) {
    const RulesParseResult result = load_rules_file(path);
    if (!result.rules) {
        emit_rules_problems(path, result.problems, ExitCode::invalid_input);
        return ExitCode::invalid_input;
    }
    if (online != nullptr) {
        Connection connection(*online, retry_logger());
        const auto problems = online_problems(connection.client(), *result.rules);
        if (!problems.empty()) {
            emit_rules_problems(path, problems, ExitCode::invalid_input);
            return ExitCode::invalid_input;
        }
    }
    std::cout << path << ": ok (" << result.rules->ticket_rules.size() << " rules)\n";
    return ExitCode::success;
}

}  // namespace

ExitCode run_validate_rules(const Args& args) {
    const po::options_description visible = visible_options();
    const auto parsed = parse_command(
        args,
        {.help = help, .visible = visible, .argument = "rules-file", .rules_option = "rules-file"});
    if (!parsed) {
        return ExitCode::success;  // --help
    }
    const po::variables_map& values = *parsed;
    const std::string path = required_argument(values, help, "rules-file");
    const bool online = values.count("online") != 0;
    if (const auto option = first_connection_option(values); option && !online) {
        throw usage_error(help.name, "option " + *option + " needs --online");
    }
    const ConnectionSettings settings =
        online ? read_connection_settings(command_name, values) : ConnectionSettings{};

    return check_rules(path, online ? &settings : nullptr);
}

}  // namespace gp::cli
