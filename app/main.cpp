// The one place that catches what stops a command, reports it and turns it into an exit code
// (docs/cli.md, "Exit codes"). Messages come out in the format the command set (output.hpp).
#include "cli.hpp"
#include "engine/engine.hpp"
#include "executor/journal.hpp"
#include "freshdesk/client.hpp"
#include "freshdesk/read.hpp"
#include "http/http.hpp"
#include "options.hpp"
#include "output.hpp"
#include "plan/plan.hpp"

#include <string>
#include <string_view>

namespace {

using gp::cli::ExitCode;

int fail(const std::string& prefix, const std::string& message, ExitCode code) {
    gp::cli::emit_error(prefix, message, code);
    return static_cast<int>(code);
}

std::string api_message(const gp::freshdesk::ApiError& error) {
    if (error.status() == 401) {
        return std::string("the API key was refused: ") + error.what();
    }
    if (error.status() == 403) {
        return std::string("permission denied (an admin's API key is needed): ") + error.what();
    }
    return error.what();
}

int rules_problems(const gp::RulesResolutionError& error) {
    const std::string& file = gp::cli::output_settings().rules_file;
    gp::cli::emit_rules_problems(file.empty() ? "rules" : file, error.problems(),
                                 ExitCode::invalid_input);
    return static_cast<int>(ExitCode::invalid_input);
}

// "plan.json: entries[3].steps[0].action: ...": the plan reader's messages say where in the file.
std::string in_plan_file(const std::string& message) {
    const std::string& file = gp::cli::output_settings().plan_file;
    return file.empty() ? message : file + ": " + message;
}

}  // namespace

int main(int argc, char** argv) {
    const gp::cli::Args args(argv + 1, argv + argc);
    const std::string prefix = gp::cli::message_prefix(args);
    try {
        return static_cast<int>(gp::cli::run(args));
    } catch (const gp::cli::CliError& error) {
        return fail(prefix,
                    error.why().empty() ? error.what() : error.what() + (": " + error.why()),
                    error.code());
    } catch (const boost::program_options::error& error) {
        return fail(prefix,
                    gp::cli::describe(error) + ": run '" + prefix + " --help' for its usage",
                    ExitCode::usage);
    } catch (const gp::http::ConfigError& error) {
        return fail(prefix, error.what(), ExitCode::usage);  // before any request
    } catch (const gp::freshdesk::KeyError& error) {
        return fail(prefix, error.what(), ExitCode::usage);
    } catch (const gp::RulesResolutionError& error) {
        return rules_problems(error);
    } catch (const gp::PlanFormatError& error) {
        return fail(prefix, in_plan_file(error.what()), ExitCode::invalid_input);
    } catch (const gp::PlanVersionError& error) {
        return fail(prefix, in_plan_file(error.what()), ExitCode::refused);
    } catch (const gp::executor::JournalFormatError& error) {
        return fail(prefix, error.what(), ExitCode::invalid_input);
    } catch (const gp::executor::JournalWriteError& error) {
        return fail(prefix, std::string("cannot write the journal: ") + error.what(),
                    ExitCode::partial_failure);
    } catch (const gp::freshdesk::ApiError& error) {
        return fail(prefix, api_message(error), ExitCode::account);
    } catch (const gp::freshdesk::TransportError& error) {
        return fail(prefix, std::string("cannot reach the account: ") + error.what(),
                    ExitCode::account);
    } catch (const gp::freshdesk::FormatError& error) {
        return fail(prefix, std::string("unexpected answer from the account: ") + error.what(),
                    ExitCode::account);
    } catch (const std::exception& error) {
        // Not expected; exit 1 like any failure that a run may repair, and say it is a bug.
        return fail(prefix, std::string("internal error: ") + error.what(),
                    ExitCode::partial_failure);
    }
}
