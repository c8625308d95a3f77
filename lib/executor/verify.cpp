// gdpr-purge verify: the journal's chain, its plan and its signatures (verify.hpp).
#include "executor/verify.hpp"

#include "executor/journal.hpp"
#include "executor/journal_detail.hpp"
#include "plan/plan_file.hpp"
#include "util/ed25519.hpp"
#include "util/sha256.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <unordered_map>

namespace gp::executor {

namespace {

// The plan's entries by contact, and what identifies the plan.
struct PlanFacts {
    std::string sha256;
    std::string account;
    std::unordered_map<Id, std::vector<Step>> steps;
};

PlanFacts read_plan_facts(const std::string& path) {
    PlanFacts facts;
    const StreamedPlan plan(
        path, {.on_header = [&](const PlanHeader& h) { facts.account = h.account; },
               .on_entry = [&](Entry&& e) { facts.steps[e.contact_id] = std::move(e.steps); },
               .on_protected = {}});
    facts.sha256 = plan.outline().sha256;  // as apply keys its lines: the file's bytes
    return facts;
}

std::string ids_text(const std::vector<Id>& ids) {
    std::string out;
    for (const Id id : ids) {
        out += (out.empty() ? "" : ",") + std::to_string(id);
    }
    return out;
}

// Why a record of the plan is not one of its steps; nothing when it is.
std::optional<std::string> not_in_plan(const JournalRecord& r, const PlanFacts& plan) {
    if (!r.account.empty() && r.account != plan.account) {
        return "account " + r.account + " is not the plan's (" + plan.account + ")";
    }
    const auto entry = plan.steps.find(r.contact_id);
    const std::string contact = "contact " + std::to_string(r.contact_id);
    if (entry == plan.steps.end()) {
        return contact + " is not in the plan";
    }
    if (!r.step) {
        if (!r.action.empty()) {
            return "a whole-entry line (step null) with an action";
        }
        return std::nullopt;
    }
    const std::vector<Step>& steps = entry->second;
    const auto index = static_cast<std::size_t>(*r.step);
    if (index >= steps.size()) {
        return "step " + std::to_string(index) + " is not in the plan: " + contact +
               "'s entry has " + std::to_string(steps.size()) + " steps";
    }
    const Step& step = steps[index];
    const std::string where = "step " + std::to_string(index) + " of " + contact;
    if (r.action != to_string(step.action)) {
        return where + " is " + std::string(to_string(step.action)) + " in the plan, not " +
               (r.action.empty() ? std::string("a line without action") : r.action);
    }
    for (const Id id : r.ticket_ids) {
        if (std::find(step.ticket_ids.begin(), step.ticket_ids.end(), id) ==
            step.ticket_ids.end()) {
            return "ticket " + std::to_string(id) + " is not in " + where + " (" +
                   ids_text(step.ticket_ids) + ")";
        }
    }
    const bool contact_step = step.action == StepAction::delete_contact;
    if (contact_step != r.mode.has_value() || (r.mode && *r.mode != step.mode)) {
        return "mode: not the mode of " + where;
    }
    const std::string since = step.action == StepAction::mark_pending ? step.since : "";
    if (r.since != since) {
        return "since: not the date of " + where;
    }
    return std::nullopt;
}

class Verifier {
  public:
    Verifier(std::string path, const VerifyOptions& options) : path_(std::move(path)) {
        if (!options.public_key_path.empty()) {
            key_.emplace(Ed25519PublicKey::load(options.public_key_path));
            report_.key_id = key_->key_id();
        }
        if (!options.plan_path.empty()) {
            plan_.emplace(read_plan_facts(options.plan_path));
            report_.plan_sha256 = plan_->sha256;
        }
    }

    VerifyReport run();

  private:
    [[noreturn]] void fail(const std::string& what) const {
        throw JournalVerifyError(path_, report_.lines, what);
    }
    void line(const std::string& text, bool torn);
    void chain(const detail::JournalLine& parsed);
    void signature(const JournalSignature& s);
    void record(const JournalRecord& r);
    void against_plan(JournalSource kind, const std::string& source, const JournalRecord* r);
    void see_run(const std::string& run);
    void finish();

