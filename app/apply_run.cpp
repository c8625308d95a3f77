#include "apply_run.hpp"

#include "apply_guards.hpp"
#include "apply_resume.hpp"
#include "apply_watch.hpp"
#include "executor/executor.hpp"
#include "lock.hpp"
#include "made_plan.hpp"
#include "output.hpp"
#include "plan_run.hpp"
#include "run_files.hpp"
#include "util/clock.hpp"

#include <unistd.h>

#include <algorithm>
#include <memory>

namespace gp::cli {

namespace {

constexpr std::string_view journal_suffix = ".journal.jsonl";

// The plan that apply executes: the file, held open and read entry by entry (the journal keys its
// records by the file's SHA-256).
struct PlanSource {
    std::unique_ptr<StreamedPlan> file;
    const PlanOutline& outline() const { return file->outline(); }
    const std::string& path() const { return file->path(); }
};

// The work a resumed run did in this run (steps, deletions, failures) added to `totals` for the
// metrics; not its entry counts, which include what earlier runs of that plan did.
void add_work(executor::ApplyTotals& totals, const executor::ApplyTotals& resumed) {
    totals.entries_failed += resumed.entries_failed;
    totals.contacts_deleted += resumed.contacts_deleted;
    totals.tickets_deleted += resumed.tickets_deleted;
    totals.archived_tickets_deleted += resumed.archived_tickets_deleted;
    totals.contacts_marked += resumed.contacts_marked;
    totals.marks_cleared += resumed.marks_cleared;
    totals.soft_deleted_purged += resumed.soft_deleted_purged;
    totals.steps_done += resumed.steps_done;
    totals.steps_failed += resumed.steps_failed;
    totals.bulk_jobs += resumed.bulk_jobs;
    totals.looks += resumed.looks;
    totals.entries_reread += resumed.entries_reread;
    totals.longest_look_window_ms =
        std::max(totals.longest_look_window_ms, resumed.longest_look_window_ms);
}

void emit_made_plan(const PlanSource& source) {
    const Summary& s = source.outline().header.summary;
    emit(Level::info, "plan",
         "gdpr-purge apply: plan written to " + source.path() + ": read " +
             std::to_string(s.contacts_read) + " contacts and " + std::to_string(s.tickets_read) +
             " tickets; " + std::to_string(s.contacts_to_delete) + " contacts and " +
             std::to_string(s.tickets_to_delete) + " tickets to delete, " +
             std::to_string(s.archived_tickets_to_delete) + " archived tickets permanently",
         json::object{{"plan", source.path()},
                      {"plan_sha256", source.outline().sha256},
                      {"contacts_read", s.contacts_read},
                      {"tickets_read", s.tickets_read},
                      {"contacts_to_delete", s.contacts_to_delete},
                      {"tickets_to_delete", s.tickets_to_delete},
                      {"archived_tickets_to_delete", s.archived_tickets_to_delete}});
}

class ApplyRun {
  public:
    explicit ApplyRun(ApplyRequest request)
        : request_(std::move(request)), files_(request_.report, request_.metrics) {}

    ExitCode run();
    // An error stops the run: the metrics file still says so. Never throws.
    void stopped() noexcept;

  private:
    void resume_unfinished(const Rules& rules);
    PlanSource make_plan(const Rules& rules);
    ExitCode execute(const PlanSource& source);
    // Confirms (on a terminal), then opens the journal and executes the plan.
    executor::ApplyTotals apply(const StreamedPlan& plan, const std::string& journal_path);
    ExitCode finish(const PlanSource& source, const std::string& journal,
                    const executor::ApplyTotals& totals);
    Guards guards() const;
    std::string journal_path(const PlanSource& source) const;
    MetricsRun metrics_run(double duration_seconds, RunEnd end) const;
    freshdesk::Counters api() const;

