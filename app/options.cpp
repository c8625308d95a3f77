#include "options.hpp"

#include "output.hpp"

#include <iostream>

namespace gp::cli {

po::variables_map parse_command_line(const Args& args, const po::options_description& options,
                                     const po::positional_options_description& positional) {
    // Guessing would let "--max" mean "--max-deletions": a destructive tool must not guess.
    const int style =
        po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    po::variables_map values;
    po::store(
        po::command_line_parser(args).options(options).positional(positional).style(style).run(),
        values);
    return values;
}

std::string given(const po::variables_map& values, std::string_view name) {
    const std::string key(name);
    return name.empty() || values.count(key) == 0 ? std::string() : values[key].as<std::string>();
}

std::string required_argument(const po::variables_map& values, const CommandHelp& help,
                              std::string_view name) {
    std::string value = given(values, name);
    if (value.empty()) {
        const std::string_view shown = help.usage.substr(0, help.usage.find(' '));
        throw usage_error(help.name, "missing the " + std::string(shown) + " argument");
    }
    return value;
}

void add_log_format_option(po::options_description& options) {
    // The default is stated in the description, as every option's is (not as "(=text)").
    options.add_options()(
        "log-format", po::value<std::string>()->value_name("FORMAT")->default_value("text", ""),
        "text, or json: one JSON object a line on standard error, every event, terminal or not "
        "(default: text)");
}

void add_output_options(po::options_description& options, std::string_view details) {
    const std::string verbose = "also " + std::string(details) +
                                ", and, when standard error is not a terminal, the summary's "
                                "first line (default: off)";
    auto add = options.add_options();
    add("quiet", "only warnings and errors on standard error, also on a terminal (default: off)");
    add("verbose,v", verbose.c_str());
    add_log_format_option(options);
}

void add_run_file_options(po::options_description& options) {
    auto add = options.add_options();
    add("lock-file", po::value<std::string>()->value_name("FILE"),
        "the lock that keeps runs apart (default: $TMPDIR or /tmp, "
        "gdpr-purge-<account>.lock)");
    add("report", po::value<std::string>()->value_name("FILE"),
        "write a JSON report of the run to FILE (default: none)");
    add_metrics_file_option(options);
}

void add_metrics_file_option(po::options_description& options) {
    options.add_options()("metrics-file", po::value<std::string>()->value_name("FILE"),
                          "write the run's figures to FILE in Prometheus text format, whatever "
                          "the outcome (default: none)");
}

std::optional<po::variables_map> parse_command(const Args& args, const CommandSyntax& syntax) {
    const std::string_view command = syntax.help.name;
    set_early_output(command, args);
    po::options_description all;
    all.add(syntax.visible);
    po::positional_options_description positional;
    if (!syntax.argument.empty()) {
        const std::string name(syntax.argument);
        all.add_options()(name.c_str(), po::value<std::string>());
        positional.add(name.c_str(), 1);
    }
    po::variables_map values = parse_command_line(args, all, positional);
    if (values.count("help") != 0) {
        print_command_help(std::cout, syntax.help, syntax.visible);
        return std::nullopt;
    }
    po::notify(values);
    OutputSettings output;
    output.command = command;
    output.format = parse_log_format(command, values["log-format"].as<std::string>());
    output.quiet = values.count("quiet") != 0;
    output.verbose = values.count("verbose") != 0;
    output.terminal = stderr_is_terminal();
    output.rules_file = given(values, syntax.rules_option);
    output.plan_file = given(values, syntax.plan_option);
    set_output(output);
    return values;
}

void print_command_help(std::ostream& out, const CommandHelp& help,
                        const po::options_description& visible) {
    out << "usage: gdpr-purge " << help.name << " " << help.usage << "\n\n"
        << help.description << "\n";
    if (!help.arguments.empty()) {
        out << "\narguments:\n" << help.arguments;
    }
    out << "\n"
        << visible << "\nexample:\n  " << help.example << "\n\nEXIT STATUS\n"
        << help.exit_status;
}

CliError usage_error(std::string_view command, const std::string& what) {
    return CliError(ExitCode::usage, what,
                    "run 'gdpr-purge " + std::string(command) + " --help' for its usage");
}

std::string option_name_only(std::string_view token) {
    if (token.starts_with("--")) {
        return std::string(token.substr(0, token.find('=')));
    }
    if (token.starts_with("-") && token.size() > 2) {
        return std::string(token.substr(0, 2));  // "-kVALUE": a short option with its value
    }
    return std::string(token);
}

std::string describe(const po::error& error) {
    if (dynamic_cast<const po::too_many_positional_options_error*>(&error) != nullptr) {
        return "too many arguments";
    }
    const auto* named = dynamic_cast<const po::error_with_option_name*>(&error);
    if (named == nullptr) {
        return "invalid command line";  // what() may quote an argument: never shown
    }
    const std::string name = option_name_only(named->get_option_name());
    if (dynamic_cast<const po::unknown_option*>(&error) != nullptr) {
        return "unknown option " + name;
    }
    if (const auto* syntax = dynamic_cast<const po::invalid_command_line_syntax*>(&error)) {
        switch (syntax->kind()) {
            case po::invalid_syntax::missing_parameter:
                return "option " + name + " needs a value";
            case po::invalid_syntax::extra_parameter:
                return "option " + name + " takes no value";
            default:
                return "option " + name + " is malformed";
        }
    }
    if (dynamic_cast<const po::multiple_occurrences*>(&error) != nullptr) {
        return "option " + name + " is given more than once";
    }
    if (dynamic_cast<const po::required_option*>(&error) != nullptr) {
        return "option " + name + " is required";
    }
    return "option " + name + " has an invalid value";
}

}  // namespace gp::cli
