#include "apply_resume.hpp"

#include "apply_guards.hpp"
#include "executor/journal.hpp"
#include "util/sha256.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
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

// The plans that apply --rules made in `dir` within the window and that have a journal, oldest
// first (names sort by time; "-2" after the plain name of the same second).
std::vector<Candidate> candidates(const ResumeCriteria& criteria) {
    std::vector<Candidate> found;
    std::error_code error;
    for (const fs::directory_entry& entry : fs::directory_iterator(criteria.dir, error)) {
        const std::string name = entry.path().filename().string();
        const std::optional<UnixTime> made = made_plan_time(name);
        if (!made || name == criteria.own_plan ||
            (criteria.now != no_time && *made < criteria.now - resume_window_seconds)) {
            continue;
        }
        const std::string base = name.substr(0, name.size() - plan_suffix.size());
        const std::string journal = join(criteria.dir, base + std::string(journal_suffix));
        std::error_code missing;
        if (!fs::is_regular_file(journal, missing)) {
            continue;  // refused by a guard or the confirmation, or killed before: nothing done
        }
        const std::size_t dash = base.find('-', std::string_view("gdpr-purge-").size());
        const int sequence = dash == std::string::npos ? 1 : std::stoi(base.substr(dash + 1));
        found.push_back({*made, sequence, join(criteria.dir, name), journal});
    }
    std::sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) {
        return std::tie(a.made, a.sequence) < std::tie(b.made, b.sequence);
    });
    return found;
}

Plan read_plan_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path);
    }
    return read_plan(in);
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

ResumeScan find_unfinished_runs(const ResumeCriteria& criteria) {
    ResumeScan scan;
    for (const Candidate& c : candidates(criteria)) {
        UnfinishedRun run{c.plan_path, c.journal_path, {}, {}, 0};
        std::vector<executor::JournalRecord> records;
        try {
            run.plan = read_plan_file(c.plan_path);
            if (run.plan.header.account != criteria.account) {
                continue;  // another account's cron run in the same directory
            }
            run.plan_sha256 = sha256_file_hex(c.plan_path);
            records = executor::read_journal(c.journal_path, true);
        } catch (const std::exception& error) {
            scan.not_resumed.push_back(
                {c.plan_path, c.journal_path, std::string("cannot be read: ") + error.what()});
            continue;
        }
        const bool own_records = std::any_of(
            records.begin(), records.end(),
            [&](const executor::JournalRecord& r) { return r.source_sha256 == run.plan_sha256; });
        if (!own_records) {
            if (!records.empty()) {  // the plan is not the file the journal was written for
                scan.not_resumed.push_back(
                    {c.plan_path, c.journal_path,
                     "the plan file changed since its run: no journal line has its plan_sha256 " +
                         run.plan_sha256});
            }
            continue;  // else nothing recorded: nothing begun that a new plan would not see
        }
        run.entries_finished = entries_finished(run.plan, run.plan_sha256, records);
        const auto entries = static_cast<std::int64_t>(run.plan.entries.size());
        if (run.entries_finished >= entries) {
            continue;
        }
        if (run.plan.header.rules_sha256 != criteria.rules_sha256) {
            scan.not_resumed.push_back(
                {c.plan_path, c.journal_path,
                 "made under other rules (rules_sha256 " + run.plan.header.rules_sha256 +
                     ", the rules file now gives " + criteria.rules_sha256 + ")"});
            continue;
        }
        const std::int64_t deletions = contact_deletions(run.plan);
        if (deletions > criteria.max_deletions) {
            scan.not_resumed.push_back({c.plan_path, c.journal_path,
                                        "it deletes " + std::to_string(deletions) +
                                            " contacts, more than --max-deletions " +
                                            std::to_string(criteria.max_deletions)});
            continue;
        }
        scan.resume.push_back(std::move(run));
    }
    return scan;
}

}  // namespace gp::cli
