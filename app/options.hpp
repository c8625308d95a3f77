#pragma once
// Boost.Program_options as the subcommands use it (engineering-notes.md): no abbreviations, --help
// checked before notify(), and errors that name an option but never echo its value.
#include "cli.hpp"

#include <boost/program_options.hpp>

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace gp::cli {

namespace po = boost::program_options;

// What a command's --help says besides its options.
struct CommandHelp {
    std::string_view name;         // "validate-rules"
    std::string_view usage;        // "RULES.json"
    std::string_view description;  // what the command does
    std::string_view arguments;    // one "  NAME  meaning" line per positional argument, or ""
    std::string_view example;      // a command line
    std::string_view exit_status;  // one "  N  meaning" line per exit code
};

// A command's command line: what the shared preamble (parse_command) needs to know.
struct CommandSyntax {
    const CommandHelp& help;                 // help.name is the command's name
    const po::options_description& visible;  // the options --help lists
    std::string_view argument = {};      // the one positional argument's name ("rules-file"), or ""
    std::string_view rules_option = {};  // the option or argument that names the rules file
    std::string_view plan_option = {};   // the option or argument that names the plan file
};

// What every command does first: the early output settings (so that even an error in the command
// line comes out in the format it asks for), the parse, --help (printed; nothing returned), notify
// and then the output settings of --log-format, --quiet and -v. Throws po::error, CliError (usage).
std::optional<po::variables_map> parse_command(const Args& args, const CommandSyntax& syntax);

// The value of a string option, or "" when it is not given (or `name` is "").
std::string given(const po::variables_map& values, std::string_view name);

// The command's positional argument `name`. Missing: a usage error that names it as the usage
// line does, by the usage's first word ("missing the RULES.json argument").
std::string required_argument(const po::variables_map& values, const CommandHelp& help,
                              std::string_view name);

// --quiet, -v and --log-format (plan, apply, undo-soft). `details`: what -v adds ("a line per
// step done").
void add_output_options(po::options_description& options, std::string_view details);
// --log-format alone (validate-rules).
void add_log_format_option(po::options_description& options);
// --lock-file, --report and --metrics-file (apply, undo-soft: run_files.hpp).
void add_run_file_options(po::options_description& options);
// --metrics-file alone (plan, which has its own --report and no lock).
void add_metrics_file_option(po::options_description& options);

// Parses a command's arguments: `options` holds every option (hidden positional ones too).
// Throws po::error (reported by main, with the option's name only).
po::variables_map parse_command_line(const Args& args, const po::options_description& options,
                                     const po::positional_options_description& positional);

void print_command_help(std::ostream& out, const CommandHelp& help,
                        const po::options_description& visible);

// A usage error (exit 2) that points to the command's help.
CliError usage_error(std::string_view command, const std::string& what);

// The message for a Program_options error: the option's name and what is wrong with it, never
// the value that came with it (a mistyped --api-key=... must not print the key).
std::string describe(const po::error& error);

// "--api-key=SECRET" -> "--api-key", "-kSECRET" -> "-k".
std::string option_name_only(std::string_view token);

}  // namespace gp::cli
