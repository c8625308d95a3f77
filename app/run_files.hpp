#pragma once
// What plan, apply and undo-soft share around their work: the run's clock, and its --report and
// --metrics-file. Both files are opened when the command starts (an unwritable path fails before
// anything is sent to the account) and written atomically at its end. The metrics file is written
// whatever the outcome, also when an error stops the run (success 0), so that monitoring sees
// every run; the report only when the run got to its end.
#include "cli.hpp"
#include "metrics.hpp"
#include "report.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gp::cli {

// When a run started; finish() gives its times.
class RunClock {
  public:
    RunClock();
    RunTimes finish() const;
    const std::string& started_at() const { return started_at_; }

  private:
    std::chrono::steady_clock::time_point started_;
    std::string started_at_;
};

class RunFiles {
  public:
    // "" for a file not asked for. Throws CliError (usage) when a file cannot be created.
    RunFiles(const std::string& report, const std::string& metrics);

    // The run got to its end (exit 0 or 1): the report and the metrics. Throws CliError
    // (partial_failure) when a file cannot be written.
    void write(const json::object& report, const std::vector<Metric>& figures,
               const MetricsRun& run);
    // The end of a run that got to its end: write(), then exit 0 when run.success, else CliError
    // (partial_failure) "<failures>: <advice>" ("3 entries failed: run apply again to finish";
    // advice "" says that).
    ExitCode finish(const json::object& report, const std::vector<Metric>& figures,
                    const MetricsRun& run, const std::string& failures,
                    const std::string& advice = "");
    // An error stops the run: the metrics only, with success 0, unless write() was called. Never
    // throws: the error that stopped the run is the one to report; this one is a warning.
    void write_stopped(const std::vector<Metric>& figures, MetricsRun run) noexcept;

  private:
    void write_metrics(const std::vector<Metric>& figures, const MetricsRun& run);

    std::unique_ptr<AtomicFile> report_;
    std::unique_ptr<AtomicFile> metrics_;
    bool written_ = false;
};

// Runs an apply or undo-soft run: run.run(), and when an error stops it, run.stopped() (the
// metrics file says so; never throws) before the error goes on to main().
template <class Run>
ExitCode run_to_end(Run& run) {
    try {
        return run.run();
    } catch (...) {
        run.stopped();
        throw;
    }
}

// The figures of --metrics-file (metrics.hpp): apply's, with the plan's protected contacts.
std::vector<Metric> apply_metrics(const executor::ApplyTotals& totals, const Summary& plan,
                                  const freshdesk::Counters& api,
                                  const std::optional<ArchiveCoverage>& archive = std::nullopt);
// plan's: what the plan would do, what it read and what the reading cost.
std::vector<Metric> plan_metrics(const Summary& plan, const freshdesk::Counters& api,
                                 const std::optional<ArchiveCoverage>& archive);
std::vector<Metric> undo_metrics(const executor::UndoTotals& totals,
                                 const freshdesk::Counters& api);

}  // namespace gp::cli
