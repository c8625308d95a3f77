// gdpr-purge verify JOURNAL [--plan PLAN] [--public-key FILE]: checks a journal's chain, that it
// belongs to a plan, and its signatures (docs/apply.md, "Checking a journal: verify"). Reads only:
// nothing is written, no account is contacted. The checks are lib/executor/verify.cpp.
#include "cli.hpp"
#include "executor/verify.hpp"
#include "options.hpp"
#include "output.hpp"
#include "util/ed25519.hpp"

#include <iostream>

namespace gp::cli {

namespace {

constexpr std::string_view command_name = "verify";

constexpr CommandHelp help{
    "verify",
    "JOURNAL.jsonl [--plan PLAN.json] [--public-key FILE]",
    "Checks a journal written by apply or undo-soft, offline, and writes nothing. Each line\n"
    "carries the SHA-256 of the line before it (\"prev\"; the first line, its plan's hash): a\n"
    "line changed, removed, added or moved breaks the chain, and verify names the line where it\n"
    "breaks. With --plan, the journal must hold lines of that plan (the SHA-256 of the plan file)\n"
    "and each step they record must be one the plan holds (lines of other plans in the same file\n"
    "are chained and counted, not checked against it). With --public-key, every signature line\n"
    "(apply --sign-key) must be valid for that Ed25519 key and the journal must end with one.\n"
    "A journal written before the chain existed has no \"prev\": verify reads it and says it is\n"
    "unchained, which offers no tamper evidence. The report goes to standard output; a failure\n"
    "is one line on standard error, \"JOURNAL.jsonl:<line>: <what is wrong>\".",
    "  JOURNAL.jsonl   the journal to check\n",
    "gdpr-purge verify plan.json.journal.jsonl --plan plan.json --public-key journal-key.pub",
    "  0  the journal is intact (chained or, written before the chain, unchained: the report\n"
    "     says which), and with --plan and --public-key belongs to the plan and ends signed\n"
    "  2  usage error: unknown option, missing or extra argument\n"
    "  3  the journal fails a check (the message names the line), is no journal, or cannot be\n"
    "     read; the plan or the public key file cannot be read or is invalid; with\n"
    "     --public-key, a journal with unchained lines (no signature can cover them)\n"
    "  4  the plan is of a format version this gdpr-purge does not read\n",
};

po::options_description verify_options() {
    po::options_description options("options");
    auto add = options.add_options();
    add("help,h", "print this help and exit (default: off)");
    add("plan", po::value<std::string>()->value_name("FILE"),
        "also check that the journal belongs to this plan and records only its steps "
        "(default: none)");
    add("public-key", po::value<std::string>()->value_name("FILE"),
        "check every signature line with this PEM Ed25519 public key, and that the journal "
        "ends signed (default: none: signatures are counted, not checked)");
    add_log_format_option(options);
    return options;
}

std::string count(std::size_t n, std::string_view one, std::string_view many) {
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string chain_text(const executor::VerifyReport& r) {
    switch (r.chain()) {
        case executor::ChainState::empty:
            return "chain: no line";
        case executor::ChainState::unchained:
            return "chain: UNCHAINED: no line carries \"prev\" (written before the chain existed): "
                   "no tamper evidence";
        case executor::ChainState::chained:
            return "chain: every line chained and intact";
        case executor::ChainState::mixed:
            return "chain: MIXED: lines 1-" + std::to_string(r.first_chained - 1) +
                   " unchained (written before the chain existed: no tamper evidence), lines " +
                   std::to_string(r.first_chained) + "-" + std::to_string(r.lines) +
                   " chained and intact";
    }
    return {};
}

std::string signatures_text(const executor::VerifyReport& r, bool checked) {
    if (r.signatures.empty()) {
        return "signatures: none";
    }
    std::string text =
        "signatures: " + std::to_string(r.signatures.size()) +
        (checked ? ", each valid for key " + r.key_id : ", not checked (no --public-key)");
    // Lines removed after a signature together with every later signature leave an intact,
    // signed journal: which run signed last is what a reader compares with the runs it knows of.
    text += r.ends_signed ? "; the journal ends signed, by run " + r.signatures.back().run +
                                " (line " + std::to_string(r.signatures.back().line) + ")"
                          : "; the last line is not signed";
    return text;
}

void print_report(const std::string& path, const std::string& plan, const executor::VerifyReport& r,
                  bool key) {
    std::cout << path << ": " << count(r.lines, "line", "lines") << " ("
              << count(r.records, "step record", "step records") << ", "
              << count(r.signatures.size(), "signature line", "signature lines") << "), "
              << count(r.runs.size(), "run", "runs") << "\n"
              << chain_text(r) << "\n"
              << signatures_text(r, key) << "\n";
    if (!plan.empty()) {
        std::cout << "plan: " << plan << " (sha256 " << r.plan_sha256
                  << "): " << count(r.plan_lines, "line", "lines")
                  << " of it, each a step of the plan; "
                  << count(r.other_plan_lines, "line", "lines")
                  << " of other plans, chained, not checked against it\n";
    }
    std::cout << "ok\n";
}

}  // namespace

ExitCode run_verify(const Args& args) {
    const po::options_description visible = verify_options();
    const auto values = parse_command(
        args, {.help = help, .visible = visible, .argument = "journal", .plan_option = "plan"});
    if (!values) {
        return ExitCode::success;  // --help
    }
    const std::string journal = required_argument(*values, help, "journal");
    executor::VerifyOptions options;
    options.plan_path = given(*values, "plan");
    options.public_key_path = given(*values, "public-key");
    executor::VerifyReport report;
    try {
        report = executor::verify_journal(journal, options);
    } catch (const SigningKeyError& error) {
        throw CliError(ExitCode::invalid_input, "option --public-key: " + std::string(error.what()),
                       "");
    } catch (const executor::JournalVerifyError& error) {
        // Like a rules file's problems: the message is the place and what is wrong.
        json::object fields{{"message", error.what()}, {"file", journal}};
        if (error.line() != 0) {
            fields["line"] = error.line();
        }
        fields["exit_code"] = static_cast<int>(ExitCode::invalid_input);
        emit(Level::error, "error", error.what(), std::move(fields));
        return ExitCode::invalid_input;
    }
    print_report(journal, options.plan_path, report, !options.public_key_path.empty());
    return ExitCode::success;
}

}  // namespace gp::cli
