// The table of subcommands (as Ninja keeps its tools) and what the command line does before a
// subcommand takes over: --help, --version, help <command>, and "did you mean" for typos.
#include "cli.hpp"
#include "options.hpp"

#include <algorithm>
#include <array>
#include <iostream>
#include <numeric>

#ifndef GP_VERSION
#error "GP_VERSION must be defined by the build (app/CMakeLists.txt)"
#endif

namespace gp::cli {

namespace {

// Add a subcommand here, in the order the help should list it.
constexpr std::array command_table{
    Command{"validate-rules", "check a rules file offline: syntax, types, limits, unknown keys",
            run_validate_rules},
    Command{"explain", "write a rules file's retention schedule in plain language (Markdown, HTML)",
            run_explain},
    Command{"plan",
            "read the account and write the plan of what apply would delete (deletes nothing)",
            run_plan},
    Command{"apply", "execute a plan (or --rules: plan and apply at once), journaling every step",
            run_apply},
    Command{"undo-soft", "restore what a journal says was soft-deleted", run_undo_soft},
    Command{"review",
            "write the plan (and its journals) as one HTML page for the people who sign it off",
            run_review},
    Command{"verify", "check a journal offline: its chain, its plan, its signatures", run_verify},
};

constexpr std::string_view help_command = "help";

const Command* find_command(std::string_view name) {
    const auto it = std::find_if(command_table.begin(), command_table.end(),
                                 [&](const Command& c) { return c.name == name; });
    return it == command_table.end() ? nullptr : &*it;
}

void print_overview(std::ostream& out) {
    out << "usage: gdpr-purge <command> [options] [arguments]\n"
           "       gdpr-purge help <command>\n"
           "       gdpr-purge --version\n\n"
           "Deletes Freshdesk contacts and tickets as a retention rules file says (GDPR).\n\n"
           "commands:\n";
    std::size_t width = 0;
    for (const Command& command : command_table) {
        width = std::max(width, command.name.size());
    }
    for (const Command& command : command_table) {
        out << "  " << command.name << std::string(width + 2 - command.name.size(), ' ')
            << command.summary << "\n";
    }
    out << "\nOptions come after the command; 'gdpr-purge <command> --help' describes a command,\n"
           "its options and its exit status.\n\n"
           "options:\n"
           "  -h [ --help ]   print this help and exit\n"
           "  --version       print the version and exit\n\n"
           "EXIT STATUS\n"
           "  0  success\n"
           "  1  partial failure: some steps failed, the rest were done\n"
           "  2  usage error: unknown command or option, missing argument\n"
           "  3  invalid input: rules, plan or journal file invalid\n"
           "  4  refused by a safety guard\n"
           "  5  cannot work with the account: network, TLS, authentication, permission\n"
           "  6  another run holds the lock\n";
}

CliError unknown_command(std::string_view typed) {
    std::vector<std::string_view> names{help_command};
    for (const Command& command : command_table) {
        names.push_back(command.name);
    }
    const std::string_view guess = closest_name(typed, names);
    return CliError(ExitCode::usage, "unknown command \"" + std::string(typed) + "\"",
                    guess.empty() ? "run 'gdpr-purge --help' for the list of commands"
                                  : "did you mean " + std::string(guess) + "?");
}

// Options before any command: only --help and --version (cli.md: options follow the command).
ExitCode run_global_options(const Args& args) {
    po::options_description options;
    options.add_options()("help,h", "")("version", "");
    const po::variables_map values = parse_command_line(args, options, {});
    if (values.count("help") != 0) {
        print_overview(std::cout);
    } else {
        std::cout << "gdpr-purge " << GP_VERSION << "\n";
    }
    return ExitCode::success;
}

// "help <command>" is "<command> --help", by running exactly that.
ExitCode run_help(const Args& args) {
    if (args.size() > 1) {
        throw CliError(ExitCode::usage, "too many arguments", "usage: gdpr-purge help <command>");
    }
    if (args.empty() || args[0] == help_command || args[0] == "--help" || args[0] == "-h") {
        print_overview(std::cout);
        return ExitCode::success;
    }
    const Command* command = find_command(args[0]);
    if (command == nullptr) {
        throw unknown_command(args[0]);
    }
    return command->run({"--help"});
}

}  // namespace

ExitCode run(const Args& args) {
    if (args.empty()) {
        throw CliError(ExitCode::usage, "no command given",
                       "run 'gdpr-purge --help' for the list of commands");
    }
    const Args rest(args.begin() + 1, args.end());
    if (args[0].starts_with("-")) {
        return run_global_options(args);
    }
    if (args[0] == help_command) {
        return run_help(rest);
    }
    const Command* command = find_command(args[0]);
    if (command == nullptr) {
        throw unknown_command(args[0]);
    }
    return command->run(rest);
}

std::string message_prefix(const Args& args) {
    if (!args.empty() && (args[0] == help_command || find_command(args[0]) != nullptr)) {
        return "gdpr-purge " + args[0];
    }
    return "gdpr-purge";
}

std::string_view closest_name(std::string_view typed, std::span<const std::string_view> names) {
    // Levenshtein distance, one row at a time; a guess farther than 3 edits helps nobody. Written
    // here: no library in the stack (the standard library, Boost.Algorithm) computes it.
    constexpr std::size_t max_distance = 3;
    std::string_view best;
    std::size_t best_distance = max_distance + 1;
    for (const std::string_view name : names) {
        std::vector<std::size_t> row(name.size() + 1);
        std::iota(row.begin(), row.end(), std::size_t{0});
        for (std::size_t i = 1; i <= typed.size(); ++i) {
            std::size_t diagonal = row[0];
            row[0] = i;
            for (std::size_t j = 1; j <= name.size(); ++j) {
                const std::size_t above = row[j];
                const std::size_t replace = diagonal + (typed[i - 1] == name[j - 1] ? 0 : 1);
                row[j] = std::min({above + 1, row[j - 1] + 1, replace});
                diagonal = above;
            }
        }
        if (row.back() < best_distance) {
            best_distance = row.back();
            best = name;
        }
    }
    // A truncated name ("validate") is farther than 3 edits but still means one command.
    constexpr std::size_t min_prefix = 3;
    for (const std::string_view name : names) {
        if (best.empty() && typed.size() >= min_prefix && name.starts_with(typed)) {
            best = name;
        }
    }
    return best;
}

}  // namespace gp::cli
