// gdpr-purge validate-rules RULES.json: the offline check of a rules file (spec/cli.md).
#include "cli.hpp"
#include "options.hpp"
#include "rules/rules.hpp"

#include <iostream>

namespace gp::cli {

namespace {

constexpr CommandHelp help{
    "validate-rules",
    "RULES.json",
    "Checks a rules file offline: JSON syntax, duplicate and unknown keys, value types, names\n"
    "and limits (spec/rules.md). Prints every problem, each with its zero-based JSON path, such\n"
    "as: rules.json: ticket_rules[2].older_than: \"5y\" is longer than 4y (1460d)\n"
    "Group, type and company names are not checked against the account.",
    "  RULES.json   the rules file to check\n",
    "gdpr-purge validate-rules rules.example.json",
    "  0  the file is valid: \"RULES.json: ok (N rules)\" on standard output\n"
    "  2  usage error: unknown option, missing or extra argument\n"
    "  3  the file cannot be read or is invalid: one line per problem on standard error,\n"
    "     \"RULES.json: <JSON path>: <what is wrong and what is allowed>\"\n",
};

}  // namespace

ExitCode run_validate_rules(const Args& args) {
    po::options_description visible("options");
    visible.add_options()("help,h", "print this help and exit");
    po::options_description all;
    all.add(visible).add_options()("rules-file", po::value<std::string>());
    po::positional_options_description positional;
    positional.add("rules-file", 1);

    po::variables_map values = parse_command_line(args, all, positional);
    if (values.count("help") != 0) {
        print_command_help(std::cout, help, visible);
        return ExitCode::success;
    }
    po::notify(values);
    if (values.count("rules-file") == 0) {
        throw usage_error(help.name, "missing the RULES.json argument");
    }

    const auto& path = values["rules-file"].as<std::string>();
    const RulesParseResult result = load_rules_file(path);
    if (!result.rules) {
        for (const RulesProblem& problem : result.problems) {
            std::cerr << path << ": " << to_string(problem) << "\n";
        }
        return ExitCode::invalid_input;
    }
    std::cout << path << ": ok (" << result.rules->ticket_rules.size() << " rules)\n";
    return ExitCode::success;
}

}  // namespace gp::cli
