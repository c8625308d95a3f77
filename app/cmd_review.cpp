// gdpr-purge review PLAN.json [--journal J]... --out review.html: the plan, and what its journals
// say was done, as one self-contained HTML page for the people who sign a purge off
// (docs/review.md). Reads files only: no account, no network.
#include "apply_resume.hpp"
#include "cli.hpp"
#include "options.hpp"
#include "plan_run.hpp"
#include "report.hpp"
#include "review/review.hpp"
#include "util/clock.hpp"
#include "util/sha256.hpp"

#include <iostream>

namespace gp::cli {

namespace {

constexpr std::string_view command_name = "review";

constexpr CommandHelp help{
    "review",
    "PLAN.json [--journal JOURNAL]... [--out review.html]",
    "Writes one self-contained HTML page (no network, no external file) that shows the plan to\n"
    "the people who sign a purge off: what will happen, in sentences and counts; what each rule\n"
    "takes and why, with a chart of the account's tickets by age against its threshold; the\n"
    "protected and held contacts and why; the forecast (plan --forecast); and a searchable,\n"
    "sortable table of every entry, permanent steps marked. With --journal: what was done,\n"
    "skipped or failed, when, and what undo-soft could still restore. Reads files only.",
    "  PLAN.json   the plan to show\n",
    "gdpr-purge review plan.json --journal plan.json.journal.jsonl --out review.html",
    "  0  the page was written\n"
    "  1  the page could not be written completely (disk full, ...)\n"
    "  2  usage error: unknown option, missing PLAN.json, an --out path that cannot be created\n"
    "  3  the plan or a journal cannot be read or is not one, or a journal belongs to another\n"
    "     plan: the file (and line) and what is wrong; nothing is written\n"
    "  4  the plan is of a format version this gdpr-purge does not read\n",
};

po::options_description review_options() {
    po::options_description options("options");
    auto add = options.add_options();
    add("help,h", "print this help and exit (default: off)");
    add("journal", po::value<std::vector<std::string>>()->value_name("FILE"),
        "a journal of the plan (apply's, or undo-soft's of such a journal); repeatable "
        "(default: none)");
    add("out", po::value<std::string>()->value_name("FILE"),
        "write the page to FILE, atomically (default: standard output)");
    add_log_format_option(options);
    return options;
}

// Every line must be of this plan, or an undo-soft line of one of the journals given: a journal
// of another plan is a mistake to say, not to draw as "nothing done".
void check_journal(const review::JournalFile& file, const std::string& plan_sha256,
                   const std::vector<review::JournalFile>& all) {
    for (std::size_t i = 0; i < file.records.size(); ++i) {
        const executor::JournalRecord& record = file.records[i];
        if (record.source_sha256 == plan_sha256) {
            return;
        }
        for (const review::JournalFile& other : all) {
            if (record.source == executor::JournalSource::journal &&
                record.source_sha256 == other.sha256) {
                return;
            }
        }
    }
    if (!file.records.empty() && file.records.front().source == executor::JournalSource::journal) {
        throw CliError(ExitCode::invalid_input,
                       file.name + ":1: an undo-soft journal of no journal given here",
                       "it names journal_sha256 " +
                           file.records.front().source_sha256.substr(0, 12) +
                           "...: give the apply journal it undid, as it was when undo-soft read it "
                           "(a journal that grew since has another SHA-256)");
    }
    if (!file.records.empty()) {
        throw CliError(ExitCode::invalid_input, file.name + ":1: a journal of another plan",
                       "its lines name " + std::string(to_string(file.records.front().source)) +
                           " " + file.records.front().source_sha256.substr(0, 12) +
                           "..., this plan's SHA-256 is " + plan_sha256.substr(0, 12) + "...");
    }
}

}  // namespace

ExitCode run_review(const Args& args) {
    const po::options_description visible = review_options();
    const auto values = parse_command(
        args, {.help = help, .visible = visible, .argument = "plan", .plan_option = "plan"});
    if (!values) {
        return ExitCode::success;  // --help
    }
    const std::string plan_path = required_argument(*values, help, "plan");
    const std::string out_path = given(*values, "out") == "-" ? "" : given(*values, "out");
    std::vector<std::string> journal_paths;
    if (values->count("journal") != 0) {
        journal_paths = (*values)["journal"].as<std::vector<std::string>>();
    }

    // Everything is read and checked before the page is opened: bad input writes nothing.
    Plan whole;  // the page shows every entry
    const std::unique_ptr<StreamedPlan> plan = open_plan(plan_path, collect_into(whole));
    review::ReviewInput input{
        std::move(whole), plan_path, plan->outline().sha256, {}, now_seconds()};
    for (const std::string& path : journal_paths) {
        auto records = executor::read_journal(path);
        input.journals.push_back({path, sha256_file_hex(path), std::move(records)});
    }
    for (const review::JournalFile& file : input.journals) {
        check_journal(file, input.plan_sha256, input.journals);
    }
    if (out_path.empty()) {
        review::write_review(std::cout, input);
        return ExitCode::success;
    }
    AtomicFile out(out_path);
    review::write_review(out.stream(), input);
    out.commit();
    return ExitCode::success;
}

}  // namespace gp::cli
