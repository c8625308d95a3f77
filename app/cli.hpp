#pragma once
// The command line's building blocks: exit codes (docs/cli.md), the error that main() reports,
// and the table of subcommands.
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gp::cli {

// docs/cli.md, "Exit codes".
enum class ExitCode : int {
    success = 0,
    partial_failure = 1,
    usage = 2,
    invalid_input = 3,
    refused = 4,
    account = 5,
    locked = 6,
};

// An error that stops the command. main() prints "gdpr-purge <command>: <what>: <why>" and exits
// with code().
class CliError : public std::runtime_error {
  public:
    CliError(ExitCode code, const std::string& what, std::string why)
        : std::runtime_error(what), code_(code), why_(std::move(why)) {}
    ExitCode code() const noexcept { return code_; }
    const std::string& why() const noexcept { return why_; }

  private:
    ExitCode code_;
    std::string why_;
};

using Args = std::vector<std::string>;

// A subcommand: `run` gets the arguments after the command's name and handles its own --help.
struct Command {
    std::string_view name;
    std::string_view summary;
    ExitCode (*run)(const Args& args);
};

// Runs a whole command line (without argv[0]): a subcommand, help, --help or --version.
ExitCode run(const Args& args);

// The name error messages start with: "gdpr-purge validate-rules", or "gdpr-purge" when the
// command line names no known command.
std::string message_prefix(const Args& args);

// Closest name in `names` within a small edit distance, or "" (for "did you mean ...?").
std::string_view closest_name(std::string_view typed, std::span<const std::string_view> names);

// The subcommands (one cmd_<name>.cpp each).
ExitCode run_validate_rules(const Args& args);
ExitCode run_explain(const Args& args);
ExitCode run_plan(const Args& args);
ExitCode run_apply(const Args& args);
ExitCode run_undo_soft(const Args& args);
ExitCode run_review(const Args& args);
ExitCode run_verify(const Args& args);

}  // namespace gp::cli
