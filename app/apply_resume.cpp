#include "apply_resume.hpp"

#include "apply_guards.hpp"
#include "cli.hpp"
#include "executor/journal.hpp"
#include "util/sha256.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <tuple>

namespace gp::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view plan_suffix = ".plan.json";
constexpr std::string_view journal_suffix = ".journal.jsonl";

struct Candidate {
    UnixTime made = no_time;
    int sequence = 1;  // "-2" of a second run in the same second
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
        const std::optional<UnixTime> made = made_plan_time(name);
        constexpr UnixTime clock_skew = 300;
        if (!made || name == criteria.own_plan || *made < criteria.now - resume_window_seconds ||
            *made > criteria.now + clock_skew) {
            continue;
        }
        const std::string base = name.substr(0, name.size() - plan_suffix.size());
        const std::string plan = join(criteria.dir, name);
        const std::string journal = join(criteria.dir, base + std::string(journal_suffix));
        if (!regular_file(plan) || !regular_file(journal)) {
            continue;  // no journal: refused by a guard or the confirmation, nothing begun
        }
        const std::size_t dash = base.find('-', std::string_view("gdpr-purge-").size());
        const int sequence = dash == std::string::npos ? 1 : std::stoi(base.substr(dash + 1));
        found.push_back({*made, sequence, plan, journal});
    }
    std::sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) {
        return std::tie(a.made, a.sequence) < std::tie(b.made, b.sequence);
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
    if (run.plan.header.rules_sha256 != criteria.rules_sha256) {
        return NotResumed{c.plan_path, c.journal_path,
                          "made under other rules (rules_sha256 " + run.plan.header.rules_sha256 +
                              ", the rules file now gives " + criteria.rules_sha256 + ")",
                          finish_by_hand(c)};
    }
    // apply's own guards, the age being the window: a what-if plan (as_of or generated_at later
    // than now), a plan generated longer ago, more contact deletions than --max-deletions.
    const Guards guards{criteria.account, criteria.max_deletions,
                        Duration{resume_window_seconds, "30d"}, criteria.now, true};
    try {
        check_guards(run.plan, guards);
    } catch (const CliError& refused) {
        const std::int64_t deletions = contact_deletions(run.plan);
        return NotResumed{c.plan_path, c.journal_path, refused.what(),
                          deletions > criteria.max_deletions
                              ? finish_by_hand(c, " --max-deletions " + std::to_string(deletions))
                              : refused.why() + "; or move both files out of this directory"};
    }
    if (::access(c.journal_path.c_str(), W_OK) != 0) {
        return NotResumed{c.plan_path, c.journal_path,
                          std::string("its journal cannot be written: ") + std::strerror(errno),
                          "run as the user that owns it, or move both files out of this directory"};
    }
    return std::nullopt;
}

}  // namespace

std::optional<UnixTime> made_plan_time(const std::string& file_name) {
    static const std::regex pattern(
        R"(gdpr-purge-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z(-[1-9][0-9]{0,3})?\.plan\.json)");
    std::smatch m;
    if (!std::regex_match(file_name, m, pattern)) {
        return std::nullopt;
    }
    return parse_timestamp(m[1].str() + "-" + m[2].str() + "-" + m[3].str() + "T" + m[4].str() +
                           ":" + m[5].str() + ":" + m[6].str() + "Z");
}

PlanFile read_plan_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    if (!in || !(bytes << in.rdbuf())) {
        throw CliError(ExitCode::invalid_input, "cannot read " + path, std::strerror(errno));
    }
    const std::string text = std::move(bytes).str();
    std::istringstream parse(text);
    return {read_plan(parse), sha256_hex(text)};
}

ResumeScan find_unfinished_runs(const ResumeCriteria& criteria) {
    ResumeScan scan;
    for (const Candidate& c : candidates(criteria)) {
        UnfinishedRun run{c.plan_path, c.journal_path, {}, {}, 0};
        std::vector<executor::JournalRecord> records;
        try {
            records = executor::read_journal(c.journal_path, true);
            if (other_account(records, criteria.account)) {
                continue;  // another account's cron run in the same directory
            }
            PlanFile file = read_plan_file(c.plan_path);
            run.plan = std::move(file.plan);
            run.plan_sha256 = std::move(file.sha256);
        } catch (const std::exception& error) {
            scan.not_resumed.push_back({c.plan_path, c.journal_path,
                                        std::string("cannot be read: ") + error.what(),
                                        leave_it(c)});
            continue;
        }
        if (run.plan.header.account != criteria.account) {
            continue;
        }
        const bool own_records = std::any_of(
            records.begin(), records.end(),
            [&](const executor::JournalRecord& r) { return r.source_sha256 == run.plan_sha256; });
        if (!records.empty() && !own_records) {  // not the file the journal was written for
            scan.not_resumed.push_back(
                {c.plan_path, c.journal_path,
                 "the plan file changed since its run: no journal line has its plan_sha256 " +
                     run.plan_sha256,
                 leave_it(c)});
            continue;
        }
        // An empty journal: the run was killed after its confirmation, before its first record,
        // and its first steps may have reached the account. It is resumed like any other.
        run.entries_finished = entries_finished(run.plan, run.plan_sha256, records);
        if (run.entries_finished >= static_cast<std::int64_t>(run.plan.entries.size())) {
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
