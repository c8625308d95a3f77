#include "run_files.hpp"

#include "output.hpp"
#include "plan_run.hpp"
#include "time/time.hpp"
#include "util/clock.hpp"

#include <numeric>

namespace gp::cli {

RunClock::RunClock()
    : started_(std::chrono::steady_clock::now()), started_at_(format_timestamp(now_seconds())) {}

RunTimes RunClock::finish() const {
    return {started_at_, format_timestamp(now_seconds()),
            seconds_between(started_, std::chrono::steady_clock::now())};
}

RunFiles::RunFiles(const std::string& report, const std::string& metrics) {
    if (!report.empty()) {
        report_ = std::make_unique<AtomicFile>(report);
    }
    if (!metrics.empty()) {
        metrics_ = std::make_unique<AtomicFile>(metrics);
    }
}

void RunFiles::write(const json::object& report, const std::vector<Metric>& figures,
                     const MetricsRun& run) {
    written_ = true;
    if (metrics_) {
        write_metrics(figures, run);
    }
    if (report_) {
        report_->stream() << to_json_text(report) << "\n";
        report_->commit();
    }
}

ExitCode RunFiles::finish(const json::object& report, const std::vector<Metric>& figures,
                          const MetricsRun& run, const std::string& failures,
                          const std::string& advice) {
    write(report, figures, run);
    if (!run.success) {
        throw CliError(ExitCode::partial_failure, failures,
                       advice.empty() ? "run " + run.command + " again to finish" : advice);
    }
    return ExitCode::success;
}

void RunFiles::write_stopped(const std::vector<Metric>& figures, MetricsRun run) noexcept {
    if (written_ || !metrics_) {
        return;
    }
    written_ = true;
    run.success = false;
    try {
        write_metrics(figures, run);
    } catch (const std::exception& error) {
        emit(Level::warning, "warning", std::string("warning: ") + error.what(),
             json::object{{"message", error.what()}});
    }
}

void RunFiles::write_metrics(const std::vector<Metric>& figures, const MetricsRun& run) {
    const auto previous = previous_last_success(metrics_->path());
    metrics_->stream() << metrics_text(figures, run, previous);
    metrics_->commit();
}

namespace {

double figure(std::int64_t value) {
    return static_cast<double>(value);
}

void add_api_metrics(std::vector<Metric>& out, const freshdesk::Counters& api) {
    out.push_back({"api_calls", "Freshdesk API calls made by the last run.", figure(api.calls)});
    out.push_back(
        {"api_credits", "Freshdesk API credits used by the last run.", figure(api.credits)});
    out.push_back({"api_rate_limited", "Answers 429 (rate limited) met by the last run.",
                   figure(api.rate_limited)});
}

double protected_contacts(const Summary& plan) {
    return figure(std::accumulate(plan.protected_counts.begin(), plan.protected_counts.end(),
                                  std::int64_t{0}));
}

void add_archive_metrics(std::vector<Metric>& out, const std::optional<ArchiveCoverage>& archive) {
    if (!archive) {
        return;
    }
    out.push_back({"archive_complete",
                   "1 when the plan knew every ticket id that may hide an archived ticket.",
                   archive->complete ? 1.0 : 0.0});
    out.push_back({"archive_ids_unprobed",
                   "Ticket ids that may hide an archived ticket, not probed yet.",
                   figure(archive->unprobed)});
    out.push_back({"archive_ids_known",
                   "Ticket ids whose state the plan knew (listed, archived or gone).",
                   figure(archive->highest_id - archive->unprobed)});
}

constexpr std::string_view protected_help =
    "Contacts the plan kept for an agent status or an exception, or held while the archive index "
    "is incomplete.";

}  // namespace

std::vector<Metric> apply_metrics(const executor::ApplyTotals& totals, const Summary& plan,
                                  const freshdesk::Counters& api,
                                  const std::optional<ArchiveCoverage>& archive) {
    std::vector<Metric> out{
        {"contacts_deleted", "Contacts deleted by the last run.", figure(totals.contacts_deleted)},
        {"tickets_deleted", "Tickets moved to the trash by the last run.",
         figure(totals.tickets_deleted)},
        {"contacts_marked", "Contacts marked for deletion after the wait by the last run.",
         figure(totals.contacts_marked)},
        {"marks_cleared", "Pending deletion marks cleared by the last run.",
         figure(totals.marks_cleared)},
        {"soft_deleted_purged", "Soft-deleted contacts purged by the last run.",
         figure(totals.soft_deleted_purged)},
        {"entries_skipped", "Plan entries skipped because the re-check found a change.",
         figure(totals.entries_skipped)},
        {"entries_failed", "Plan entries with a failed step, left for the next run.",
         figure(totals.entries_failed)},
        {"steps_failed", "Steps that failed in the last run.", figure(totals.steps_failed)},
        {"contacts_protected", protected_help, protected_contacts(plan)},
        {"archived_tickets_deleted", "Archived tickets deleted (permanently) by the last run.",
         figure(totals.archived_tickets_deleted)},
    };
    add_archive_metrics(out, archive);
    add_api_metrics(out, api);
    return out;
}

std::vector<Metric> plan_metrics(const Summary& plan, const freshdesk::Counters& api,
                                 const std::optional<ArchiveCoverage>& archive) {
    std::vector<Metric> out;
    for (const SummaryCount& count : summary_counts) {
        out.push_back({count.key, count.help, figure(plan.*count.member)});
    }
    out.push_back({"contacts_protected", protected_help, protected_contacts(plan)});
    add_archive_metrics(out, archive);
    add_api_metrics(out, api);
    return out;
}

std::vector<Metric> undo_metrics(const executor::UndoTotals& totals,
                                 const freshdesk::Counters& api) {
    std::vector<Metric> out{
        {"contacts_restored", "Soft-deleted contacts restored by the last run.",
         figure(totals.contacts_restored)},
        {"tickets_restored", "Trashed tickets restored by the last run.",
         figure(totals.tickets_restored)},
        {"contacts_not_restorable", "Contacts the journal shows hard-deleted: not restorable.",
         figure(totals.contacts_not_restorable)},
        {"tickets_not_restorable",
         "Tickets not restorable: gone with a hard-deleted contact or purged, or archived tickets "
         "(deleted permanently).",
         figure(totals.tickets_not_restorable)},
        {"tickets_lost", "Trashed tickets already purged from the trash.",
         figure(totals.tickets_lost)},
        {"steps_failed", "Steps that failed in the last run.", figure(totals.steps_failed)},
    };
    add_api_metrics(out, api);
    return out;
}

}  // namespace gp::cli
