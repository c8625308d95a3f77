#pragma once
// gdpr-purge verify (docs/apply.md, "Checking a journal: verify"): reads a journal, checks its
// chain line by line, and optionally that it belongs to a plan and that its signatures are valid.
// Reads only: nothing is written anywhere.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace gp::executor {

struct VerifyOptions {
    std::string plan_path;        // "": not checked against a plan
    std::string public_key_path;  // "": signature lines counted, not checked
};

// A signature line of the journal.
struct VerifiedSignature {
    std::size_t line = 0;  // 1-based
    std::string run;
    std::string key_id;
    bool checked = false;  // verified with the public key (VerifyOptions::public_key_path)
};

enum class ChainState {
    empty,      // no line
    unchained,  // no line carries "prev" (written before the chain): no tamper evidence
    chained,    // every line carries "prev", and each one is right
    mixed,      // unchained lines, then chained ones (an old journal a newer version went on with)
};

struct VerifyReport {
    std::size_t lines = 0;          // lines in the file
    std::size_t records = 0;        // step records
    std::size_t unchained = 0;      // lines without "prev" (all before the first chained one)
    std::size_t chained = 0;        // lines with "prev", each checked
    std::size_t first_chained = 0;  // 1-based line of the first chained line; 0: none
    std::vector<std::string> runs;  // run ids, in the order they first appear
    std::vector<VerifiedSignature> signatures;
    bool ends_signed = false;  // the last line is a signature line
    std::string key_id;        // of the public key, when given
    // With a plan (VerifyOptions::plan_path):
    std::string plan_sha256;           // the plan file's SHA-256
    std::size_t plan_lines = 0;        // lines of that plan, each checked against it
    std::size_t other_plan_lines = 0;  // lines of other plans: chained, not checked against it
    ChainState chain() const;
};

// What makes the journal fail verification: what() is "<path>:<line>: <what>" (the line 1-based),
// or "<path>: <what>" when no line is to blame (an empty journal, a file that cannot be read).
class JournalVerifyError : public std::runtime_error {
  public:
    JournalVerifyError(const std::string& path, std::size_t line, const std::string& what);
    std::size_t line() const noexcept { return line_; }

  private:
    std::size_t line_;
};

// Checks, line by line, in file order (the first failure is the one reported):
// - every line is a journal line (a step record or a signature line), read as strictly as
//   read_journal() does; no empty line; the last line ends with a newline (a torn last line is
//   one a killed run cut short: apply and undo-soft cut it off, verify reports it);
// - the chain: a line's "prev" is the SHA-256 of the line before it, or on line 1 the line's own
//   source hash; once a line carries "prev", every later line does;
// - a signature line follows a record of the same run, account and source;
// - with a public key: every signature line is of that key (its key_id) and valid, and the last
//   line is a signature line ("ends unsigned" otherwise);
// - with a plan: the lines whose plan_sha256 is the plan file's SHA-256 are of its account, and
//   each step they record is one the plan holds (contact, step index, action, ticket ids within
//   the step's, mode, since); a whole-entry line names a contact of the plan. Lines of other plans
//   (the same journal file used by an earlier plan) are chained and counted, not checked against
//   this plan. No line of the plan: "a journal of another plan". An undo-soft journal (lines with
//   journal_sha256) has no plan: refused.
// Throws JournalVerifyError; PlanFormatError and PlanVersionError (the plan), SigningKeyError
// (the public key).
VerifyReport verify_journal(const std::string& path, const VerifyOptions& options = {});

}  // namespace gp::executor
