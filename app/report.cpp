#include "report.hpp"

#include "archive_state.hpp"
#include "cli.hpp"
#include "util/durable.hpp"

#include <boost/json/array.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace gp::cli {

namespace {

std::string error_text(int number) {
    return std::strerror(number);
}

// fsync of a file or a directory by name; false with errno set when it fails.
bool sync_path(const std::string& path, int flags) {
    const FdCloser file{::open(path.c_str(), flags | O_CLOEXEC)};
    if (file.fd < 0) {
        return false;
    }
    return ::fsync(file.fd) == 0;  // the closer keeps fsync's errno
}

std::string parent_directory(const std::string& path) {
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    return parent.empty() ? std::string(".") : parent.string();
}

}  // namespace

AtomicFile::AtomicFile(std::string path)
    : path_(std::move(path)), temporary_(path_ + ".tmp-" + std::to_string(::getpid())) {
    struct stat status {};
    if (::stat(path_.c_str(), &status) == 0 && S_ISDIR(status.st_mode)) {
        throw CliError(ExitCode::usage, "cannot write " + path_, "it is a directory");
    }
    constexpr mode_t mode = 0666;  // less the umask, as any file the user creates
    const int fd =
        ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd < 0) {
        throw CliError(ExitCode::usage, "cannot write " + path_, error_text(errno));
    }
    ::close(fd);
    out_.open(temporary_, std::ios::binary | std::ios::trunc);
    if (!out_.is_open()) {
        ::unlink(temporary_.c_str());
        throw CliError(ExitCode::usage, "cannot write " + path_, "cannot open " + temporary_);
    }
}

AtomicFile::~AtomicFile() {
    if (!committed_) {
        out_.close();
        ::unlink(temporary_.c_str());
    }
}

void AtomicFile::commit() {
    out_.flush();
    out_.close();
    if (out_.fail()) {
        throw CliError(ExitCode::partial_failure, "cannot write " + path_,
                       "writing " + temporary_ + " failed");
    }
    if (!sync_path(temporary_, O_RDONLY) || std::rename(temporary_.c_str(), path_.c_str()) != 0) {
        throw CliError(ExitCode::partial_failure, "cannot write " + path_, error_text(errno));
    }
    committed_ = true;
    // The rename itself reaches the disk with the directory; a failure here loses nothing written.
    sync_path(parent_directory(path_), O_RDONLY | O_DIRECTORY);
}

json::object protected_json(const Summary& summary) {
    json::object out;
    for (std::size_t i = 0; i < protection_reason_count; ++i) {
        out[to_string(static_cast<ProtectionReason>(i))] = summary.protected_counts[i];
    }
    return out;
}

json::object by_rule_json(const Summary& summary) {
    json::object out;
    for (const RuleCount& count : summary.by_rule) {
        out[count.rule] = json::object{{"contacts", count.contacts}, {"tickets", count.tickets}};
    }
    return out;
}

namespace {

json::object api_json(const freshdesk::Counters& api) {
    constexpr double tenths_of_ms = 100.0;  // waited_ms to tenths of a second
    const double waited = std::round(static_cast<double>(api.waited_ms) / tenths_of_ms) / 10.0;
    return {
        {"calls", api.calls},
        {"credits", api.credits},
        {"rate_limited", api.rate_limited},
        {"retries", api.retries},
        {"server_errors", api.server_errors},
        {"transport_errors", api.transport_errors},
        {"waited_seconds", waited},
        {"rate_limit_total", api.rate_limit_total},
        {"pace_per_minute", api.pace_per_minute},
    };
}

json::object read_json(const reader::ReadReport& read) {
    return {
        {"contacts_read", read.contacts_read},
        {"tickets_read", read.tickets_read},
        {"ticket_pages", read.ticket_pages},
        {"ticket_pages_with_stats", read.ticket_pages_with_stats},
        {"contact_pages", read.contact_pages},
        {"searches", read.searches},
        {"views", read.views},
        {"ticket_views", read.ticket_views},
        {"name_calls", read.name_calls},
        {"archive_probes", read.archive_probes},
        {"contacts_blocked", read.contacts_blocked},
        {"lower_bound_credits", read.lower_bound_credits},
    };
}

json::object summary_json(const Summary& summary) {
    json::object out;
    for (const SummaryCount& count : summary_counts) {
        if (!count.read_count) {  // the report says what was read elsewhere
            out[count.key] = summary.*count.member;
        }
    }
    out["protected"] = protected_json(summary);
    out["by_rule"] = by_rule_json(summary);
    return out;
}

json::array subjects_json(const std::vector<reader::SubjectMatch>& subjects) {
    json::array out;
    for (const auto& subject : subjects) {
        json::array ids;
        for (const Id id : subject.contact_ids) {
            ids.push_back(id);
        }
        out.push_back(
            json::object{{"email_masked", subject.email_masked}, {"contact_ids", std::move(ids)}});
    }
    return out;
}

}  // namespace

