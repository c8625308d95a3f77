#include "apply_resume.hpp"

#include "apply_guards.hpp"
#include "cli.hpp"
#include "executor/executor.hpp"
#include "executor/journal.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <tuple>

namespace gp::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view plan_suffix = ".plan.json";
constexpr std::string_view journal_suffix = ".journal.jsonl";

struct Candidate {
    MadePlanStamp stamp;
    std::string plan_path;
    std::string journal_path;
};

std::string join(const fs::path& dir, const std::string& name) {
    return dir == "." ? name : (dir / name).string();
}

// Not a symbolic link, not a directory: a plan or journal of ours.
bool regular_file(const std::string& path) {
    std::error_code error;
    return fs::symlink_status(path, error).type() == fs::file_type::regular;
}

// The plans that apply --rules made in `dir` within the window and that have a journal, oldest
// first (names sort by time; "-2" after the plain name of the same second).
std::vector<Candidate> candidates(const ResumeCriteria& criteria) {
    std::vector<Candidate> found;
    std::error_code error;
    for (const fs::directory_entry& entry : fs::directory_iterator(criteria.dir, error)) {
        const std::string name = entry.path().filename().string();
        const std::optional<MadePlanStamp> stamp = parse_made_plan_name(name);
        constexpr UnixTime clock_skew = 300;
        if (!stamp || name == criteria.own_plan ||
            stamp->made < criteria.now - resume_window_seconds ||
            stamp->made > criteria.now + clock_skew) {
            continue;
        }
        const std::string base = name.substr(0, name.size() - plan_suffix.size());
        const std::string plan = join(criteria.dir, name);
        const std::string journal = join(criteria.dir, base + std::string(journal_suffix));
        if (!regular_file(plan) || !regular_file(journal)) {
            continue;  // no journal: refused by a guard or the confirmation, nothing begun
        }
        found.push_back({*stamp, plan, journal});
    }
    std::sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) {
        return std::tie(a.stamp.made, a.stamp.sequence) < std::tie(b.stamp.made, b.stamp.sequence);
    });
    return found;
}

// What the admin can do: finish the run by hand (every entry is re-checked, so a larger plan age
// is safe), or leave it.
std::string finish_by_hand(const Candidate& c, const std::string& extra = "") {
    return "review it, then finish it with `gdpr-purge apply " + c.plan_path + " --journal " +
           c.journal_path + " --max-plan-age 30d" + extra +
           "`, or move both files out of this directory to leave it";
}

std::string leave_it(const Candidate& c) {
    return "put the files back as the run left them, or move " + c.plan_path + " and " +
           c.journal_path + " out of this directory to leave the run";
}

NotResumed not_resumed(const Candidate& c, std::string reason, std::string advice) {
    return {.plan_path = c.plan_path,
            .journal_path = c.journal_path,
            .reason = std::move(reason),
            .advice = std::move(advice)};
}

// The journal's records say the run is of another account: the plan need not be read.
bool other_account(const std::vector<executor::JournalRecord>& records,
                   const std::string& account) {
    return !records.empty() &&
           std::none_of(records.begin(), records.end(),
                        [&](const executor::JournalRecord& r) { return r.account == account; });
}

// Why an unfinished run of this account is not resumed; nothing when it is.
std::optional<NotResumed> refusal(const ResumeCriteria& criteria, const Candidate& c,
                                  const UnfinishedRun& run) {
    if (run.plan->outline().header.rules_sha256 != criteria.rules_sha256) {
        return not_resumed(c,
                           "made under other rules (rules_sha256 " +
                               run.plan->outline().header.rules_sha256 +
                               ", the rules file now gives " + criteria.rules_sha256 + ")",
                           finish_by_hand(c));
    }
    // apply's own guards, the age being the window: a what-if plan (as_of or generated_at later
    // than now), a plan generated longer ago, more contact deletions than --max-deletions.
    const Guards guards{.account = criteria.account,
                        .max_deletions = criteria.max_deletions,
                        .max_plan_age = Duration{resume_window_seconds, "30d"},
                        .now = criteria.now,
                        .saved_plan = true};
    try {
        check_guards(run.plan->outline(), guards);
    } catch (const CliError& refused) {
        const std::int64_t deletions = run.plan->outline().contact_deletions;
        return not_resumed(c, refused.what(),
                           deletions > criteria.max_deletions
                               ? finish_by_hand(c, " --max-deletions " + std::to_string(deletions))
                               : refused.why() + "; or move both files out of this directory");
    }
    if (::access(c.journal_path.c_str(), W_OK) != 0) {
        return not_resumed(
            c, std::string("its journal cannot be written: ") + std::strerror(errno),
            "run as the user that owns it, or move both files out of this directory");
    }
    return std::nullopt;
}

}  // namespace

