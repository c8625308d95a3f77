// gdpr-purge undo-soft JOURNAL.jsonl: restores what an apply journal says was soft-deleted,
// newest first, and journals its own steps (docs/cli.md, "undo-soft"). Hard deletions cannot be
// undone: they are reported, not failed.
#include "cli.hpp"
#include "connection.hpp"
#include "executor/executor.hpp"
#include "lock.hpp"
#include "options.hpp"
#include "output.hpp"
#include "plan_run.hpp"
#include "run_files.hpp"
#include "sign_key.hpp"
#include "util/clock.hpp"
#include "util/sha256.hpp"

#include <memory>

namespace gp::cli {

namespace {

constexpr std::string_view command_name = "undo-soft";

constexpr CommandHelp help{
    "undo-soft",
    "JOURNAL.jsonl [options]",
    "Restores what an apply journal records as soft-deleted, newest first: contacts (restored,\n"
    "then the tag that marked them deleted by gdpr-purge removed, other tags kept) and trashed\n"
    "tickets. Its own steps go to a journal of their own; running it again repeats none that is\n"
    "done, and an object already live counts as restored. Hard deletions, and tickets purged\n"
    "from Freshdesk's trash (after 30 days), cannot be restored: they are reported as warnings.\n"
    "With --sign-key, its own journal ends with a signature line (see gdpr-purge verify).\n"
    "It takes the same lock as apply. On a terminal, standard error shows a summary; otherwise\n"
    "(cron) only warnings and errors, and with -v the summary's first line.\n"
    "The API key comes from FRESHDESK_API_KEY or --api-key-file, never from the command line.",
    "  JOURNAL.jsonl   the journal of the apply run(s) to undo\n",
    "gdpr-purge undo-soft plan.json.journal.jsonl --domain acme --api-key-file ~/.freshdesk-key",
    "  0  everything restorable was restored; hard deletions and lost tickets are reported\n"
    "  1  partial failure: some restores failed; run undo-soft again to finish. Also: its\n"
    "     journal, the report or the metrics file could not be written\n"
    "  2  usage error: unknown option, missing JOURNAL.jsonl, no account, no API key, plain\n"
    "     http to a host that is not loopback, a file that cannot be created\n"
    "  3  invalid input: a journal is invalid (the message says where), or the --sign-key\n"
    "     file is no unencrypted PEM Ed25519 private key (nothing is sent)\n"
    "  4  refused: the journal is for another account\n"
    "  5  cannot work with the account: network, TLS, the API key refused, missing permission\n"
    "  6  another gdpr-purge run holds the lock of this account\n",
};

struct UndoRequest {
    std::string source;   // the apply journal
    std::string journal;  // this run's own
    SignKey sign_key;     // --sign-key: signs this run's own journal; null: none
    std::string lock_file;
    std::string report;
    std::string metrics;
    ConnectionSettings connection;
};

po::options_description undo_options() {
    po::options_description options("options");
    auto add = options.add_options();
    add("help,h", "print this help and exit (default: off)");
    add("journal", po::value<std::string>()->value_name("FILE"),
        "journal this run to FILE (default: JOURNAL.jsonl.undo.jsonl)");
    add_sign_key_option(options);
    add_run_file_options(options);
    add_output_options(options, "a line per object restored and retries");
    add_connection_options(options);
    return options;
}

UndoRequest read_undo_request(const po::variables_map& values) {
    UndoRequest request;
    request.source = required_argument(values, help, "source-journal");
    request.journal = given(values, "journal");
    if (request.journal.empty()) {
        request.journal = request.source + ".undo.jsonl";
    }
    request.sign_key = read_sign_key(command_name, values);
    request.lock_file = given(values, "lock-file");
    request.report = given(values, "report");
    request.metrics = given(values, "metrics-file");
    request.connection = read_connection_settings(command_name, values);
    return request;
}

// Records of an older journal may carry no account: only those that name one are compared.
void check_account(const std::vector<executor::JournalRecord>& records, const std::string& path,
                   const std::string& account) {
    for (const executor::JournalRecord& record : records) {
        if (!record.account.empty() && record.account != account) {
            throw CliError(ExitCode::refused,
                           "journal " + path + " is for account " + record.account +
                               ", this run is configured for " + account,
                           "run undo-soft against " + record.account);
        }
    }
}

std::string journal_sha256(const std::string& path) {
    try {
        return sha256_file_hex(path);
    } catch (const std::runtime_error& error) {
        throw CliError(ExitCode::invalid_input, "cannot read " + path, error.what());
    }
}

class UndoRun {
  public:
    explicit UndoRun(UndoRequest request)
        : request_(std::move(request)), files_(request_.report, request_.metrics) {}

