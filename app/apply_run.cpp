#include "apply_run.hpp"

#include "apply_guards.hpp"
#include "apply_watch.hpp"
#include "executor/executor.hpp"
#include "lock.hpp"
#include "made_plan.hpp"
#include "output.hpp"
#include "plan_run.hpp"
#include "run_files.hpp"
#include "util/sha256.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

namespace gp::cli {

namespace {

constexpr std::string_view journal_suffix = ".journal.jsonl";

// The plan that apply executes and the file it came from (the journal keys its records by the
// file's SHA-256).
struct PlanSource {
    Plan plan;
    std::string path;
    std::string sha256;
};

std::string file_sha256(const std::string& path) {
    try {
        return sha256_file_hex(path);
    } catch (const std::runtime_error& error) {
        throw CliError(ExitCode::invalid_input, "cannot read " + path, error.what());
    }
}

PlanSource read_plan_source(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw CliError(ExitCode::invalid_input, "cannot read " + path, std::strerror(errno));
    }
    PlanSource source{read_plan(in), path, {}};
    source.sha256 = file_sha256(path);
    return source;
}

void emit_made_plan(const PlanSource& source) {
    const Summary& s = source.plan.header.summary;
    emit(Level::info, "plan",
         "gdpr-purge apply: plan written to " + source.path + ": read " +
             std::to_string(s.contacts_read) + " contacts and " + std::to_string(s.tickets_read) +
             " tickets; " + std::to_string(s.contacts_to_delete) + " contacts and " +
             std::to_string(s.tickets_to_delete) + " tickets to delete",
         json::object{{"plan", source.path},
                      {"plan_sha256", source.sha256},
                      {"contacts_read", s.contacts_read},
                      {"tickets_read", s.tickets_read},
                      {"contacts_to_delete", s.contacts_to_delete},
                      {"tickets_to_delete", s.tickets_to_delete}});
}

class ApplyRun {
  public:
    explicit ApplyRun(ApplyRequest request)
        : request_(std::move(request)), files_(request_.report, request_.metrics) {}

    ExitCode run();
    // An error stops the run: the metrics file still says so. Never throws.
    void stopped() noexcept;

  private:
    PlanSource make_plan(const Rules& rules);
    ExitCode execute(const PlanSource& source);
    ExitCode finish(const PlanSource& source, const std::string& journal,
                    const executor::ApplyTotals& totals);
    Guards guards() const;
    std::string journal_path(const PlanSource& source) const;
    MetricsRun metrics_run(double duration_seconds, bool success) const;
    freshdesk::Counters api() const;

    const ApplyRequest request_;
    RunClock clock_;
    RunFiles files_;
    std::unique_ptr<MadePlanName> made_name_;  // apply --rules: the plan it writes
    std::unique_ptr<AtomicFile> made_plan_;
    std::unique_ptr<Connection> connection_;
    std::unique_ptr<RunLock> lock_;
    std::unique_ptr<ApplyWatcher> watcher_;
    Summary summary_;  // the plan's, once known
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
        const PlanSource source = read_plan_source(request_.plan_file);
        check_guards(source.plan, guards());
        lock_ = std::make_unique<RunLock>(lock_path);
        return execute(source);
    }
    const RulesParseResult rules = load_rules_file(request_.rules_file);
    if (!rules.rules) {
        emit_rules_problems(request_.rules_file, rules.problems, ExitCode::invalid_input);
        stopped();
        return ExitCode::invalid_input;
    }
    lock_ = std::make_unique<RunLock>(lock_path);  // before the account is read: one run at a time
    const PlanSource source = make_plan(*rules.rules);
    check_guards(source.plan, guards());
    return execute(source);
}

// apply --rules: the plan is written before any guard (so that a refused or failed run leaves it
// to review), and its file's SHA-256 keys the journal as for apply PLAN.json.
PlanSource ApplyRun::make_plan(const Rules& rules) {
    PlanRunFacts facts;
    const PlanRequest request{request_.as_of, {}, request_.connection.concurrency};
    PlanSource source{
        read_and_evaluate(*connection_, rules, request, facts), made_plan_->path(), {}};
    write_plan(made_plan_->stream(), source.plan);
    made_plan_->commit();
    made_name_->keep();
    source.sha256 = file_sha256(source.path);
    emit_made_plan(source);
    return source;
}

ExitCode ApplyRun::execute(const PlanSource& source) {
    summary_ = source.plan.header.summary;
    executor::Journal journal(journal_path(source));
    if (isatty(STDIN_FILENO) == 1 && !request_.yes) {
        confirm_apply(source.plan, source.path,
                      entries_finished(source.plan, source.sha256, journal.existing()));
    }
    watcher_ = std::make_unique<ApplyWatcher>(connection_->client());
    executor::ApplyOptions options;
    options.concurrency = request_.connection.concurrency;
    options.on_progress = [this](const executor::ApplyProgress& p) { watcher_->on_progress(p); };
    options.on_record = [this](const executor::JournalRecord& r) { watcher_->on_record(r); };
    const executor::ApplyTotals totals =
        executor::apply_plan(connection_->client(), source.plan, source.sha256, journal, options);
    watcher_->done();
    return finish(source, journal.path(), totals);
}

ExitCode ApplyRun::finish(const PlanSource& source, const std::string& journal,
                          const executor::ApplyTotals& totals) {
    ApplyRunFacts facts;
    facts.account = connection_->account();
    facts.plan = source.path;
    facts.plan_sha256 = source.sha256;
    facts.journal = journal;
    facts.run = watcher_->run_id();
    facts.times = clock_.finish();
    facts.totals = totals;
    facts.summary = source.plan.header.summary;
    facts.api = api();
    facts.exit_code = totals.complete() ? ExitCode::success : ExitCode::partial_failure;
    emit_apply_summary(facts);
    return files_.finish(apply_report_json(facts), apply_metrics(totals, facts.summary, facts.api),
                         metrics_run(facts.times.duration_seconds, totals.complete()),
                         std::to_string(totals.entries_failed) + " entries failed");
}

void ApplyRun::stopped() noexcept {
    try {
        const executor::ApplyTotals tally = watcher_ ? watcher_->tally() : executor::ApplyTotals{};
        const RunTimes times = clock_.finish();
        files_.write_stopped(apply_metrics(tally, summary_, api()),
                             metrics_run(times.duration_seconds, false));
    } catch (...) {
        // Out of memory while reporting an error: the error itself is what main() reports.
    }
}

Guards ApplyRun::guards() const {
    return {request_.connection.account, request_.max_deletions, request_.max_plan_age,
            now_seconds(), request_.rules_file.empty()};
}

std::string ApplyRun::journal_path(const PlanSource& source) const {
    if (!request_.journal.empty()) {
        return request_.journal;
    }
    if (made_name_) {
        return made_name_->journal_path();
    }
    return source.path + std::string(journal_suffix);
}

MetricsRun ApplyRun::metrics_run(double duration_seconds, bool success) const {
    return {request_.connection.account, "apply", duration_seconds, now_seconds(), success};
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