    const ApplyRequest request_;
    RunClock clock_;
    RunFiles files_;
    std::unique_ptr<MadePlanName> made_name_;  // apply --rules: the plan it writes
    std::unique_ptr<AtomicFile> made_plan_;
    std::unique_ptr<Connection> connection_;
    std::unique_ptr<RunLock> lock_;
    std::unique_ptr<archive::Index> archive_;  // opened once the lock is held
    std::unique_ptr<ApplyWatcher> watcher_;
    Summary summary_;                                  // the plan's, once known
    std::optional<ArchiveCoverage> archive_coverage_;  // idem
    std::vector<ResumedRunFacts> resumed_;
    std::vector<NotResumed> not_resumed_;
};

ExitCode ApplyRun::run() {
    const bool from_rules = !request_.rules_file.empty();
    if (from_rules) {
        made_name_ = std::make_unique<MadePlanName>(now_seconds());
        made_plan_ = std::make_unique<AtomicFile>(made_name_->plan_path());
    }
    connection_ = std::make_unique<Connection>(request_.connection, retry_logger());
    const std::string lock_path = request_.lock_file.empty()
                                      ? default_lock_path(request_.connection.account)
                                      : request_.lock_file;
    if (!from_rules) {
        const PlanSource source{open_plan(request_.plan_file)};
        check_guards(source.outline(), guards());
        lock_ = std::make_unique<RunLock>(lock_path);
        archive_ = open_archive_index("apply", request_.archive, connection_->account());
        return execute(source);
    }
    const RulesParseResult rules = load_rules_file(request_.rules_file);
    if (!rules.rules) {
        emit_rules_problems(request_.rules_file, rules.problems, ExitCode::invalid_input);
        stopped();
        return ExitCode::invalid_input;
    }
    lock_ = std::make_unique<RunLock>(lock_path);  // before the account is read: one run at a time
    archive_ = open_archive_index("apply", request_.archive, connection_->account());
    resume_unfinished(*rules.rules);
    const PlanSource source = make_plan(*rules.rules);
    check_guards(source.outline(), guards());
    return execute(source);
}

// apply --rules: the earlier runs of this account in this directory that were left unfinished are
// finished first, through their own plans and journals (apply_resume.hpp), so that the new plan
// reads the account as they leave it.
void ApplyRun::resume_unfinished(const Rules& rules) {
    ResumeScan scan =
        find_unfinished_runs({".", connection_->account(), rules_sha256(rules),
                              request_.max_deletions, now_seconds(), made_name_->plan_path()});
    for (const NotResumed& run : scan.not_resumed) {
        emit_not_resumed(run);
    }
    not_resumed_ = std::move(scan.not_resumed);
    for (UnfinishedRun& run : scan.resume) {
        emit_resume_start(run);
        ResumedRunFacts facts{.plan = run.plan_path,
                              .plan_sha256 = run.plan_sha256,
                              .journal = run.journal_path,
                              .totals = {},
                              .run = {}};
        try {
            facts.totals = apply(*run.plan, run.journal_path);
        } catch (...) {
            // What stops the whole run (a refused key, a journal that cannot be written) is
            // reported by main(); this says where it happened.
            emit(Level::warning, "resume_stopped",
                 "gdpr-purge apply: stopped while resuming " + run.plan_path + " (journal " +
                     run.journal_path + ")",
                 json::object{{"plan", run.plan_path}, {"journal", run.journal_path}});
            throw;
        }
        facts.run = watcher_->run_id();
        emit_resumed(facts);
        resumed_.push_back(std::move(facts));
    }
}

// apply --rules: the plan is written before any guard (so that a refused or failed run leaves it
// to review), and its file's SHA-256 keys the journal as for apply PLAN.json.
PlanSource ApplyRun::make_plan(const Rules& rules) {
    PlanRunFacts facts;
    const PlanRequest request{request_.as_of,
                              {},
                              request_.connection.concurrency,
                              archive_.get(),
                              request_.archive.budget};
    write_plan(made_plan_->stream(), read_and_evaluate(*connection_, rules, request, facts));
    made_plan_->commit();
    made_name_->keep();
    // Carried out from the file, as a saved plan is: what was written is what is applied, and the
    // plan in memory is not kept while it is.
    PlanSource source{open_plan(made_plan_->path())};
    emit_made_plan(source);
    return source;
}

ExitCode ApplyRun::execute(const PlanSource& source) {
    summary_ = source.outline().header.summary;
    archive_coverage_ = source.outline().header.archive;
    const std::string journal = journal_path(source);
    return finish(source, journal, apply(*source.file, journal));
}

executor::ApplyTotals ApplyRun::apply(const StreamedPlan& plan, const std::string& journal_path) {
    const EntryStream entries = plan.entries();
    const PlanOutline& outline = plan.outline();
    if (isatty(STDIN_FILENO) == 1 && !request_.yes) {
        confirm_apply(outline, plan.path(),
                      executor::entries_finished(
                          entries, outline.sha256,
                          executor::read_journal(journal_path, executor::MissingJournal::empty)));
    }
    // Opened after the confirmation: a plan declined (or refused by a guard) leaves no journal,
    // which tells a later apply --rules that nothing of it was begun.
    executor::Journal journal(journal_path);
    if (!watcher_) {
        watcher_ = std::make_unique<ApplyWatcher>(connection_->client());
    }
    watcher_->next_plan();
    executor::ApplyOptions options;
    options.concurrency = request_.connection.concurrency;
    options.on_progress = [this](const executor::ApplyProgress& p) { watcher_->on_progress(p); };
    options.on_record = [this](const executor::JournalRecord& r) { watcher_->on_record(r); };
    // Apply's re-check sees the archived tickets the index knows, and each archived ticket it
    // deletes is gone for good: the index learns it at once (docs/apply.md).
    options.archived_of = [this](Id requester) { return archive_->archived_of(requester); };
    options.on_archived_gone = [this](Id ticket) { archive_->add_gone(ticket); };
    options.probe_archived = outline.header.archive && outline.header.archive->feature == true;
    options.on_archived_found = [this](const TicketRecord& t) { archive_->add_archived(t); };
    executor::ApplyTotals totals;
    try {
        totals = executor::apply_plan(connection_->client(), outline.header, entries,
                                      outline.sha256, journal, options);
    } catch (...) {
        sign_journal(journal, request_.sign_key,
                     Signing::stopping);  // what the run wrote before it stopped
        throw;
    }
    archive_->flush();  // before the signature: a failure to sign loses nothing the index learnt
    watcher_->done();
    sign_journal(journal, request_.sign_key);  // also when steps failed (exit 1)
    return totals;
}

ExitCode ApplyRun::finish(const PlanSource& source, const std::string& journal,
                          const executor::ApplyTotals& totals) {
    ApplyRunFacts facts;
    facts.account = connection_->account();
    facts.plan = source.path();
    facts.plan_sha256 = source.outline().sha256;
    facts.journal = journal;
    facts.run = watcher_->run_id();
    facts.times = clock_.finish();
    facts.totals = totals;
    facts.summary = source.outline().header.summary;
    facts.api = api();
    facts.resumed = resumed_;
    facts.not_resumed = not_resumed_;
    executor::ApplyTotals all = totals;  // the metrics count the resumed runs' work too
    for (const ResumedRunFacts& run : resumed_) {
        add_work(all, run.totals);
    }
    const bool success = all.complete() && not_resumed_.empty();
    facts.exit_code = success ? ExitCode::success : ExitCode::partial_failure;
    emit_apply_summary(facts);
    std::string failures;
    std::string advice;
    if (!all.complete()) {
        failures = std::to_string(all.entries_failed) + " entries failed";
    }
    if (!not_resumed_.empty()) {
        failures +=
            std::string(failures.empty() ? "" : ", and ") +
            "earlier runs left unfinished and not resumed: " + std::to_string(not_resumed_.size()) +
            " (see the warnings)";
        advice = all.complete() ? "finish them by hand, or move them out of this directory"
                                : "run apply again, and finish by hand (or move away) the runs "
                                  "not resumed";
    }
    return files_.finish(
        apply_report_json(facts), apply_metrics(all, facts.summary, facts.api, archive_coverage_),
        metrics_run(facts.times.duration_seconds, success ? RunEnd::succeeded : RunEnd::failed),
        failures, advice);
}

void ApplyRun::stopped() noexcept {
    try {
        const executor::ApplyTotals tally = watcher_ ? watcher_->tally() : executor::ApplyTotals{};
        const RunTimes times = clock_.finish();
        files_.write_stopped(apply_metrics(tally, summary_, api(), archive_coverage_),
                             metrics_run(times.duration_seconds, RunEnd::failed));
    } catch (...) {
        // Out of memory while reporting an error: the error itself is what main() reports.
    }
}

Guards ApplyRun::guards() const {
    return {.account = request_.connection.account,
            .max_deletions = request_.max_deletions,
            .max_plan_age = request_.max_plan_age,
            .now = now_seconds(),
            .saved_plan = request_.rules_file.empty()};
}

std::string ApplyRun::journal_path(const PlanSource& source) const {
    if (!request_.journal.empty()) {
        return request_.journal;
    }
    if (made_name_) {
        return made_name_->journal_path();
    }
    return source.path() + std::string(journal_suffix);
}

MetricsRun ApplyRun::metrics_run(double duration_seconds, RunEnd end) const {
    return {.account = request_.connection.account,
            .command = "apply",
            .duration_seconds = duration_seconds,
            .finished_at = now_seconds(),
            .success = end == RunEnd::succeeded};
}

freshdesk::Counters ApplyRun::api() const {
    return connection_ ? connection_->client().counters() : freshdesk::Counters{};
}

}  // namespace

ExitCode execute_apply(const ApplyRequest& request) {
    ApplyRun run(request);
    return run_to_end(run);
}

}  // namespace gp::cli