    ExitCode run();
    void stopped() noexcept;

  private:
    ExitCode finish(const executor::UndoTotals& totals, const std::string& own);
    MetricsRun metrics_run(double duration_seconds, RunEnd end) const {
        return {.account = request_.connection.account,
                .command = std::string(command_name),
                .duration_seconds = duration_seconds,
                .finished_at = now_seconds(),
                .success = end == RunEnd::succeeded};
    }
    freshdesk::Counters api() const {
        return connection_ ? connection_->client().counters() : freshdesk::Counters{};
    }

    const UndoRequest request_;
    RunClock clock_;
    RunFiles files_;
    std::unique_ptr<Connection> connection_;
};

ExitCode UndoRun::run() {
    connection_ = std::make_unique<Connection>(request_.connection, retry_logger());
    const auto records = executor::read_journal(request_.source);
    const std::string sha256 = journal_sha256(request_.source);
    check_account(records, request_.source, request_.connection.account);
    const RunLock lock(request_.lock_file.empty() ? default_lock_path(request_.connection.account)
                                                  : request_.lock_file);
    executor::Journal own(request_.journal);
    executor::UndoOptions options;
    options.account = request_.connection.account;
    options.now = now_seconds();
    options.concurrency = request_.connection.concurrency;
    options.on_record = [](const executor::JournalRecord& record) { emit_journal_record(record); };
    executor::UndoTotals totals;
    try {
        totals = executor::undo_soft(connection_->client(), records, sha256, own, options);
    } catch (...) {
        sign_journal(own, request_.sign_key, Signing::stopping);
        throw;
    }
    sign_journal(own, request_.sign_key);
    return finish(totals, own.path());
}

ExitCode UndoRun::finish(const executor::UndoTotals& totals, const std::string& own) {
    UndoRunFacts facts;
    facts.account = request_.connection.account;
    facts.journal = request_.source;
    facts.undo_journal = own;
    facts.times = clock_.finish();
    facts.totals = totals;
    facts.api = api();
    facts.exit_code = totals.complete() ? ExitCode::success : ExitCode::partial_failure;
    emit_undo_summary(facts);
    return files_.finish(undo_report_json(facts), undo_metrics(totals, facts.api),
                         metrics_run(facts.times.duration_seconds,
                                     totals.complete() ? RunEnd::succeeded : RunEnd::failed),
                         std::to_string(totals.steps_failed) + " steps failed");
}

void UndoRun::stopped() noexcept {
    try {
        files_.write_stopped(undo_metrics({}, api()),
                             metrics_run(clock_.finish().duration_seconds, RunEnd::failed));
    } catch (...) {
        // Out of memory while reporting an error: the error itself is what main() reports.
    }
}

}  // namespace

ExitCode run_undo_soft(const Args& args) {
    const po::options_description visible = undo_options();
    const auto values =
        parse_command(args, {.help = help, .visible = visible, .argument = "source-journal"});
    if (!values) {
        return ExitCode::success;  // --help
    }
    UndoRun run(read_undo_request(*values));
    return run_to_end(run);
}

}  // namespace gp::cli
