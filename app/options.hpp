#pragma once
// Boost.Program_options as the subcommands use it (engineering-notes.md): no abbreviations, --help
// checked before notify(), and errors that name an option but never echo its value.
#include "cli.hpp"

#include <boost/program_options.hpp>

#include <iosfwd>

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