    std::string path_;
    std::optional<Ed25519PublicKey> key_;
    std::optional<PlanFacts> plan_;
    VerifyReport report_;
    std::string previous_hash_;              // SHA-256 of the line before
    std::optional<JournalRecord> previous_;  // the line before, when a record
    std::string first_other_source_;         // with a plan: the first line's source hash
};

VerifyReport Verifier::run() {
    std::error_code error;
    if (std::filesystem::exists(path_, error) && !std::filesystem::is_regular_file(path_, error)) {
        throw JournalVerifyError(path_, 0, "not a regular file: a journal is a file");
    }
    std::ifstream in(path_, std::ios::binary);
    if (!in) {
        throw JournalVerifyError(path_, 0, std::string("cannot read: ") + std::strerror(errno));
    }
    std::string text;
    while (std::getline(in, text)) {
        ++report_.lines;
        line(text, in.eof());
    }
    if (in.bad()) {
        throw JournalVerifyError(path_, 0, "cannot read");
    }
    finish();
    return report_;
}

void Verifier::line(const std::string& text, bool torn) {
    if (torn) {
        fail(
            "cut short (no newline at its end): a run was killed while writing it; the next run "
            "that appends to this journal cuts it off");
    }
    if (text.find_first_not_of(" \t\r") == std::string::npos) {
        fail("an empty line: the journal writes none");
    }
    detail::JournalLine parsed;
    try {
        parsed = detail::parse_journal_line(text);
    } catch (const detail::LineError& e) {
        fail(e.what);
    }
    chain(parsed);
    if (parsed.signature) {
        // Its bytes as the writer writes them: the signature covers its fields, and nothing else
        // on the line may differ unseen.
        if (text != to_json_line(*parsed.signature)) {
            fail(
                "a signature line not as gdpr-purge writes it (keys, order, spacing or escapes "
                "changed)");
        }
        signature(*parsed.signature);
        previous_.reset();
    } else {
        record(*parsed.record);
        previous_ = std::move(parsed.record);
    }
    previous_hash_ = sha256_hex(text);
}

void Verifier::chain(const detail::JournalLine& parsed) {
    if (!parsed.prev) {
        if (report_.first_chained != 0) {
            fail("no \"prev\" after chained lines (from line " +
                 std::to_string(report_.first_chained) +
                 "): a line added, or written by an older gdpr-purge");
        }
        ++report_.unchained;
        return;
    }
    if (report_.first_chained == 0) {
        report_.first_chained = report_.lines;
    }
    ++report_.chained;
    if (report_.lines == 1) {
        const std::string& source =
            parsed.record ? parsed.record->source_sha256 : parsed.signature->source_sha256;
        if (*parsed.prev != source) {
            fail(
                "the chain breaks: \"prev\" of a first line is its own source hash, and is not: "
                "lines were removed before it, or it was changed or moved here");
        }
        return;
    }
    if (*parsed.prev != previous_hash_) {
        fail("the chain breaks: \"prev\" is not the SHA-256 of line " +
             std::to_string(report_.lines - 1) + ": line " + std::to_string(report_.lines - 1) +
             " or this line was changed, or lines were removed, added or moved here");
    }
}

void Verifier::see_run(const std::string& run) {
    if (std::find(report_.runs.begin(), report_.runs.end(), run) == report_.runs.end()) {
        report_.runs.push_back(run);
    }
}

void Verifier::signature(const JournalSignature& s) {
    if (!previous_) {
        fail(report_.lines == 1 ? "a signature line as the first line: it signs no record"
                                : "a signature line after a signature line");
    }
    if (s.run != previous_->run || s.account != previous_->account ||
        s.source != previous_->source || s.source_sha256 != previous_->source_sha256) {
        fail("a signature line whose run, account or " + std::string(to_string(s.source)) +
             " is not that of line " + std::to_string(report_.lines - 1));
    }
    see_run(s.run);
    VerifiedSignature v{.line = report_.lines, .run = s.run, .key_id = s.key_id, .checked = false};
    if (key_) {
        if (s.key_id != key_->key_id()) {
            fail("signed with another key (key_id " + s.key_id +
                 "), not the given public key (key_id " + key_->key_id() + ")");
        }
        if (!key_->verify_hex(signed_message(s), s.sig)) {
            fail(
                "the signature is not valid: this line, or a line before it, was changed after "
                "it was signed");
        }
        v.checked = true;
    }
    report_.signatures.push_back(std::move(v));
    against_plan(s.source, s.source_sha256, nullptr);
}

void Verifier::record(const JournalRecord& r) {
    ++report_.records;
    see_run(r.run);
    against_plan(r.source, r.source_sha256, &r);
}

void Verifier::against_plan(JournalSource kind, const std::string& source, const JournalRecord* r) {
    if (!plan_) {
        return;
    }
    if (kind == JournalSource::journal) {
        fail(
            "an undo-soft journal (journal_sha256): it belongs to an apply journal, not to a plan; "
            "verify it without --plan");
    }
    if (source != plan_->sha256) {
        ++report_.other_plan_lines;
        if (first_other_source_.empty()) {
            first_other_source_ = source;
        }
        return;
    }
    ++report_.plan_lines;
    if (r != nullptr) {
        if (const std::optional<std::string> why = not_in_plan(*r, *plan_)) {
            fail(*why);
        }
    }
}

void Verifier::finish() {
    if (plan_ && report_.plan_lines == 0) {
        const std::string what = "a journal of another plan: no line has the plan's plan_sha256 " +
                                 plan_->sha256 +
                                 (report_.lines == 0 ? std::string(" (the journal is empty)")
                                                     : " (line 1 has " + first_other_source_ + ")");
        throw JournalVerifyError(path_, report_.lines == 0 ? 0 : 1, what);
    }
    report_.ends_signed = previous_hash_.empty() ? false : !previous_.has_value();
    if (key_ && report_.unchained > 0) {
        // No signature covers an unchained line: it could be changed or removed unseen.
        throw JournalVerifyError(
            path_, 1,
            "lines 1-" + std::to_string(report_.unchained) +
                " are unchained (written before the chain existed): no signature covers them, "
                "so the journal cannot be verified as signed; verify without --public-key reports "
                "what is chained");
    }
    if (key_ && !report_.ends_signed) {
        if (report_.lines == 0) {
            throw JournalVerifyError(path_, 0, "ends unsigned: the journal is empty");
        }
        fail(
            "ends unsigned: the last line is no signature line (the run that wrote it was "
            "killed or not signed, or lines were added after the signature)");
    }
}

}  // namespace

ChainState VerifyReport::chain() const {
    if (lines == 0) {
        return ChainState::empty;
    }
    if (chained == 0) {
        return ChainState::unchained;
    }
    return unchained == 0 ? ChainState::chained : ChainState::mixed;
}

JournalVerifyError::JournalVerifyError(const std::string& path, std::size_t line,
                                       const std::string& what)
    : std::runtime_error(line == 0 ? path + ": " + what
                                   : path + ":" + std::to_string(line) + ": " + what),
      line_(line) {}

VerifyReport verify_journal(const std::string& path, const VerifyOptions& options) {
    return Verifier(path, options).run();
}

}  // namespace gp::executor