std::optional<MadePlanStamp> parse_made_plan_name(std::string_view name) {
    constexpr std::string_view prefix = "gdpr-purge-";
    const auto digits = [&](std::size_t from, std::size_t count) {
        return name.size() >= from + count &&
               std::all_of(name.begin() + static_cast<std::ptrdiff_t>(from),
                           name.begin() + static_cast<std::ptrdiff_t>(from + count),
                           [](char c) { return c >= '0' && c <= '9'; });
    };
    // gdpr-purge-YYYYMMDDTHHMMSSZ: 11 + 16 characters.
    if (!name.starts_with(prefix) || !name.ends_with(plan_suffix) || !digits(11, 8) ||
        name.size() < 27 || name[19] != 'T' || !digits(20, 6) || name[26] != 'Z') {
        return std::nullopt;
    }
    const std::string_view rest = name.substr(27, name.size() - 27 - plan_suffix.size());
    int sequence = 1;
    if (!rest.empty()) {  // "-N", N from 2 to 9999 without a leading zero
        const std::string_view n = rest.substr(1);
        if (rest[0] != '-' || n.empty() || n.size() > 4 || n[0] == '0' ||
            !std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            return std::nullopt;
        }
        sequence = std::stoi(std::string(n));
    }
    const std::string_view d = name.substr(11, 15);  // YYYYMMDDTHHMMSS
    const std::optional<UnixTime> made =
        parse_timestamp(std::string(d.substr(0, 4)) + "-" + std::string(d.substr(4, 2)) + "-" +
                        std::string(d.substr(6, 2)) + "T" + std::string(d.substr(9, 2)) + ":" +
                        std::string(d.substr(11, 2)) + ":" + std::string(d.substr(13, 2)) + "Z");
    if (!made) {
        return std::nullopt;
    }
    return MadePlanStamp{*made, sequence};
}

std::unique_ptr<StreamedPlan> open_plan(const std::string& path, const PlanVisitor& first) {
    try {
        return std::make_unique<StreamedPlan>(path, first);
    } catch (const PlanUnreadable& error) {
        throw CliError(ExitCode::invalid_input, "cannot read " + path,
                       std::strerror(error.error()));
    }
}

ResumeScan find_unfinished_runs(const ResumeCriteria& criteria) {
    ResumeScan scan;
    for (const Candidate& c : candidates(criteria)) {
        UnfinishedRun run{.plan_path = c.plan_path,
                          .journal_path = c.journal_path,
                          .plan_sha256 = {},
                          .plan = nullptr,
                          .entries_finished = 0};
        std::vector<executor::JournalRecord> records;
        try {
            records = executor::read_journal(c.journal_path, executor::MissingJournal::empty);
            if (other_account(records, criteria.account)) {
                continue;  // another account's cron run in the same directory
            }
            run.plan = open_plan(c.plan_path);
            run.plan_sha256 = run.plan->outline().sha256;
        } catch (const std::exception& error) {
            scan.not_resumed.push_back(
                not_resumed(c, std::string("cannot be read: ") + error.what(), leave_it(c)));
            continue;
        }
        if (run.plan->outline().header.account != criteria.account) {
            continue;
        }
        const bool own_records = std::any_of(
            records.begin(), records.end(),
            [&](const executor::JournalRecord& r) { return r.source_sha256 == run.plan_sha256; });
        if (!records.empty() && !own_records) {  // not the file the journal was written for
            scan.not_resumed.push_back(not_resumed(
                c,
                "the plan file changed since its run: no journal line has its plan_sha256 " +
                    run.plan_sha256,
                leave_it(c)));
            continue;
        }
        // An empty journal: the run was killed after its confirmation, before its first record,
        // and its first steps may have reached the account. It is resumed like any other.
        const StreamedPlan& plan = *run.plan;
        run.entries_finished = executor::entries_finished(plan.entries(), run.plan_sha256, records);
        if (run.entries_finished >= plan.outline().entries) {
            continue;
        }
        if (std::optional<NotResumed> refused = refusal(criteria, c, run)) {
            scan.not_resumed.push_back(std::move(*refused));
            continue;
        }
        scan.resume.push_back(std::move(run));
    }
    return scan;
}

}  // namespace gp::cli