json::object plan_report_json(const PlanRunFacts& facts) {
    json::object report;
    report["command"] = "plan";
    report["account"] = facts.account;
    report["as_of"] = facts.as_of;
    report["started_at"] = facts.started_at;
    report["finished_at"] = facts.finished_at;
    report["duration_seconds"] = facts.duration_seconds;
    report["exit_code"] = 0;
    report["api"] = api_json(facts.api);
    report["read"] = read_json(facts.read);
    report["summary"] = summary_json(facts.summary);
    report["archive"] =
        facts.read.archive ? json::value(archive_json(*facts.read.archive)) : json::value(nullptr);
    if (facts.subjects) {
        report["subjects"] = subjects_json(*facts.subjects);
    }
    json::array warnings;
    for (const auto& warning : facts.read.warnings) {
        warnings.push_back(json::string(warning));
    }
    report["warnings"] = std::move(warnings);
    return report;
}

namespace {

void add_times(json::object& report, const RunTimes& times) {
    report["started_at"] = times.started_at;
    report["finished_at"] = times.finished_at;
    report["duration_seconds"] = times.duration_seconds;
}

json::object entries_json(const executor::ApplyTotals& totals) {
    return {
        {"total", totals.entries},
        {"done", totals.entries_done},
        {"done_before", totals.entries_done_before},
        {"skipped", totals.entries_skipped},
        {"failed", totals.entries_failed},
    };
}

}  // namespace

json::object apply_report_json(const ApplyRunFacts& facts) {
    const executor::ApplyTotals& totals = facts.totals;
    json::object report;
    report["command"] = "apply";
    report["account"] = facts.account;
    report["plan"] = facts.plan;
    report["plan_sha256"] = facts.plan_sha256;
    report["journal"] = facts.journal;
    report["run"] = facts.run.empty() ? json::value(nullptr) : json::value(facts.run);
    add_times(report, facts.times);
    report["entries"] = entries_json(totals);
    report["contacts_deleted"] = totals.contacts_deleted;
    report["tickets_deleted"] = totals.tickets_deleted;
    report["archived_tickets_deleted"] = totals.archived_tickets_deleted;
    report["contacts_marked"] = totals.contacts_marked;
    report["marks_cleared"] = totals.marks_cleared;
    report["soft_deleted_purged"] = totals.soft_deleted_purged;
    report["steps"] = json::object{{"done", totals.steps_done},
                                   {"failed", totals.steps_failed},
                                   {"bulk_jobs", totals.bulk_jobs}};
    report["recheck"] = json::object{{"looks", totals.looks},
                                     {"entries_reread", totals.entries_reread},
                                     {"longest_look_window_seconds",
                                      static_cast<double>(totals.longest_look_window_ms) / 1000.0}};
    report["protected"] = protected_json(facts.summary);
    json::array resumed;
    for (const ResumedRunFacts& run : facts.resumed) {
        json::object item;
        item["plan"] = run.plan;
        item["plan_sha256"] = run.plan_sha256;
        item["journal"] = run.journal;
        item["run"] = run.run.empty() ? json::value(nullptr) : json::value(run.run);
        item["entries"] = entries_json(run.totals);
        item["contacts_deleted"] = run.totals.contacts_deleted;
        item["tickets_deleted"] = run.totals.tickets_deleted;
        resumed.push_back(std::move(item));
    }
    report["resumed"] = std::move(resumed);
    json::array not_resumed;
    for (const NotResumed& run : facts.not_resumed) {
        not_resumed.push_back(json::object{
            {"plan", run.plan_path}, {"journal", run.journal_path}, {"reason", run.reason}});
    }
    report["not_resumed"] = std::move(not_resumed);
    report["api"] = api_json(facts.api);
    report["exit_code"] = static_cast<int>(facts.exit_code);
    return report;
}

json::object undo_report_json(const UndoRunFacts& facts) {
    const executor::UndoTotals& totals = facts.totals;
    json::object report;
    report["command"] = "undo-soft";
    report["account"] = facts.account;
    report["journal"] = facts.journal;
    report["undo_journal"] = facts.undo_journal;
    add_times(report, facts.times);
    report["contacts_restored"] = totals.contacts_restored;
    report["tickets_restored"] = totals.tickets_restored;
    report["contacts_not_restorable"] = totals.contacts_not_restorable;
    report["tickets_not_restorable"] = totals.tickets_not_restorable;
    report["tickets_lost"] = totals.tickets_lost;
    report["steps_done_before"] = totals.steps_done_before;
    report["steps_failed"] = totals.steps_failed;
    report["api"] = api_json(facts.api);
    report["exit_code"] = static_cast<int>(facts.exit_code);
    return report;
}

}  // namespace gp::cli
