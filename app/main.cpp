// The one place that catches what stops a command, reports it and turns it into an exit code.
#include "cli.hpp"
#include "options.hpp"

#include <iostream>

int main(int argc, char** argv) {
    using gp::cli::ExitCode;
    const gp::cli::Args args(argv + 1, argv + argc);
    const std::string prefix = gp::cli::message_prefix(args);
    try {
        return static_cast<int>(gp::cli::run(args));
    } catch (const gp::cli::CliError& error) {
        std::cerr << prefix << ": " << error.what()
                  << (error.why().empty() ? "" : ": " + error.why()) << "\n";
        return static_cast<int>(error.code());
    } catch (const boost::program_options::error& error) {
        std::cerr << prefix << ": " << gp::cli::describe(error) << ": run '" << prefix
                  << " --help' for its usage\n";
        return static_cast<int>(ExitCode::usage);
    } catch (const std::exception& error) {
        // Not expected; exit 1 like any failure that a run may repair, and say it is a bug.
        std::cerr << prefix << ": internal error: " << error.what() << "\n";
        return static_cast<int>(ExitCode::partial_failure);
    }
}
